import {
  BUILTIN_TEMPLATES,
  type FindingListItemDto,
  type FindingStatus,
  type FormTemplate,
  type Page,
  type VisitAmendmentInput,
  type VisitDto,
  type VisitRevisionDto,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** Query of `GET /api/findings` as the client sends it. */
export interface FindingListParams {
  region?: string | undefined;
  status?: FindingStatus | undefined;
  page?: number;
  pageSize?: number;
}

/** `GET /api/templates/:key/:version`: the template with where it comes from. */
export type TemplateDetailDto = FormTemplate & { builtin: boolean; regionCode: string | null };

/** The typed endpoints of visit records, their findings, photos and templates. */
export const visitsApi = {
  /** An elder's visits of a China calendar year, newest first. */
  elderVisits: (elderId: string, year: number) =>
    request<{ items: VisitDto[] }>('GET', `/api/elders/${id(elderId)}/visits`, {
      query: { year },
    }),
  /** One visit with its proof, findings and attachments. */
  visit: (visitId: string) => request<VisitDto>('GET', `/api/visits/${id(visitId)}`),
  /** 更正: the whole corrected version of a visit, made from `revision`, with the reason. */
  amend: (visitId: string, body: VisitAmendmentInput) =>
    request<VisitDto>('POST', `/api/visits/${id(visitId)}/amendments`, { body }),
  /** 修改记录: the earlier versions of a visit, oldest first. */
  revisions: (visitId: string) =>
    request<{ items: VisitRevisionDto[] }>('GET', `/api/visits/${id(visitId)}/revisions`),
  /** An elder's findings, newest first. */
  elderFindings: (elderId: string) =>
    request<{ items: FindingListItemDto[] }>('GET', `/api/elders/${id(elderId)}/findings`),
  /** A page of the findings of a region (the user's jurisdiction when omitted), newest first. */
  findings: (params: FindingListParams) =>
    request<Page<FindingListItemDto>>('GET', '/api/findings', { query: { ...params } }),
  /** One template version (built-in ones need no call). */
  template: (key: string, version: number) =>
    request<TemplateDetailDto>('GET', `/api/templates/${id(key)}/${version}`),
};

/** Where the image of a photo or a signature is served (the session cookie authorises it). */
export function attachmentUrl(attachmentId: string): string {
  return `/api/attachments/${id(attachmentId)}`;
}

const templateCache = new Map<string, Promise<FormTemplate>>();

/** A template version: the built-in one at once, an uploaded one fetched once per page load. */
export function loadTemplate(key: string, version: number): Promise<FormTemplate> {
  const cacheKey = `${key}@${version}`;
  const builtin = BUILTIN_TEMPLATES.find((t) => t.key === key && t.version === version);
  if (builtin) return Promise.resolve(builtin);
  let pending = templateCache.get(cacheKey);
  if (!pending) {
    pending = visitsApi.template(key, version);
    // A failure is not kept: the next view asks again.
    pending.catch(() => templateCache.delete(cacheKey));
    templateCache.set(cacheKey, pending);
  }
  return pending;
}

/** The templates of some visits, by `key@version` (those that failed to load are missing). */
export async function loadTemplatesOf(
  visits: readonly Pick<VisitDto, 'template'>[],
): Promise<Map<string, FormTemplate>> {
  const keys = [...new Set(visits.map((v) => `${v.template.key}@${v.template.version}`))];
  const out = new Map<string, FormTemplate>();
  await Promise.all(
    keys.map(async (k) => {
      const at = k.lastIndexOf('@');
      try {
        out.set(k, await loadTemplate(k.slice(0, at), Number(k.slice(at + 1))));
      } catch {
        // Shown without its answers' layout; the visit itself still lists.
      }
    }),
  );
  return out;
}

/** The cache key of a visit's template. */
export function templateKeyOf(visit: Pick<VisitDto, 'template'>): string {
  return `${visit.template.key}@${visit.template.version}`;
}
