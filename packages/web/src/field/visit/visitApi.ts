import {
  FormTemplate,
  type AttachmentDto,
  type AttachmentKind,
  type TemplateSummaryDto,
  type VisitDto,
  type VisitInput,
} from '@tanfang/domain';
import { request } from '../../api';

const id = (value: string) => encodeURIComponent(value);

/** Body of `POST /api/visits` as the field app sends it (defaults filled in). */
export type VisitBody = VisitInput;

/** The typed endpoints of visit records, their photos and signatures, and templates. */
export const visitApi = {
  /** Uploads a photo or signature under its client-made id (a retry is the same record). */
  putAttachment: (attachmentId: string, elderId: string, kind: AttachmentKind, blob: Blob) =>
    request<AttachmentDto>('PUT', `/api/attachments/${id(attachmentId)}`, {
      query: { elderId, kind },
      file: { data: blob, type: blob.type || 'image/jpeg' },
    }),
  /** Records a visit: 201 the first time, 200 with the same record on a retry. */
  postVisit: (body: VisitBody) => request<VisitDto>('POST', '/api/visits', { body }),
  /** An elder's visits, newest first. */
  elderVisits: (elderId: string) =>
    request<{ items: VisitDto[] }>('GET', `/api/elders/${id(elderId)}/visits`),
  /** Uploaded (and built-in) templates. */
  templates: () => request<{ items: TemplateSummaryDto[] }>('GET', '/api/templates'),
  /** One template version in full (checked again with the domain's schema). */
  template: async (key: string, version: number): Promise<FormTemplate> => {
    const {
      builtin: _b,
      regionCode: _r,
      ...rest
    } = await request<FormTemplate & { builtin?: boolean; regionCode?: string | null }>(
      'GET',
      `/api/templates/${id(key)}/${version}`,
    );
    return FormTemplate.parse(rest);
  },
};
