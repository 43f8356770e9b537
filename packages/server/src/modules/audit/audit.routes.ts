import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

/** `/api/audit`: the audit log within the reader's jurisdiction. */
export function auditRoutes(app: FastifyInstance, services: Services): void {
  app.get('/api/audit', { schema: { tags: ['审计 audit'], summary: '审计日志' } }, (req) =>
    services.audit.list(req.ctx(), req.query),
  );
}
