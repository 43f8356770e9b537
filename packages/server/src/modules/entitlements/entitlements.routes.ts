import { EntitlementDismissalInput, EntitlementHintsQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/elders/:id/entitlement-hints`: 权益提示 from the ledger, and their dismissal. */
export function entitlementsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['权益提示 entitlement hints'];
  app.get(
    '/api/elders/:id/entitlement-hints',
    {
      schema: {
        tags,
        summary: '老年人可能符合但未享受的待遇（告知其依法申请）；?dismissed=true 同时列出已忽略的',
        querystring: doc(EntitlementHintsQuery),
      },
    },
    (req) => services.entitlements.hints(req.ctx(), id(req), req.query),
  );
  app.post(
    '/api/elders/:id/entitlement-hints/dismissals',
    {
      schema: {
        tags,
        summary: '忽略一条权益提示（须填写原因；已告知时原因为“已告知其依法申请”）',
        body: doc(EntitlementDismissalInput),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await services.entitlements.dismiss(req.ctx(), id(req), req.body)),
  );
}
