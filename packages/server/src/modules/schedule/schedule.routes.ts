import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

/** `/api/worklist`, `/api/schedule`: what is due, done and overdue. */
export function scheduleRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访任务 schedule'];
  app.get(
    '/api/worklist',
    {
      schema: {
        tags,
        summary: '探访任务：探访人员本人的待访清单；带 region 时为村(居)、乡镇的逾期与未落实探访人',
      },
    },
    (req) => {
      const query = req.query as Record<string, unknown>;
      return query['region'] === undefined
        ? services.schedule.visitorWorklist(req.ctx())
        : services.schedule.regionWorklist(req.ctx(), query);
    },
  );
  app.get(
    '/api/schedule/summary',
    { schema: { tags, summary: '应访、已访、逾期统计（按下级区域，默认本月）' } },
    (req) => services.schedule.summary(req.ctx(), req.query),
  );
  app.get(
    '/api/elders/:id/schedule',
    { schema: { tags, summary: '一位老年人适用的探访规则与各周期完成情况' } },
    (req) =>
      services.schedule.elderSchedule(req.ctx(), (req.params as { id: string }).id, req.query),
  );
}
