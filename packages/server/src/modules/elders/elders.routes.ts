import { ElderFields, ElderStatusChange, RevealInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/elders`: the ledger (台账). */
export function eldersRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['台账 elders'];
  app.post(
    '/api/elders',
    { schema: { tags, summary: '登记老年人（信息采集表）', body: doc(ElderFields) } },
    async (req, reply) => reply.status(201).send(await services.elders.create(req.ctx(), req.body)),
  );
  app.get('/api/elders', { schema: { tags, summary: '台账列表（号码已遮盖）' } }, (req) =>
    services.elders.list(req.ctx(), req.query),
  );
  app.get('/api/elders/:id', { schema: { tags, summary: '一位老年人的完整记录与历史' } }, (req) =>
    services.elders.get(req.ctx(), id(req)),
  );
  app.patch('/api/elders/:id', { schema: { tags, summary: '修改记录（需带 version）' } }, (req) =>
    services.elders.update(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/elders/:id/status',
    {
      schema: {
        tags,
        summary: '状态变更（迁出、入住机构、住院、已故）',
        body: doc(ElderStatusChange),
      },
    },
    (req) => services.elders.changeStatus(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/elders/:id/reveal',
    { schema: { tags, summary: '查看完整身份证号与电话（记录审计）', body: doc(RevealInput) } },
    (req) => services.elders.reveal(req.ctx(), id(req), req.body),
  );
}
