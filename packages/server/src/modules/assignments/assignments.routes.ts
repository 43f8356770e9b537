import { AssignInput, EndAssignmentInput, ReassignInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/assignments`: who visits whom (逐户确定探访人), and an elder's assignment history. */
export function assignmentsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访分配 assignments'];
  app.get(
    '/api/assignments',
    {
      schema: {
        tags,
        summary: '在册老年人及其当前探访人（unassigned=true：未落实探访人）',
      },
    },
    (req) => services.assignments.list(req.ctx(), req.query),
  );
  app.post(
    '/api/assignments',
    {
      schema: {
        tags,
        summary: '为多位老年人分配探访人（全部成功或全部不写）',
        body: doc(AssignInput),
      },
    },
    async (req, reply) =>
      reply.status(201).send(await services.assignments.assign(req.ctx(), req.body)),
  );
  app.post(
    '/api/assignments/:id/end',
    { schema: { tags, summary: '结束一项探访分配', body: doc(EndAssignmentInput) } },
    (req) => services.assignments.end(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/assignments/reassign/preview',
    {
      schema: {
        tags,
        summary: '调整分配：预览受影响的老年人（不写入）',
        body: doc(ReassignInput),
      },
    },
    (req) => services.assignments.previewReassign(req.ctx(), req.body),
  );
  app.post(
    '/api/assignments/reassign',
    {
      schema: {
        tags,
        summary:
          '调整分配：结束原分配并自生效日期起由接替人负责（带上预览的 expectedAssignmentIds）',
        body: doc(ReassignInput),
      },
    },
    (req) => services.assignments.reassign(req.ctx(), req.body),
  );
  app.get(
    '/api/elders/:id/assignments',
    { schema: { tags, summary: '一位老年人的探访分配历史（最新在前）' } },
    (req) => services.assignments.history(req.ctx(), id(req)),
  );
}
