import { ElderVisitsQuery, VisitAmendmentInput, VisitInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/visits`: visit records (探访记录). */
export function visitsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访记录 visits'];
  app.post(
    '/api/visits',
    {
      schema: {
        tags,
        summary: '录入探访记录（编号由客户端生成；同一编号重复提交返回同一记录，200）',
        body: doc(VisitInput),
      },
    },
    async (req, reply) => {
      const { created, visit } = await services.visits.create(req.ctx(), req.body);
      return reply.status(created ? 201 : 200).send(visit);
    },
  );
  // A static path: find-my-way prefers it to `/api/visits/:id` whatever the order.
  app.get(
    '/api/visits/amendable',
    {
      schema: {
        tags,
        summary:
          '本人录入、仍可更正的探访记录（录入后规定天数内；探访人员仅限当前负责的老年人；最近录入在前，至多 50 条）',
      },
    },
    (req) => services.visitAmendments.amendable(req.ctx()),
  );
  app.get(
    '/api/visits/:id',
    { schema: { tags, summary: '一条探访记录（含探访凭证与发现的问题）' } },
    (req) => services.visits.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/visits/:id/amendments',
    {
      schema: {
        tags,
        summary:
          '更正探访记录（录入人或村、乡镇工作人员，录入后规定天数内；带所读版本 revision，已被他人更正则 409；原版本保留在修改记录中）',
        body: doc(VisitAmendmentInput),
      },
    },
    (req) => services.visitAmendments.amend(req.ctx(), id(req), req.body),
  );
  app.get(
    '/api/visits/:id/revisions',
    { schema: { tags, summary: '探访记录的修改记录：被更正前的各版本（最早在前）' } },
    (req) => services.visitAmendments.revisions(req.ctx(), id(req)),
  );
  app.get(
    '/api/elders/:id/visits',
    {
      schema: {
        tags,
        summary: '老年人的探访记录（?year=YYYY，最新在前）',
        querystring: doc(ElderVisitsQuery),
      },
    },
    (req) => services.visits.listOfElder(req.ctx(), id(req), req.query),
  );
}
