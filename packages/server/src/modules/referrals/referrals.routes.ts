import { ReferralInput, ReferralListQuery, ReferralTransitionInput } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const doc = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** `/api/referrals`: needs referred to service providers (需求转介). */
export function referralsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['需求转介 referrals'];
  app.get(
    '/api/referrals',
    {
      schema: {
        tags,
        summary:
          '转介列表（工作人员：本辖区，?status=&providerId=&region=；服务机构：转介给本机构的）',
        querystring: doc(ReferralListQuery),
      },
    },
    (req) => services.referrals.list(req.ctx(), req.query),
  );
  app.get('/api/referrals/:id', { schema: { tags, summary: '一条转介及其全部经过' } }, (req) =>
    services.referrals.get(req.ctx(), id(req)),
  );
  app.post(
    '/api/referrals',
    {
      schema: {
        tags,
        summary: '转介需求至服务机构（id 由客户端生成，重试返回同一条，200）',
        body: doc(ReferralInput),
      },
    },
    async (req, reply) => {
      const { created, referral } = await services.referrals.create(req.ctx(), req.body);
      return reply.status(created ? 201 : 200).send(referral);
    },
  );
  app.post(
    '/api/referrals/:id/transitions',
    {
      schema: {
        tags,
        summary:
          '服务机构接收、拒绝（须原因）、报告进展、完成（须服务结果）；工作人员撤回（须原因）。不允许的变更返回 409 及可改为的状态',
        body: doc(ReferralTransitionInput),
      },
    },
    (req) => services.referrals.transition(req.ctx(), id(req), req.body),
  );
  app.get('/api/elders/:id/referrals', { schema: { tags, summary: '老年人的转介' } }, (req) =>
    services.referrals.ofElder(req.ctx(), id(req)),
  );
}
