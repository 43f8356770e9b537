import { CareServiceInput, CareServiceListQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/care-services`: care services given (关爱服务, 丹东 记录表 六). */
export function careServicesRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['关爱服务 care services'];
  app.get(
    '/api/care-services',
    {
      schema: {
        tags,
        summary:
          '关爱服务（工作人员：本辖区，?region=&satisfaction=&from=&to=；服务机构：本机构的）',
        querystring: doc(CareServiceListQuery),
      },
    },
    (req) => services.careServices.list(req.ctx(), req.query),
  );
  app.post(
    '/api/care-services',
    {
      schema: {
        tags,
        summary: '记录关爱服务（服务时间、内容、服务提供者、满意度；id 由客户端生成）',
        body: doc(CareServiceInput),
      },
    },
    async (req, reply) => {
      const { created, service } = await services.careServices.create(req.ctx(), req.body);
      return reply.status(created ? 201 : 200).send(service);
    },
  );
  app.get(
    '/api/elders/:id/care-services',
    { schema: { tags, summary: '老年人的关爱服务' } },
    (req) => services.careServices.ofElder(req.ctx(), (req.params as { id: string }).id),
  );
}
