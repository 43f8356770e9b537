import type { FastifyInstance } from 'fastify';
import { VERSION } from '../../config.js';
import type { Services } from '../../services.js';

/** `GET /api/health`: liveness, which database, which version. Does not wait on the database. */
export function healthRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/health', { schema: { tags: ['系统 system'], summary: '健康检查' } }, () => ({
    status: 'ok',
    database: services.database.kind,
    version: VERSION,
  }));
}
