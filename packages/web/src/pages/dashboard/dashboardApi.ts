import {
  lastMonths,
  todayIso,
  type CampaignsProgressDto,
  type EmergencyStatsDto,
  type FindingsBreakdownDto,
  type NeedsDistributionDto,
  type RateTrendDto,
  type VisitRateDto,
} from '@tanfang/domain';
import { request } from '../../api';

/** A region asked for; undefined for the user's own jurisdiction (the server's default). */
type Region = string | undefined;

/** Requests started before the page rendered, each taken once by the first call that asks it. */
const prefetched = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: (probe: boolean) => Promise<T>): Promise<T> {
  const early = prefetched.get(key) as Promise<T> | undefined;
  if (!early) return load(false);
  prefetched.delete(key);
  // A prefetch that failed (a session that had ended, say) is asked again, as the page would.
  return early.catch(() => load(false));
}

/** The typed endpoints of 数据看板. */
export const dashboardApi = {
  /** The monthly visit rate of a region and its children, `months` back (this month included). */
  rateTrend: (region: Region, months: number) =>
    once(`trend|${region}|${months}`, (probe) =>
      request<RateTrendDto>('GET', '/api/dashboard/rate-trend', {
        query: { region, months },
        expectUnauthorized: probe,
      }),
    ),
  /** The visit rate of a month by category (重点对象 coverage). */
  rateByCategory: (region: Region, period: string) =>
    once(`coverage|${region}|${period}`, (probe) =>
      request<VisitRateDto>('GET', '/api/visit-rate', {
        query: { region, period, by: 'category' },
        expectUnauthorized: probe,
      }),
    ),
  findings: (region: Region) =>
    once(`findings|${region}`, (probe) =>
      request<FindingsBreakdownDto>('GET', '/api/dashboard/findings', {
        query: { region },
        expectUnauthorized: probe,
      }),
    ),
  emergencies: (region: Region) =>
    once(`emergencies|${region}`, (probe) =>
      request<EmergencyStatsDto>('GET', '/api/dashboard/emergencies', {
        query: { region },
        expectUnauthorized: probe,
      }),
    ),
  needs: (region: Region) =>
    once(`needs|${region}`, (probe) =>
      request<NeedsDistributionDto>('GET', '/api/dashboard/needs', {
        query: { region },
        expectUnauthorized: probe,
      }),
    ),
  campaigns: (region: Region) =>
    once(`campaigns|${region}`, (probe) =>
      request<CampaignsProgressDto>('GET', '/api/dashboard/campaigns', {
        query: { region },
        expectUnauthorized: probe,
      }),
    ),
};

/** The months of the trend on a screen of this width (a phone shows half a year). */
export function trendMonths(narrow: boolean): number {
  return narrow ? 6 : 12;
}

/** This month (YYYY-MM, China time): the coverage chart's first month. */
export function thisMonth(): string {
  return lastMonths(todayIso(), 1)[0]!;
}

/**
 * Opened at /dashboard (a bookmark, a reload): asks the server for the figures while the console
 * is still starting, with what the page will ask — the region of the address or none (the
 * jurisdiction), the months for this screen's width — so they are there when it renders.
 * Nothing is shown from a failed prefetch; the page asks again.
 */
export function prefetchDashboard(): void {
  if (!window.location.pathname.startsWith('/dashboard')) return;
  const region = new URLSearchParams(window.location.search).get('region') ?? undefined;
  // antd's md breakpoint: narrower is a phone.
  const narrow = !window.matchMedia('(min-width: 768px)').matches;
  const start = <T>(key: string, load: (probe: boolean) => Promise<T>) => {
    const p = load(true);
    p.catch(() => undefined);
    prefetched.set(key, p);
  };
  const months = trendMonths(narrow);
  start(`trend|${region}|${months}`, () =>
    request('GET', '/api/dashboard/rate-trend', {
      query: { region, months },
      expectUnauthorized: true,
    }),
  );
  const period = thisMonth();
  start(`coverage|${region}|${period}`, () =>
    request('GET', '/api/visit-rate', {
      query: { region, period, by: 'category' },
      expectUnauthorized: true,
    }),
  );
  for (const [key, path] of [
    ['findings', '/api/dashboard/findings'],
    ['emergencies', '/api/dashboard/emergencies'],
    ['needs', '/api/dashboard/needs'],
    ['campaigns', '/api/dashboard/campaigns'],
  ] as const)
    start(`${key}|${region}`, () =>
      request('GET', path, { query: { region }, expectUnauthorized: true }),
    );
}
