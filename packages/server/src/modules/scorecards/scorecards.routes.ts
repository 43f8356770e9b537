import { PassThrough } from 'node:stream';
import { ScorecardConfigInput, ScorecardConfigQuery, ScorecardQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { attachment } from '../imports/imports.routes.js';
import { XLSX_TYPE } from '../imports/ledger-sheet.js';
import { writeScorecardWorkbook } from './scorecards.export.js';

const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/scorecards`: 绩效考评 of townships and counties, their configuration and export. */
export function scorecardsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['绩效考评 scorecards'];
  app.get(
    '/api/scorecards',
    {
      schema: {
        tags,
        summary:
          '年度绩效考评（?region=&year=）：县(区)或乡镇(街道)本级及下级各乡镇(县)的得分，每项指标的分子、分母、权重与得分',
        querystring: doc(ScorecardQuery),
      },
    },
    (req) => services.scorecards.scorecards(req.ctx(), req.query),
  );
  app.get(
    '/api/scorecards/export',
    {
      schema: {
        tags,
        summary: '导出年度绩效考评表（.xlsx，?region=&year=；记录审计）',
        querystring: doc(ScorecardQuery),
      },
    },
    async (req, reply) => {
      const dto = await services.scorecards.forExport(req.ctx(), req.query);
      const stream = new PassThrough();
      writeScorecardWorkbook(stream, dto).catch((error: unknown) => stream.destroy(error as Error));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment(`绩效考评-${dto.region.name}-${dto.year}.xlsx`))
        .send(stream);
    },
  );
  app.get(
    '/api/scorecards/config',
    {
      schema: {
        tags,
        summary: '考评指标与权重（?region=&year=）：本级设置、上级设置或系统默认',
        querystring: doc(ScorecardConfigQuery),
      },
    },
    (req) => services.scorecards.config(req.ctx(), req.query),
  );
  app.put(
    '/api/scorecards/config',
    {
      schema: {
        tags,
        summary: '设置考评指标与权重（县(区)、市民政局；?region=&year=；权重合计须为 100）',
        querystring: doc(ScorecardConfigQuery),
        body: doc(ScorecardConfigInput),
      },
    },
    (req) => services.scorecards.setConfig(req.ctx(), req.query, req.body),
  );
}
