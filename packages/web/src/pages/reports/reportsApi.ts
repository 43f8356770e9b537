import type {
  LedgerCompletenessDto,
  LedgerCompletenessQueryInput,
  MonthlyStatisticsDto,
  MonthlyStatisticsQueryInput,
} from '@tanfang/domain';
import { download, request } from '../../api';

/** The typed endpoints of 统计报表: JSON for the preview, .xlsx to download (audit-logged). */
export const reportsApi = {
  monthlyStatistics: (query: MonthlyStatisticsQueryInput) =>
    request<MonthlyStatisticsDto>('GET', '/api/reports/monthly-statistics', {
      query: { ...query },
    }),
  monthlyStatisticsFile: (query: MonthlyStatisticsQueryInput) =>
    download('/api/reports/monthly-statistics.xlsx', { query: { ...query } }),
  ledgerCompleteness: (query: LedgerCompletenessQueryInput) =>
    request<LedgerCompletenessDto>('GET', '/api/reports/ledger-completeness', {
      query: { ...query },
    }),
  ledgerCompletenessFile: (query: LedgerCompletenessQueryInput) =>
    download('/api/reports/ledger-completeness.xlsx', { query: { ...query } }),
};
