import { ProviderFields, ProviderListQuery, ProviderPatch } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/providers`: the registry of service providers (服务机构). */
export function providersRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['服务机构 providers'];
  app.get(
    '/api/providers',
    {
      schema: {
        tags,
        summary: '服务机构（本辖区及上级登记的；?region=&kind=&status=&serving=&q=）',
        querystring: doc(ProviderListQuery),
      },
    },
    (req) => services.providers.list(req.ctx(), req.query),
  );
  app.get('/api/providers/:id', { schema: { tags, summary: '一个服务机构' } }, (req) =>
    services.providers.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/providers',
    { schema: { tags, summary: '登记服务机构', body: doc(ProviderFields) } },
    async (req, reply) =>
      reply.status(201).send(await services.providers.create(req.ctx(), req.body)),
  );
  app.patch(
    '/api/providers/:id',
    { schema: { tags, summary: '修改服务机构（含启用、停用）', body: doc(ProviderPatch) } },
    (req) => services.providers.update(req.ctx(), id(req), req.body),
  );
}
