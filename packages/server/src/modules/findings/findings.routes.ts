import {
  DeadlineConfigInput,
  DeadlineConfigQuery,
  DisposalInput,
  FindingListQuery,
  FindingNoteInput,
  FindingOwnerInput,
  FindingTransitionInput,
} from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/findings`: what visits found (发现的问题) and how each is followed to its end. */
export function findingsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['发现问题 findings'];
  app.get(
    '/api/findings',
    {
      schema: {
        tags,
        summary:
          '辖区内探访发现的问题（?region=&status=&severity=&type=&overdue=，紧急在前，再按最新）',
        querystring: doc(FindingListQuery),
      },
    },
    (req) => services.findings.list(req.ctx(), req.query),
  );
  app.get(
    '/api/elders/:id/findings',
    { schema: { tags, summary: '老年人的探访发现问题' } },
    (req) => services.findings.ofElder(req.ctx(), id(req)),
  );
  app.get(
    '/api/findings/:id',
    {
      schema: {
        tags,
        summary: '一个发现问题：处理经过（谁、何时）、处置情况记录、期限、可执行的操作',
      },
    },
    (req) => services.findings.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/findings/:id/transitions',
    {
      schema: {
        tags,
        summary: '变更处理状态（受理、办结、关闭、重新处理）；不允许的变更返回 409 及可选状态',
        body: doc(FindingTransitionInput),
      },
    },
    (req) => services.findings.transition(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/findings/:id/disposals',
    { schema: { tags, summary: '填写处置情况记录', body: doc(DisposalInput) } },
    async (req, reply) =>
      reply.status(201).send(await services.findings.addDisposal(req.ctx(), id(req), req.body)),
  );
  app.put(
    '/api/findings/:id/owner',
    {
      schema: {
        tags,
        summary: '指定负责人（辖区内村、乡镇、县工作人员；null 为不指定）',
        body: doc(FindingOwnerInput),
      },
    },
    (req) => services.findings.setOwner(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/findings/:id/notes',
    { schema: { tags, summary: '添加备注', body: doc(FindingNoteInput) } },
    async (req, reply) =>
      reply.status(201).send(await services.findings.addNote(req.ctx(), id(req), req.body)),
  );
  app.get(
    '/api/follow-up/deadlines',
    {
      schema: {
        tags,
        summary: '处理期限（?region=）：本级设置、上级设置或系统默认',
        querystring: doc(DeadlineConfigQuery),
      },
    },
    (req) => services.deadlines.get(req.ctx(), req.query),
  );
  app.put(
    '/api/follow-up/deadlines',
    {
      schema: {
        tags,
        summary: '设置本区域的处理期限（县、市民政局；未列出的沿用上级或默认）',
        querystring: doc(DeadlineConfigQuery),
        body: doc(DeadlineConfigInput),
      },
    },
    (req) => services.deadlines.put(req.ctx(), req.query, req.body),
  );
}
