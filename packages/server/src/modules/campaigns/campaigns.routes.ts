import { CampaignInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { CampaignCancelInput } from './campaigns.service.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/campaigns`: campaigns (专项探访) — time-boxed extra visits. */
export function campaignsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['专项探访 campaigns'];
  app.get(
    '/api/campaigns',
    {
      schema: {
        tags,
        summary: '适用于本辖区（或 region）的专项探访，含上级部署的；state 筛选状态',
      },
    },
    (req) => services.campaigns.list(req.ctx(), req.query),
  );
  app.get('/api/campaigns/:id', { schema: { tags, summary: '一项专项探访' } }, (req) =>
    services.campaigns.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/campaigns',
    { schema: { tags, summary: '部署专项探访', body: doc(CampaignInput) } },
    async (req, reply) =>
      reply.status(201).send(await services.campaigns.create(req.ctx(), req.body)),
  );
  app.post(
    '/api/campaigns/:id/cancel',
    { schema: { tags, summary: '取消专项探访（未结束的）', body: doc(CampaignCancelInput) } },
    (req) => services.campaigns.cancel(req.ctx(), id(req), req.body),
  );
}
