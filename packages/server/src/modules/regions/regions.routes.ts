import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';

/** `/api/regions`: the region tree within the user's jurisdiction. */
export function regionsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['区划 regions'];
  app.get('/api/regions/:code', { schema: { tags, summary: '一个区划及其上级路径' } }, (req) =>
    services.regions.get(req.ctx(), (req.params as { code: string }).code),
  );
  app.get('/api/regions/:code/children', { schema: { tags, summary: '下级区划' } }, (req) =>
    services.regions.children(req.ctx(), (req.params as { code: string }).code),
  );
  app.get('/api/regions', { schema: { tags, summary: '按名称查找辖区内的区划（q）' } }, (req) =>
    services.regions.search(req.ctx(), req.query),
  );
}
