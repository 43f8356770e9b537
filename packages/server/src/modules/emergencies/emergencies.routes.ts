import {
  EmergencyChecklist,
  EmergencyInput,
  EmergencyListQuery,
  EmergencySummaryQuery,
} from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/emergencies`: emergencies (紧急情况), their response and escalation. */
export function emergenciesRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['紧急情况 emergencies'];
  app.post(
    '/api/emergencies',
    {
      schema: {
        tags,
        summary: '上报紧急情况（工作人员直接上报；按客户端编号幂等），立即通知村、乡镇值班人员',
        body: doc(EmergencyInput),
      },
    },
    async (req, reply) => {
      const { created, finding } = await services.emergencies.create(req.ctx(), req.body);
      return reply.status(created ? 201 : 200).send(finding);
    },
  );
  app.get(
    '/api/emergencies',
    {
      schema: {
        tags,
        summary: '辖区内的紧急情况（?region=&state=active|open|acknowledged|closed），含响应时间',
        querystring: doc(EmergencyListQuery),
      },
    },
    (req) => services.emergencies.list(req.ctx(), req.query),
  );
  app.get(
    '/api/emergencies/summary',
    {
      schema: {
        tags,
        summary: '紧急情况响应时间统计（中位数、90 分位，?region=&from=&to=）',
        querystring: doc(EmergencySummaryQuery),
      },
    },
    (req) => services.emergencies.summary(req.ctx(), req.query),
  );
  app.post(
    '/api/emergencies/:id/acknowledge',
    { schema: { tags, summary: '响应紧急情况（首次响应即停止逐级升级，记录响应时间）' } },
    (req) => services.emergencies.acknowledge(req.ctx(), id(req)),
  );
  app.put(
    '/api/emergencies/:id/checklist',
    {
      schema: {
        tags,
        summary: '填写处置清单（拨打的紧急电话、联系家属、老年人目前情况），每次变更留痕',
        body: doc(EmergencyChecklist),
      },
    },
    (req) => services.emergencies.updateChecklist(req.ctx(), id(req), req.body),
  );
}
