import { UnvisitedQuery, VisitRateQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/visit-rate`: the visit rate (探访率) from the rollup, current as each visit is saved. */
export function rollupsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访率 visit rate'];
  app.get(
    '/api/visit-rate',
    {
      schema: {
        tags,
        summary:
          '区域的探访率（?region=&period=2026-11|2026-Q4|2026-W47&by=none|tier|category）：应访、按时、补录、未访与探访率，按下级区域',
        querystring: doc(VisitRateQuery),
      },
    },
    (req) => services.rollups.rate(req.ctx(), req.query),
  );
  app.get(
    '/api/visit-rate/unvisited',
    {
      schema: {
        tags,
        summary: '区域在统计周期内未探访的老年人（?region=&period=&page=&pageSize=）',
        querystring: doc(UnvisitedQuery),
      },
    },
    (req) => services.rollups.unvisited(req.ctx(), req.query),
  );
}
