import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { attachment } from '../imports/imports.routes.js';
import { XLSX_TYPE } from '../imports/ledger-sheet.js';

/** `/api/exports`: the ledger as .xlsx. */
export function exportsRoutes(app: FastifyInstance, services: Services): void {
  app.get(
    '/api/exports/elders',
    {
      schema: {
        tags: ['导出 exports'],
        summary:
          '导出台账（.xlsx，摸底登记表的列；?region=&status=&reason=（必填）&full=false；号码默认遮盖，记录审计）',
      },
    },
    async (req, reply) => {
      const { fileName, count, stream } = await services.exports.elders(req.ctx(), req.query);
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment(fileName))
        .header('x-record-count', String(count))
        .send(stream);
    },
  );
}
