import { ATTACHMENT_MAX_BYTES, ATTACHMENT_MIME_TYPES } from '@tanfang/domain';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { fileTooLarge, notAnImage } from './attachments.service.js';

const id = (req: { params: unknown }) => (req.params as { id: string }).id;

/** `/api/attachments`: photos and signatures of visits (raw image bodies, up to 8 MB). */
export function attachmentsRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['探访附件 attachments'];
  void app.register(async (scope) => {
    // Only images here: no JSON or text parser, so anything else is a 415 before it is read.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      [...ATTACHMENT_MIME_TYPES],
      { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    // A declared length over the limit is refused before a byte of the body is read.
    scope.addHook('onRequest', async (req) => {
      if (req.method !== 'PUT') return;
      const length = Number(req.headers['content-length'] ?? 0);
      if (length > ATTACHMENT_MAX_BYTES) throw fileTooLarge();
    });
    scope.setErrorHandler((error: FastifyError, _req, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const e = fileTooLarge();
        return reply
          .status(413)
          .send({ error: { code: e.code, message: e.message, field: e.field } });
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        const e = notAnImage();
        return reply
          .status(415)
          .send({ error: { code: e.code, message: e.message, field: e.field } });
      }
      throw error; // everything else: the app's error handler
    });
    scope.put(
      '/api/attachments/:id',
      {
        bodyLimit: ATTACHMENT_MAX_BYTES,
        schema: {
          tags,
          summary:
            '上传照片或签字（请求体为图片，image/jpeg|png|webp，最大 8 MB；?elderId=&kind=photo|signature；编号由客户端生成）',
        },
      },
      async (req, reply) => {
        const { created, attachment } = await services.attachments.put(
          req.ctx(),
          id(req),
          req.query,
          req.headers['content-type'],
          req.body,
        );
        return reply.status(created ? 201 : 200).send(attachment);
      },
    );
  });
  app.get(
    '/api/attachments/:id',
    { schema: { tags, summary: '查看照片或签字图片' } },
    async (req, reply) => {
      const file = await services.attachments.get(req.ctx(), id(req));
      return reply
        .header('content-type', file.mime)
        .header('cache-control', 'private, max-age=86400')
        .header('etag', `"${file.sha256}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );
}
