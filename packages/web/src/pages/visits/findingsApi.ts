import type {
  DeadlineConfigDto,
  DeadlineConfigInput,
  DisposalInput,
  FindingDetailDto,
  FindingListPage,
  FindingSeverity,
  FindingStatus,
  FindingType,
} from '@tanfang/domain';
import { request } from '../../api';

/** Query of `GET /api/findings` as the console sends it (each filter applied by the server). */
export interface FindingListParams {
  region?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: FindingSeverity | undefined;
  type?: FindingType | undefined;
  /** Only those past their deadline (已逾期). */
  overdue?: boolean | undefined;
  page?: number;
  pageSize?: number;
}

const path = (id: string) => `/api/findings/${encodeURIComponent(id)}`;

/** The typed endpoints of findings (发现问题) and their workflow. */
export const findingsApi = {
  /** A page of the findings of a region (the user's jurisdiction when omitted), 紧急 first. */
  list: (params: FindingListParams) =>
    request<FindingListPage>('GET', '/api/findings', { query: { ...params } }),
  /** One finding with its history, disposals, deadline and the user's next steps. */
  get: (id: string) => request<FindingDetailDto>('GET', path(id)),
  /** 受理、办结、关闭、重新处理 (409 with the allowed ones when the workflow forbids it). */
  transition: (id: string, to: FindingStatus, note?: string) =>
    request<FindingDetailDto>('POST', `${path(id)}/transitions`, {
      body: { to, ...(note ? { note } : {}) },
    }),
  /** 处置情况记录. */
  addDisposal: (id: string, input: DisposalInput) =>
    request<FindingDetailDto>('POST', `${path(id)}/disposals`, { body: input }),
  /** The member of staff responsible (null: nobody). */
  setOwner: (id: string, ownerId: string | null) =>
    request<FindingDetailDto>('PUT', `${path(id)}/owner`, { body: { ownerId } }),
  /** A note in the history. */
  addNote: (id: string, note: string) =>
    request<FindingDetailDto>('POST', `${path(id)}/notes`, { body: { note } }),
  /** The deadlines in force for a region (期限设置). */
  deadlines: (region?: string) =>
    request<DeadlineConfigDto>('GET', '/api/follow-up/deadlines', { query: { region } }),
  /** Replaces a region's own deadlines. */
  saveDeadlines: (region: string, input: DeadlineConfigInput) =>
    request<DeadlineConfigDto>('PUT', '/api/follow-up/deadlines', {
      query: { region },
      body: input,
    }),
};
