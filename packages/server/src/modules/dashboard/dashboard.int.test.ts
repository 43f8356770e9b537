import {
  uuidv7,
  type CampaignsProgressDto,
  type EmergencyStatsDto,
  type FindingsBreakdownDto,
  type NeedsDistributionDto,
  type RateTrendDto,
} from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import {
  COUNTY,
  NEIGHBOUR,
  TOWNSHIP,
  loadDashboardFixture,
  type DashboardFixture,
} from '../../test/dashboard-fixture.js';
import type { RequestContext } from '../../context.js';
import { DONGCHA } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const HOUR = 3_600_000;

describeEachDatabase('the dashboard (数据看板)', (env) => {
  let f: DashboardFixture;
  let other: Client;
  let visitor: Client;

  beforeAll(async () => {
    f = await loadDashboardFixture(env());
    other = await env().signIn('county', '210681');
    visitor = await env().signIn('visitor', DONGCHA);
  });

  it('draws the monthly visit rate of the township and each village, with 丹东’s 100% target', async () => {
    const r = await f.township.get(`/api/dashboard/rate-trend?region=${TOWNSHIP}&months=3`);
    expect(r.statusCode, r.body).toBe(200);
    const trend = r.json() as RateTrendDto;
    expect(trend.months.map((m) => m.key)).toEqual(f.months);
    expect(trend.target).toEqual({ rate: 1, basis: '丹东 2023：月探访率达到 100%' });
    // The month before last: 东岔村 3 of 4 (one late), the neighbour 1 of 2.
    expect(trend.total[0]).toMatchObject({ due: 6, onTime: 3, late: 1, overdue: 2 });
    expect(trend.total[0]!.rate).toBeCloseTo(4 / 6);
    // Last month: 东岔村 4 of 4, the neighbour none.
    expect(trend.total[1]).toMatchObject({ due: 6, onTime: 4, late: 0, overdue: 2 });
    // This month: everyone still open.
    expect(trend.total[2]).toMatchObject({ due: 6, onTime: 0, open: 6, overdue: 0 });
    expect(trend.series.map((s) => s.region.code)).toEqual([DONGCHA, NEIGHBOUR]);
    const [dongcha, neighbour] = trend.series;
    expect(dongcha!.region.name).toBe('东岔村委会');
    expect(dongcha!.cells.map((c) => c.rate)).toEqual([0.75, 1, 0]);
    expect(neighbour!.cells.map((c) => c.rate)).toEqual([0.5, 0, 0]);
  });

  it('gives a county the trend per township, equal to the visit rate of each month', async () => {
    const r = await f.county.get(`/api/dashboard/rate-trend?months=2`);
    expect(r.statusCode, r.body).toBe(200);
    const trend = r.json() as RateTrendDto;
    expect(trend.region.code).toBe(COUNTY);
    expect(trend.series.map((s) => s.region.name)).toEqual(['灌水镇']);
    const month = await f.county.get(`/api/visit-rate?region=${COUNTY}&period=${f.months[1]}`);
    expect(trend.total[0]).toEqual(month.json().total);
  });

  it('answers within its budget while older months are counted for the first time, then gives them', async () => {
    const ctx: RequestContext = {
      actor: {
        userId: f.township.user.id,
        username: f.township.user.username,
        role: 'township',
        jurisdiction: TOWNSHIP,
      },
      requestId: 'test',
      ip: '127.0.0.1',
    };
    const dashboard = env().services.dashboard;
    const quick = await dashboard.rateTrend(ctx, { months: '24' }, Date.now(), 0);
    expect(quick.pending.length).toBeGreaterThan(0);
    const first = quick.months.findIndex((m) => m.key === quick.pending[0]);
    expect(quick.total[first]).toMatchObject({ due: 0, rate: null });
    // The counting went on: a later request has every month.
    await expect
      .poll(async () => (await dashboard.rateTrend(ctx, { months: '24' })).pending, {
        timeout: 30_000,
      })
      .toEqual([]);
    const all = await dashboard.rateTrend(ctx, { months: '24' });
    expect(all.total.at(-2)).toMatchObject({ due: 6, onTime: 4 });
  });

  it('counts the findings raised by type and status, and those overdue', async () => {
    const r = await f.township.get(`/api/dashboard/findings?region=${TOWNSHIP}`);
    expect(r.statusCode, r.body).toBe(200);
    const b = r.json() as FindingsBreakdownDto;
    expect(b.total).toBe(7);
    expect(b.byStatus).toEqual({ open: 3, in_progress: 2, referred: 1, resolved: 1, closed: 0 });
    expect(b.byType.map((t) => [t.label, t.total])).toEqual([
      ['紧急情况', 3],
      ['服务需求', 3],
      ['安全隐患', 1],
    ]);
    expect(b.byType[1]!.byStatus).toMatchObject({ open: 1, referred: 1, resolved: 1 });
    // The unanswered emergency, the need never referred and the hazard left open.
    expect(b.overdue).toBe(3);
    // A period before any finding.
    const none = await f.township.get(
      `/api/dashboard/findings?region=${TOWNSHIP}&from=2020-01-01&to=2020-12-31`,
    );
    expect(none.json().total).toBe(0);
  });

  it('gives emergencies’ response times and the share answered within the deadline', async () => {
    const r = await f.county.get('/api/dashboard/emergencies');
    expect(r.statusCode, r.body).toBe(200);
    const e = r.json() as EmergencyStatsDto;
    expect(e).toMatchObject({ count: 3, acknowledged: 2, withinDeadline: 1, decided: 3 });
    expect(e.withinDeadlineShare).toBeCloseTo(1 / 3);
    // Answered after 600 s and 3,000 s.
    expect(e.medianSeconds).toBe(1800);
    expect(e.p90Seconds).toBe(2760);
    expect(e.byMonth).toHaveLength(12);
    expect(e.byMonth.find((m) => m.key === f.months[1])).toMatchObject({
      count: 3,
      withinDeadline: 1,
      medianSeconds: 1800,
    });
    expect(e.byMonth.find((m) => m.key === f.months[0])!.count).toBe(0);
  });

  it('sorts the needs raised by the kind of service their words ask for, beside the referrals', async () => {
    const r = await f.township.get(`/api/dashboard/needs?region=${DONGCHA}`);
    expect(r.statusCode, r.body).toBe(200);
    const n = r.json() as NeedsDistributionDto;
    const kind = (k: string) => n.kinds.find((x) => x.kind === k)!;
    expect(kind('rehab_nursing')).toMatchObject({
      label: '康复护理',
      raised: 1,
      referred: 1,
      completed: 1,
    });
    expect(kind('medical')).toMatchObject({ raised: 1, referred: 1, completed: 0 });
    expect(kind('home_adaptation')).toMatchObject({ label: '适老化改造', raised: 1, referred: 0 });
    expect(n.totalRaised).toBe(3);
    expect(n.totalReferred).toBe(2);
    expect(n.kinds).toHaveLength(8);
  });

  it('refuses another county, a visitor and bad input, naming the field', async () => {
    for (const path of [
      `/api/dashboard/rate-trend?region=${TOWNSHIP}`,
      `/api/dashboard/findings?region=${COUNTY}`,
      `/api/dashboard/emergencies?region=${DONGCHA}`,
      `/api/dashboard/needs?region=${TOWNSHIP}`,
      `/api/dashboard/campaigns?region=${COUNTY}`,
    ]) {
      const r = await other.get(path);
      expect(r.statusCode, path).toBe(404);
      expect(r.json().error.code).toBe('not_found');
    }
    // Its own jurisdiction shows none of 宽甸's.
    const own = await other.get('/api/dashboard/findings');
    expect(own.json().total).toBe(1);
    expect((await visitor.get('/api/dashboard/findings')).statusCode).toBe(403);
    expect((await visitor.get('/api/dashboard/rate-trend')).statusCode).toBe(403);
    const months = await f.county.get('/api/dashboard/rate-trend?months=30');
    expect(months.statusCode).toBe(400);
    expect(months.json().error.field).toBe('months');
    const reversed = await f.county.get('/api/dashboard/needs?from=2026-12-01&to=2026-01-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.field).toBe('from');
    const stray = await f.county.get('/api/dashboard/campaigns?period=2026-11');
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error.field).toBe('period');
  });

  // Last: the campaign's visits change this month's counts.
  it('follows a campaign in force: windows due, visited, missed and open, for the elders it selects', async () => {
    const now = Date.now();
    const startsAt = now - 2.5 * 24 * HOUR;
    const created = await f.township.post('/api/campaigns', {
      regionCode: TOWNSHIP,
      name: '寒潮入户走访',
      kind: 'extreme_weather',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(now + 7 * 24 * HOUR).toISOString(),
      within: { value: 1, unit: 'days' },
      tiers: ['high_risk', 'key'],
    });
    expect(created.statusCode, created.body).toBe(201);
    // Elder 0 visited in the first window, elder 1 in the one open now.
    await env()
      .database.db.insertInto('visits')
      .values(
        [
          [f.elders[0]!, startsAt + 2 * HOUR],
          [f.elders[1]!, now - HOUR],
        ].map(([elder, at]) => ({
          id: uuidv7(at as number),
          elder_id: elder as string,
          county_code: COUNTY,
          village_code: DONGCHA,
          visitor_id: null,
          visited_at: new Date(at as number),
          entered_at: new Date(at as number),
          method: 'phone' as const,
          template_key: 'dandong-2023',
          template_version: 1,
          answers: '{}',
          entered_by: null,
        })),
      )
      .execute();
    const r = await f.county.get(`/api/dashboard/campaigns?region=${COUNTY}`);
    expect(r.statusCode, r.body).toBe(200);
    const [c, ...rest] = (r.json() as CampaignsProgressDto).campaigns;
    expect(rest).toHaveLength(0);
    // Six elders, three windows each so far: two closed, one open.
    expect(c).toMatchObject({
      name: '寒潮入户走访',
      kindLabel: '极端天气',
      withinLabel: '每 1 天一次',
      elders: 6,
      due: 18,
      done: 2,
      overdue: 11,
      open: 5,
    });
    expect(c!.rate).toBeCloseTo(2 / 18);
    expect(c!.region.name).toBe('灌水镇');
    // The neighbour village's view counts its two elders only.
    const village = await f.county.get(`/api/dashboard/campaigns?region=${NEIGHBOUR}`);
    expect(village.json().campaigns[0]).toMatchObject({ elders: 2, due: 6, done: 0 });
  });
});
