import {
  PolicyCreateInput,
  PolicyRetireInput,
  PolicyVersionInput,
  PresetApplyInput,
} from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const param = (req: { params: unknown }, name: string) =>
  (req.params as Record<string, string>)[name]!;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/policies`: visit policies (探访规则), versioned by effective date, and presets. */
export function policiesRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访规则 policies'];
  app.get(
    '/api/policies',
    { schema: { tags, summary: '适用于本辖区（或 region）的探访规则，含上级制定的' } },
    (req) => services.policies.list(req.ctx(), req.query),
  );
  app.get(
    '/api/policies/presets',
    { schema: { tags, summary: '预置规则（全国、丹东、鞍山）' } },
    (req) => services.policies.presets(req.ctx()),
  );
  app.post(
    '/api/policies/presets/:key/apply',
    { schema: { tags, summary: '为一个区域采用预置规则', body: doc(PresetApplyInput) } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await services.policies.applyPreset(req.ctx(), param(req, 'key'), req.body)),
  );
  app.get('/api/policies/:id', { schema: { tags, summary: '一条探访规则及其各版本' } }, (req) =>
    services.policies.get(req.ctx(), param(req, 'id')),
  );
  app.post(
    '/api/policies',
    { schema: { tags, summary: '制定探访规则（第 1 版）', body: doc(PolicyCreateInput) } },
    async (req, reply) =>
      reply.status(201).send(await services.policies.create(req.ctx(), req.body)),
  );
  app.post(
    '/api/policies/:id/versions',
    {
      schema: { tags, summary: '修改规则：自某日起的新版本', body: doc(PolicyVersionInput) },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await services.policies.addVersion(req.ctx(), param(req, 'id'), req.body)),
  );
  app.post(
    '/api/policies/:id/retire',
    { schema: { tags, summary: '自某日起停用规则', body: doc(PolicyRetireInput) } },
    (req) => services.policies.retire(req.ctx(), param(req, 'id'), req.body),
  );
}
