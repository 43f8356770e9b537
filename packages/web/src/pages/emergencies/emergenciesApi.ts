import type {
  EmergencyChecklist,
  EmergencyFilter,
  EmergencyInputBody,
  EmergencyListPage,
  EmergencySummaryDto,
  FindingDetailDto,
} from '@tanfang/domain';
import { request } from '../../api';

const path = (id: string) => `/api/emergencies/${encodeURIComponent(id)}`;

/** The typed endpoints of emergencies (紧急情况). */
export const emergenciesApi = {
  /** The emergencies of a region, waiting for a response first, with counts per state. */
  list: (params: {
    region?: string | undefined;
    state?: EmergencyFilter | undefined;
    page?: number;
    pageSize?: number;
  }) => request<EmergencyListPage>('GET', '/api/emergencies', { query: { ...params } }),
  /** 上报紧急情况 (the id made once by the caller: a retry is the same emergency). */
  create: (input: EmergencyInputBody) =>
    request<FindingDetailDto>('POST', '/api/emergencies', { body: input }),
  /** 响应: the first one stops the escalation. */
  acknowledge: (id: string) => request<FindingDetailDto>('POST', `${path(id)}/acknowledge`),
  /** The checklist as it stands now. */
  saveChecklist: (id: string, checklist: EmergencyChecklist) =>
    request<FindingDetailDto>('PUT', `${path(id)}/checklist`, { body: checklist }),
  /** Response times of a region over a period (China dates). */
  summary: (params: { region?: string | undefined; from?: string; to?: string }) =>
    request<EmergencySummaryDto>('GET', '/api/emergencies/summary', { query: { ...params } }),
};
