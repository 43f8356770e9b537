import { FindingListQuery } from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../services.js';

/** `/api/findings`: what visits found (发现的问题). */
export function findingsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['发现问题 findings'];
  app.get(
    '/api/findings',
    {
      schema: {
        tags,
        summary: '辖区内探访发现的问题（?region=&status=&severity=&type=，紧急在前，再按最新）',
        querystring: z.toJSONSchema(FindingListQuery, {
          io: 'input',
          unrepresentable: 'any',
        }) as Record<string, unknown>,
      },
    },
    (req) => services.findings.list(req.ctx(), req.query),
  );
  app.get(
    '/api/elders/:id/findings',
    { schema: { tags, summary: '老年人的探访发现问题' } },
    (req) => services.findings.ofElder(req.ctx(), (req.params as { id: string }).id),
  );
}
