import { createHash } from 'node:crypto';
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENT_MIME_TYPES,
  AttachmentUploadQuery,
  isUuid,
  type AttachmentDto,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { VISIT_RECORDERS, elderOfOwnVisitor, elderReadableBy } from '../visits/visits.service.js';
import { sniffImage } from './image-sniff.js';
import {
  attachmentContent,
  findAttachment,
  insertAttachmentIfNew,
} from './attachments.repository.js';

const MAX_MB = ATTACHMENT_MAX_BYTES / (1024 * 1024);

/** 413 for a file over the limit (named `file`). */
export const fileTooLarge = () =>
  new AppError(
    413,
    'file_too_large',
    `文件过大：照片或签字图片最大 ${MAX_MB} MB，请压缩后重新上传`,
    'file',
  );

/** 415 for a body that is not an accepted image. */
export const notAnImage = () =>
  new AppError(
    415,
    'unsupported_media_type',
    '文件不是图片：照片或签字请以 JPEG、PNG 或 WebP 图片上传',
    'file',
  );

const LABELS: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
};

/** Photos and signatures of visits, uploaded before the visit under a client-made id. */
export class AttachmentsService {
  constructor(private readonly db: Executor) {}

  /**
   * `PUT /api/attachments/:id`: stores an image for an elder. The same id with the same bytes is
   * the same record (`created: false`); other bytes under an existing id are refused (409).
   */
  async put(
    ctx: RequestContext,
    id: string,
    rawQuery: unknown,
    contentType: string | undefined,
    body: unknown,
  ): Promise<{ created: boolean; attachment: AttachmentDto }> {
    if (!isUuid(id)) throw badRequest('附件编号应为 UUID', 'id');
    const query = parseInput(AttachmentUploadQuery, rawQuery, 'query');
    // Who may record a visit for the elder may upload its photos (staff name the visitor later).
    if (!VISIT_RECORDERS.includes(ctx.actor.role))
      throw forbidden('只有探访人员和村（社区）、乡镇（街道）工作人员可以上传探访照片和签字');
    const target =
      ctx.actor.role === 'visitor'
        ? await elderOfOwnVisitor(this.db, ctx, query.elderId)
        : await elderReadableBy(this.db, ctx, query.elderId);
    const declared = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (!Buffer.isBuffer(body) || !(ATTACHMENT_MIME_TYPES as readonly string[]).includes(declared))
      throw notAnImage();
    if (body.length > ATTACHMENT_MAX_BYTES) throw fileTooLarge();
    if (body.length === 0) throw badRequest('文件为空', 'file');
    const actual = sniffImage(body);
    if (!actual) throw notAnImage();
    if (actual !== declared)
      throw new AppError(
        415,
        'type_mismatch',
        `文件内容与声明的类型不符：声明为 ${LABELS[declared]}，实际是 ${LABELS[actual]} 图片`,
        'file',
      );
    const sha256 = createHash('sha256').update(body).digest('hex');
    const attachmentId = id.toLowerCase();
    const created = await this.db.transaction().execute(async (trx) => {
      const inserted = await insertAttachmentIfNew(trx, {
        id: attachmentId,
        elder_id: target.id,
        county_code: target.county_code,
        kind: query.kind,
        mime: actual,
        size: body.length,
        sha256,
        content: body,
        created_by: ctx.actor.userId,
      });
      if (inserted)
        await audit(trx, ctx, {
          action: 'attachment.create',
          entity: 'attachment',
          entityId: attachmentId,
          regionCode: target.village_code,
          detail: { elderId: target.id, kind: query.kind, mime: actual, size: body.length, sha256 },
        });
      return inserted;
    });
    const row = await findAttachment(this.db, attachmentId);
    if (!row) throw new Error(`attachment ${attachmentId} vanished after insert`);
    if (
      !created &&
      (row.sha256 !== sha256 || row.elder_id !== target.id || row.kind !== query.kind)
    )
      throw conflict(
        'attachment_id_conflict',
        '该附件编号已用于另一个文件，请重新生成编号后上传',
        'id',
      );
    return {
      created,
      attachment: {
        id: row.id,
        kind: row.kind,
        mime: row.mime,
        size: row.size,
        sha256: row.sha256,
      },
    };
  }

  /** `GET /api/attachments/:id`: the image, for staff of the jurisdiction or the elder's visitor. */
  async get(
    ctx: RequestContext,
    id: string,
  ): Promise<{ mime: string; content: Buffer; sha256: string }> {
    if (!isUuid(id)) throw notFound('附件');
    const row = await attachmentContent(this.db, id);
    if (!row) throw notFound('附件');
    const elder = await elderReadableBy(this.db, ctx, row.elder_id).catch((error: unknown) => {
      throw error instanceof AppError && error.status === 404 ? notFound('附件') : error;
    });
    await audit(this.db, ctx, {
      action: 'attachment.read',
      entity: 'attachment',
      entityId: row.id,
      regionCode: elder.village_code,
    });
    return { mime: row.mime, content: Buffer.from(row.content), sha256: row.sha256 };
  }
}
