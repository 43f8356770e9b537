import {
  RevealInput,
  SpotCheckAssignInput,
  SpotCheckDrawInput,
  SpotCheckListQuery,
  SpotCheckPassRateQuery,
  SpotCheckResultInput,
} from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/spot-checks`, `/api/spot-check-items`: spot checks (抽查) of recorded visits. */
export function spotChecksRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['抽查 spot checks'];
  const s = () => services.spotChecks;
  app.get(
    '/api/spot-checks',
    {
      schema: {
        tags,
        summary: '辖区内的抽查样本（?region=&period=2026|2026-11），含核实进度与通过率',
        querystring: doc(SpotCheckListQuery),
      },
    },
    (req) => s().list(req.ctx(), req.query),
  );
  app.post(
    '/api/spot-checks',
    {
      schema: {
        tags,
        summary:
          '抽取乡镇（街道）某月的探访记录样本：按探访人员分层，抽样比例或每人条数，种子可指定（默认随机并保存）；同一乡镇同一月份再次抽取返回 409',
        body: doc(SpotCheckDrawInput),
      },
    },
    async (req, reply) => reply.status(201).send(await s().draw(req.ctx(), req.body)),
  );
  app.get(
    '/api/spot-checks/pass-rate',
    {
      schema: {
        tags,
        summary:
          '抽查通过率（核实通过 ÷ 已核实）：区域及其下级（?region=&period=2026|2026-Q4|2026-11）',
        querystring: doc(SpotCheckPassRateQuery),
      },
    },
    (req) => s().passRate(req.ctx(), req.query),
  );
  app.get('/api/spot-checks/:id', { schema: { tags, summary: '抽查样本及其抽查项' } }, (req) =>
    s().get(req.ctx(), id(req)),
  );
  app.get(
    '/api/spot-checks/:id/reproduce',
    { schema: { tags, summary: '按保存的种子和探访记录清单重新抽样，核对是否与样本一致' } },
    (req) => s().reproduce(req.ctx(), id(req)),
  );
  app.get(
    '/api/spot-checks/:id/checkers',
    { schema: { tags, summary: '可分配的核实人员（本乡镇、本县民政工作人员）' } },
    (req) => s().checkers(req.ctx(), id(req)),
  );
  app.post(
    '/api/spot-checks/:id/assignments',
    {
      schema: { tags, summary: '将抽查项分配给核实人员', body: doc(SpotCheckAssignInput) },
    },
    (req) => s().assign(req.ctx(), id(req), req.body),
  );
  app.post(
    '/api/spot-check-items/:id/result',
    {
      schema: {
        tags,
        summary:
          '记录核实结果（电话核实、实地核实、未能核实须备注；修改须备注）；未能核实的探访不再计入探访率',
        body: doc(SpotCheckResultInput),
      },
    },
    (req) => s().recordResult(req.ctx(), id(req), req.body),
  );
  app.get(
    '/api/spot-check-items/:id/events',
    { schema: { tags, summary: '抽查项的分配与核实记录' } },
    (req) => s().events(req.ctx(), id(req)),
  );
  app.post(
    '/api/spot-check-items/:id/phone',
    {
      schema: {
        tags,
        summary: '查看老年人及紧急联系人的完整电话（电话核实用，须原因，记录审计）',
        body: doc(RevealInput),
      },
    },
    (req) => s().revealPhone(req.ctx(), id(req), req.body),
  );
}
