import { VisitorFields, VisitorLeaveInput, VisitorPatch } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/visitors`: the visitor registry (探访人员). */
export function visitorsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访人员 visitors'];
  app.get(
    '/api/visitors',
    { schema: { tags, summary: '辖区内的探访人员（电话、身份证号已遮盖）' } },
    (req) => services.visitors.list(req.ctx(), req.query),
  );
  app.get(
    '/api/visitors/accounts',
    { schema: { tags, summary: '可关联的探访人员登录账号（按服务区域）' } },
    (req) => services.visitors.accounts(req.ctx(), req.query),
  );
  app.get('/api/visitors/:id', { schema: { tags, summary: '一位探访人员' } }, (req) =>
    services.visitors.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/visitors',
    { schema: { tags, summary: '登记探访人员', body: doc(VisitorFields) } },
    async (req, reply) =>
      reply.status(201).send(await services.visitors.create(req.ctx(), req.body)),
  );
  app.patch(
    '/api/visitors/:id',
    { schema: { tags, summary: '修改探访人员（需带 version）', body: doc(VisitorPatch) } },
    (req) => services.visitors.update(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/visitors/:id/leave',
    {
      schema: {
        tags,
        summary: '标记离岗（须先将其负责的老年人改派他人）',
        body: doc(VisitorLeaveInput),
      },
    },
    (req) => services.visitors.leave(req.ctx(), id(req), req.body),
  );
}
