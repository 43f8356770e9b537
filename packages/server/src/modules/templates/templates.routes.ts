import { FormTemplate } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

/** `/api/templates`: visit form templates (探访记录表), built in and uploaded. */
export function templatesRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访记录表 templates'];
  app.get(
    '/api/templates',
    { schema: { tags, summary: '可用的探访记录表（内置与本辖区上传）' } },
    (req) => services.templates.list(req.ctx()),
  );
  app.get(
    '/api/templates/:key/:version',
    { schema: { tags, summary: '一个探访记录表版本的完整定义' } },
    (req) => {
      const { key, version } = req.params as { key: string; version: string };
      return services.templates.get(req.ctx(), key, version);
    },
  );
  app.post(
    '/api/templates',
    {
      schema: {
        tags,
        summary: '上传探访记录表或其新版本（JSON，市级）',
        body: z.toJSONSchema(FormTemplate, { io: 'input', unrepresentable: 'any' }) as Record<
          string,
          unknown
        >,
      },
    },
    async (req, reply) =>
      reply.status(201).send(await services.templates.upload(req.ctx(), req.body)),
  );
}
