import { DashboardPeriodQuery, DashboardRegionQuery, RateTrendQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/dashboard`: the figures of 数据看板, each for a region within the jurisdiction. */
export function dashboardRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['数据看板 dashboard'];
  app.get(
    '/api/dashboard/rate-trend',
    {
      schema: {
        tags,
        summary:
          '月探访率走势（?region=&months=12）：本区域及各下级区域每月的应访、已访与探访率，及规则要求的目标',
        querystring: doc(RateTrendQuery),
      },
    },
    (req) => services.dashboard.rateTrend(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/findings',
    {
      schema: {
        tags,
        summary: '发现问题按类型和状态统计（?region=&from=&to=，默认近 12 个月），含逾期数',
        querystring: doc(DashboardPeriodQuery),
      },
    },
    (req) => services.dashboard.findings(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/emergencies',
    {
      schema: {
        tags,
        summary: '紧急情况及响应时间（?region=&from=&to=）：中位数、90 分位、按期响应比例，按月',
        querystring: doc(DashboardPeriodQuery),
      },
    },
    (req) => services.dashboard.emergencies(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/needs',
    {
      schema: {
        tags,
        summary: '服务需求分布（?region=&from=&to=）：探访提出的需求与需求转介，按服务类别',
        querystring: doc(DashboardPeriodQuery),
      },
    },
    (req) => services.dashboard.needs(req.ctx(), req.query),
  );
  app.get(
    '/api/dashboard/campaigns',
    {
      schema: {
        tags,
        summary: '进行中的专项探访进度（?region=）：应访、已访、逾期与完成率',
        querystring: doc(DashboardRegionQuery),
      },
    },
    (req) => services.dashboard.campaigns(req.ctx(), req.query),
  );
}
