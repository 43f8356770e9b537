import type {
  CampaignsProgressDto,
  DashboardPeriodQueryInput,
  EmergencyStatsDto,
  FindingsBreakdownDto,
  NeedsDistributionDto,
  RateTrendDto,
  VisitRateDto,
} from '@tanfang/domain';
import { request } from '../../api';

/** The typed endpoints of 数据看板. */
export const dashboardApi = {
  /** The monthly visit rate of a region and its children, `months` back (this month included). */
  rateTrend: (region: string, months = 12) =>
    request<RateTrendDto>('GET', '/api/dashboard/rate-trend', { query: { region, months } }),
  /** The visit rate of a month by category (重点对象 coverage). */
  rateByCategory: (region: string, period: string) =>
    request<VisitRateDto>('GET', '/api/visit-rate', { query: { region, period, by: 'category' } }),
  findings: (q: DashboardPeriodQueryInput) =>
    request<FindingsBreakdownDto>('GET', '/api/dashboard/findings', { query: q }),
  emergencies: (q: DashboardPeriodQueryInput) =>
    request<EmergencyStatsDto>('GET', '/api/dashboard/emergencies', { query: q }),
  needs: (q: DashboardPeriodQueryInput) =>
    request<NeedsDistributionDto>('GET', '/api/dashboard/needs', { query: q }),
  campaigns: (region: string) =>
    request<CampaignsProgressDto>('GET', '/api/dashboard/campaigns', { query: { region } }),
};
