import type { FormTemplate, TemplateSummaryDto } from '@tanfang/domain';
import { request } from '../../api';

/** The typed endpoints of visit form templates (探访记录表). */
export const templatesApi = {
  /** The built-ins and the templates uploaded within or above the user's jurisdiction. */
  list: () => request<{ items: TemplateSummaryDto[] }>('GET', '/api/templates'),
  /** Uploads a template or a new version (city and admin); 400 names the path, 409 a taken version. */
  upload: (template: FormTemplate) =>
    request<TemplateSummaryDto>('POST', '/api/templates', { body: template }),
};
