import type { FastifyError, FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { XLSX_TYPE } from './ledger-sheet.js';
import { DEFAULT_XLSX_LIMITS } from './xlsx-guard.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;
const MAX_MB = DEFAULT_XLSX_LIMITS.maxFileBytes / (1024 * 1024);

/** `Content-Disposition` for a download with a Chinese file name (RFC 6266 / 5987). */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** `/api/imports`: census import (摸底排查) of elder records from .xlsx. */
export function importsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['摸底导入 imports'];
  app.get(
    '/api/imports/elders/template',
    { schema: { tags, summary: '下载摸底登记模板（.xlsx，含填写说明）' } },
    async (req, reply) => {
      const file = await services.imports.templateFile(req.ctx());
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment('摸底登记模板.xlsx'))
        .send(file);
    },
  );

  // The upload route alone takes .xlsx bodies, up to 50 MB (the rest of the API: JSON, 1 MB).
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      [XLSX_TYPE, 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: DEFAULT_XLSX_LIMITS.maxFileBytes },
      (_req, body, done) => done(null, body),
    );
    // Role first: a 50 MB body is not read for someone who may not import.
    scope.addHook('onRequest', async (req) => services.imports.assertCanImport(req.ctx()));
    scope.setErrorHandler((error: FastifyError, _req, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        return reply.status(413).send({
          error: {
            code: 'file_too_large',
            message: `文件过大，上限为 ${MAX_MB} MB，请拆分后分批导入`,
            field: 'file',
          },
        });
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        return reply.status(415).send({
          error: {
            code: 'unsupported_media_type',
            message: `请以 .xlsx 文件上传（Content-Type: ${XLSX_TYPE}）`,
            field: 'file',
          },
        });
      }
      throw error; // everything else: the app's error handler
    });
    scope.post(
      '/api/imports/elders',
      {
        bodyLimit: DEFAULT_XLSX_LIMITS.maxFileBytes,
        schema: {
          tags,
          summary:
            '上传填好的摸底登记表（请求体为 .xlsx 文件；?mode=all_or_nothing|valid_only&fileName=），后台导入，返回导入编号',
        },
      },
      async (req, reply) =>
        reply.status(202).send(await services.imports.start(req.ctx(), req.query, req.body)),
    );
  });

  app.get(
    '/api/imports/:id',
    { schema: { tags, summary: '导入进度、汇总与前 200 条错误' } },
    (req) => services.imports.get(req.ctx(), id(req)),
  );
  app.get(
    '/api/imports/:id/report',
    { schema: { tags, summary: '下载导入报告（.xlsx：行号、列、说明；更新明细）' } },
    async (req, reply) => {
      const { fileName, stream } = await services.imports.report(req.ctx(), id(req));
      return reply
        .header('content-type', XLSX_TYPE)
        .header('content-disposition', attachment(fileName))
        .send(stream);
    },
  );
}
