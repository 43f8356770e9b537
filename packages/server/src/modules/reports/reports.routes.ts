import { LedgerCompletenessQuery, MonthlyStatisticsQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { attachment } from '../imports/imports.routes.js';
import { XLSX_TYPE } from '../imports/ledger-sheet.js';

const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/reports`: 统计报表 — the monthly statistics table and the ledger completeness report. */
export function reportsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['统计报表 reports'];
  app.get(
    '/api/reports/monthly-statistics',
    {
      schema: {
        tags,
        summary:
          '月度探访关爱工作统计表（?region=&month=YYYY-MM）：下级区域的在册人数、应访、按时探访、补录、未探访、月探访率、分类别、发现问题、紧急情况、转介、关爱服务，含合计',
        querystring: doc(MonthlyStatisticsQuery),
      },
    },
    (req) => services.reports.monthlyStatistics(req.ctx(), req.query),
  );
  app.get(
    '/api/reports/monthly-statistics.xlsx',
    {
      schema: {
        tags,
        summary: '下载月度探访关爱工作统计表（.xlsx，?region=&month=YYYY-MM；记录审计）',
        querystring: doc(MonthlyStatisticsQuery),
      },
    },
    async (req, reply) => {
      const file = await services.reports.monthlyStatisticsFile(req.ctx(), req.query);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment(file.fileName))
        .send(file.body);
    },
  );
  app.get(
    '/api/reports/ledger-completeness',
    {
      schema: {
        tags,
        summary:
          '台账完整性（?region=）：各村(居)老年人数、完整记录数、完整率及各必填项的缺项记录数，含合计',
        querystring: doc(LedgerCompletenessQuery),
      },
    },
    (req) => services.reports.ledgerCompleteness(req.ctx(), req.query),
  );
  app.get(
    '/api/reports/ledger-completeness.xlsx',
    {
      schema: {
        tags,
        summary:
          '下载台账完整性报表（.xlsx，?region=；各村汇总、不完整记录清单（不含证件号码）、必填项说明；记录审计）',
        querystring: doc(LedgerCompletenessQuery),
      },
    },
    async (req, reply) => {
      const file = await services.reports.ledgerCompletenessFile(req.ctx(), req.query);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment(file.fileName))
        .header('x-record-count', String(file.count))
        .send(file.body);
    },
  );
}
