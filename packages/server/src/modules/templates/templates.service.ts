import {
  BUILTIN_TEMPLATES,
  FormTemplate,
  type Role,
  type TemplateSummaryDto,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { AppError, conflict, forbidden, notFound, validationError } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import {
  findUploadedTemplate,
  insertUploadedTemplate,
  listUploadedTemplates,
} from './templates.repository.js';

/** Roles that may upload a template (a city's own form, or a new version of one). */
export const TEMPLATE_UPLOADERS: readonly Role[] = ['city', 'admin'];

/** A template version and where it came from. */
export interface ResolvedTemplate {
  template: FormTemplate;
  builtin: boolean;
  /** The uploader's region (null for a built-in). */
  regionCode: string | null;
}

/** Whether one of two region codes lies within the other. */
function nested(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

function builtin(key: string, version: number): FormTemplate | undefined {
  return BUILTIN_TEMPLATES.find((t) => t.key === key && t.version === version);
}

function summary(r: ResolvedTemplate): TemplateSummaryDto {
  return {
    key: r.template.key,
    version: r.template.version,
    name: r.template.name,
    issuer: r.template.issuer,
    builtin: r.builtin,
    regionCode: r.regionCode,
    methods: r.template.methods.map((m) => m.value),
  };
}

/** Visit form templates: the built-ins and those cities uploaded (validated by `FormTemplate`). */
export class TemplatesService {
  private readonly cache = new Map<string, ResolvedTemplate>();

  constructor(private readonly db: Executor) {}

  /**
   * A template version usable for an elder of `villageCode`: a built-in, or one uploaded by a
   * region that encloses the village. Versions never change once stored, so they are cached.
   */
  async resolve(
    key: string,
    version: number,
    villageCode: string,
  ): Promise<ResolvedTemplate | undefined> {
    const found = await this.find(key, version);
    if (!found) return undefined;
    if (found.regionCode && !villageCode.startsWith(found.regionCode)) return undefined;
    return found;
  }

  /** A template version regardless of region (for presenting stored visits). */
  async find(key: string, version: number): Promise<ResolvedTemplate | undefined> {
    const b = builtin(key, version);
    if (b) return { template: b, builtin: true, regionCode: null };
    const cacheKey = `${key}@${version}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const row = await findUploadedTemplate(this.db, key, version);
    if (!row) return undefined;
    const resolved = {
      template: FormTemplate.parse(row.definition),
      builtin: false,
      regionCode: row.region_code,
    };
    this.cache.set(cacheKey, resolved);
    return resolved;
  }

  /** `GET /api/templates`: the built-ins and the uploaded templates visible to the user. */
  async list(ctx: RequestContext): Promise<{ items: TemplateSummaryDto[] }> {
    const rows = await listUploadedTemplates(this.db, ctx.actor.jurisdiction);
    const uploaded = rows.map((r) => ({
      template: FormTemplate.parse(r.definition),
      builtin: false,
      regionCode: r.region_code,
    }));
    return {
      items: [
        ...BUILTIN_TEMPLATES.map((t) => summary({ template: t, builtin: true, regionCode: null })),
        ...uploaded.map(summary),
      ],
    };
  }

  /** `GET /api/templates/:key/:version`: the whole definition. */
  async get(
    ctx: RequestContext,
    key: string,
    rawVersion: string,
  ): Promise<FormTemplate & { builtin: boolean; regionCode: string | null }> {
    const version = Number(rawVersion);
    if (!Number.isInteger(version) || version < 1 || key.length > 40) throw notFound('表单');
    const found = await this.find(key, version);
    if (!found || (found.regionCode && !nested(found.regionCode, ctx.actor.jurisdiction)))
      throw notFound('表单');
    return { ...found.template, builtin: found.builtin, regionCode: found.regionCode };
  }

  /**
   * `POST /api/templates`: a city uploads a template or a new version of one (a built-in key may
   * get a new version; an existing key and version never changes — visits keep theirs).
   */
  async upload(ctx: RequestContext, raw: unknown): Promise<TemplateSummaryDto> {
    if (!TEMPLATE_UPLOADERS.includes(ctx.actor.role))
      throw forbidden('只有市级民政部门和管理员可以上传探访记录表');
    if (raw === undefined || raw === null)
      throw new AppError(400, 'empty_body', '请求体不能为空', 'body');
    const parsed = FormTemplate.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error, 'body');
    const template = parsed.data;
    const taken = () =>
      conflict(
        'template_version_exists',
        `表单 ${template.key} 第 ${template.version} 版已存在，请使用新的版本号`,
        'version',
      );
    if (builtin(template.key, template.version)) throw taken();
    const existing = await findUploadedTemplate(this.db, template.key, template.version);
    if (existing) throw taken();
    const stored = await this.db.transaction().execute(async (trx) => {
      const ok = await insertUploadedTemplate(trx, {
        key: template.key,
        version: template.version,
        definition: JSON.stringify(template),
        region_code: ctx.actor.jurisdiction,
        created_by: ctx.actor.userId,
      });
      if (!ok) return false;
      await audit(trx, ctx, {
        action: 'template.create',
        entity: 'form_template',
        entityId: null,
        regionCode: ctx.actor.jurisdiction,
        detail: { key: template.key, version: template.version, name: template.name },
      });
      return true;
    });
    if (!stored) throw taken();
    return summary({ template, builtin: false, regionCode: ctx.actor.jurisdiction });
  }
}
