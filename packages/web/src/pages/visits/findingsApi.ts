import type { FindingListPage, FindingSeverity, FindingStatus, FindingType } from '@tanfang/domain';
import { request } from '../../api';

/** Query of `GET /api/findings` as the console sends it (each filter applied by the server). */
export interface FindingListParams {
  region?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: FindingSeverity | undefined;
  type?: FindingType | undefined;
  page?: number;
  pageSize?: number;
}

/** The typed endpoint of a region's findings (发现问题). */
export const findingsApi = {
  /** A page of the findings of a region (the user's jurisdiction when omitted), 紧急 first. */
  list: (params: FindingListParams) =>
    request<FindingListPage>('GET', '/api/findings', { query: { ...params } }),
};
