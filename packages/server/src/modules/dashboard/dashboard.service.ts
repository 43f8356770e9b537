import {
  CAMPAIGN_KIND_LABELS,
  DashboardPeriodQuery,
  DashboardRegionQuery,
  FINDING_STATUS_LABELS,
  FINDING_TYPE_LABELS,
  NEED_KINDS,
  PROVIDER_KIND_LABELS,
  RATE_TARGETS,
  RateTrendQuery,
  addDays,
  classify,
  defaultDashboardPeriod,
  emptyTally,
  isWithinJurisdiction,
  lastMonths,
  localDateOf,
  parsePeriodKey,
  periodLabel,
  planSchedule,
  presenceOf,
  selects,
  rateCell,
  startOfLocalDate,
  tallySchedule,
  type CampaignProgressDto,
  type CampaignRule,
  type CampaignsProgressDto,
  type Category,
  type DashboardPeriod,
  type EmergencyStatsDto,
  type FindingStatus,
  type FindingType,
  type FindingsBreakdownDto,
  type NeedsDistributionDto,
  type PlannedObligation,
  type Presence,
  type RateTrendDto,
  type RegionRef,
  type ScheduleTally,
  type Tier,
  childCodeLength,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { listCampaigns, toCampaignRule } from '../campaigns/campaigns.repository.js';
import { FINDING_READERS } from '../findings/findings.service.js';
import { withoutEmpty } from '../imports/query-params.js';
import type { RegionsService } from '../regions/regions.service.js';
import { readRollup } from '../rollups/rollups.repository.js';
import { RATE_READERS, type RollupsService } from '../rollups/rollups.service.js';
import {
  countiesOf,
  statusHistoryOf,
  type CountElderRow,
} from '../schedule/schedule.repository.js';
import {
  emergencyStats,
  findingCounts,
  needsByKind,
  overdueFindings,
  plannedMonthsOf,
  presetsApplying,
  referralsByKind,
  campaignWindowsVisited,
  visitTimesOfElders,
  campaignElders,
  type CampaignVisitRow,
  type RegionSpan,
} from './dashboard.repository.js';

/** How long a rate trend waits for months being planned for the first time. */
export const PLAN_BUDGET_MS = 5000;

/** Digits of a region's children's codes (a village has none: itself). */

const STATUSES = Object.keys(FINDING_STATUS_LABELS) as FindingStatus[];
const byStatus = () =>
  Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<FindingStatus, number>;

/**
 * Plans the months of a region not planned yet (found in one query), one after another, waiting
 * at most `budgetMs`: a township's month takes milliseconds, a province's minutes (once). What is
 * not done by then goes on in the background (`ensurePlanned` shares a planning in progress with
 * later requests); the months still being planned are returned.
 */
export async function planWithin(
  db: Executor,
  rollups: RollupsService,
  region: string,
  months: string[],
  budgetMs: number,
): Promise<string[]> {
  const planned = await plannedMonthsOf(db, region, months);
  const missing = months.filter((m) => !planned.has(m));
  if (missing.length === 0) return [];
  const done = new Set<string>();
  const work = (async () => {
    for (const m of missing) {
      await rollups.ensurePlanned(region, m);
      done.add(m);
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const inTime = await Promise.race([
    work.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), budgetMs))),
  ]).finally(() => clearTimeout(timer));
  if (inTime) return [];
  work.catch((error: unknown) => console.error('探访率月份统计失败', region, error));
  return missing.filter((m) => !done.has(m));
}

/**
 * Adds to a tally the windows of `elders` elders present all along, as `tallySchedule` counts
 * them: the windows opened by `now` are due; those with a visit are done (entered on time or late:
 * progress counts both), the one still open without a visit is open, the closed ones without a
 * visit are overdue. A campaign's last window keeps its whole length.
 */
export function addWholeWindows(
  tally: ScheduleTally,
  elders: number,
  c: { start: number; windowMs: number; windows: number },
  visited: ReadonlyMap<number, number>,
  now: number,
): void {
  if (now < c.start) return;
  const opened = Math.min(c.windows, Math.floor((now - c.start) / c.windowMs) + 1);
  let done = 0;
  for (let n = 0; n < opened; n++) done += visited.get(n) ?? 0;
  const lastOpen = now < c.start + opened * c.windowMs;
  const open = lastOpen ? elders - (visited.get(opened - 1) ?? 0) : 0;
  tally.due += elders * opened;
  tally.done += done;
  tally.open += open;
  tally.overdue += elders * opened - done - open;
}

/**
 * 数据看板 (issue 7): the figures of the dashboard for a region within the user's jurisdiction —
 * aggregates only (no elder is named), each one query or a few.
 */
export class DashboardService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly rollups: RollupsService,
  ) {}

  /**
   * `GET /api/dashboard/rate-trend?region=&months=12`: the monthly visit rate (月探访率) of a
   * region and of each child region, from the rollup — the months planned first if they are not
   * yet (once each), then one read of the whole span, bucketed by the month of each deadline.
   */
  async rateTrend(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
    budgetMs = PLAN_BUDGET_MS,
  ): Promise<RateTrendDto> {
    if (!RATE_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访率');
    const query = parseInput(RateTrendQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionIn(ctx, query.region);
    const months = lastMonths(localDateOf(now), query.months);
    const pending = await planWithin(this.db, this.rollups, region.code, months, budgetMs);
    const childLength = childCodeLength(region.code);
    const periods = months.map((m) => parsePeriodKey(m)!);
    const bounds = periods.map((p) => startOfLocalDate(p.end));
    const rows = await readRollup(this.db, {
      region: region.code,
      childLength,
      from: new Date(startOfLocalDate(periods[0]!.start)),
      to: new Date(bounds.at(-1)!),
      dimensions: ['all'],
    });
    const total = months.map(() => emptyTally());
    const children = new Map<string, ScheduleTally[]>();
    for (const r of rows) {
      // The month whose (start, end] holds the deadline, as the visit rate of a month reads it.
      const end = r.window_end.getTime();
      const i = bounds.findIndex((b) => end <= b);
      if (i < 0 || pending.includes(months[i]!)) continue;
      const counts = {
        planned: r.planned,
        short: r.short,
        onTime: r.on_time,
        late: r.late,
        shortVisited: r.short_visited,
      };
      classify(counts, r.window_start.getTime(), end, now, total[i]!);
      if (childLength === region.code.length) continue;
      let cells = children.get(r.child);
      if (!cells) {
        cells = months.map(() => emptyTally());
        children.set(r.child, cells);
      }
      classify(counts, r.window_start.getTime(), end, now, cells[i]!);
    }
    const names = await this.regions.fullNames([...children.keys()]);
    const presets = await presetsApplying(this.db, region.code);
    const target = presets.map((p) => RATE_TARGETS[p]).find((t) => t !== undefined) ?? null;
    return {
      region,
      months: months.map((key) => ({ key, label: periodLabel(key) })),
      target,
      total: total.map(rateCell),
      series: [...children.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, cells]) => ({
          region: { code, ...(names.get(code) ?? { name: code, fullName: code }) },
          cells: cells.map(rateCell),
        })),
      pending,
      asOf: new Date(now).toISOString(),
    };
  }

  /** `GET /api/dashboard/findings?region=&from=&to=`: findings raised by type and status. */
  async findings(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<FindingsBreakdownDto> {
    const { period, span } = await this.period(ctx, rawQuery, now);
    const [counts, overdue] = await Promise.all([
      findingCounts(this.db, span),
      overdueFindings(this.db, span, new Date(now)),
    ]);
    const all = byStatus();
    const types = new Map<FindingType, Record<FindingStatus, number>>();
    for (const c of counts) {
      all[c.status] = (all[c.status] ?? 0) + c.n;
      const t = types.get(c.type) ?? byStatus();
      t[c.status] = (t[c.status] ?? 0) + c.n;
      types.set(c.type, t);
    }
    const sum = (r: Record<FindingStatus, number>) => STATUSES.reduce((s, k) => s + r[k], 0);
    return {
      ...period,
      total: sum(all),
      byStatus: all,
      byType: [...types.entries()]
        .map(([type, statuses]) => ({
          type,
          label: FINDING_TYPE_LABELS[type] ?? type,
          total: sum(statuses),
          byStatus: statuses,
        }))
        .sort((a, b) => b.total - a.total || a.type.localeCompare(b.type)),
      overdue,
    };
  }

  /**
   * `GET /api/dashboard/emergencies?region=&from=&to=`: emergencies raised, their response times
   * (median, 90th percentile) and the share answered within the deadline, in all and per month.
   */
  async emergencies(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<EmergencyStatsDto> {
    const { period, span } = await this.period(ctx, rawQuery, now);
    const rows = await emergencyStats(this.db, span, new Date(now));
    const all = rows.find((r) => r.month === null);
    const byMonth = new Map(rows.filter((r) => r.month !== null).map((r) => [r.month!, r]));
    const months: string[] = [];
    for (let m = period.from.slice(0, 7); m <= period.to.slice(0, 7);) {
      months.push(m);
      m = addDays(`${m}-28`, 7).slice(0, 7);
    }
    const round = (s: number | null | undefined) =>
      s === null || s === undefined ? null : Math.round(s);
    return {
      ...period,
      count: all?.count ?? 0,
      acknowledged: all?.acknowledged ?? 0,
      withinDeadline: all?.within_deadline ?? 0,
      decided: all?.decided ?? 0,
      withinDeadlineShare: all && all.decided > 0 ? all.within_deadline / all.decided : null,
      medianSeconds: round(all?.median_seconds),
      p90Seconds: round(all?.p90_seconds),
      byMonth: months.map((key) => {
        const r = byMonth.get(key);
        return {
          key,
          label: periodLabel(key),
          count: r?.count ?? 0,
          withinDeadline: r?.within_deadline ?? 0,
          decided: r?.decided ?? 0,
          medianSeconds: round(r?.median_seconds),
        };
      }),
    };
  }

  /**
   * `GET /api/dashboard/needs?region=&from=&to=`: the needs visits raised (findings of type
   * 服务需求, by the kind of service their words ask for) and the referrals made, by kind.
   */
  async needs(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<NeedsDistributionDto> {
    const { period, span } = await this.period(ctx, rawQuery, now);
    const [raised, referred] = await Promise.all([
      needsByKind(this.db, span),
      referralsByKind(this.db, span),
    ]);
    const kinds = NEED_KINDS.map((kind) => {
      const r = referred.find((x) => x.kind === kind);
      return {
        kind,
        label: PROVIDER_KIND_LABELS[kind],
        raised: raised.find((x) => x.kind === kind)?.n ?? 0,
        referred: r?.n ?? 0,
        completed: r?.completed ?? 0,
      };
    });
    return {
      ...period,
      kinds,
      totalRaised: kinds.reduce((s, k) => s + k.raised, 0),
      totalReferred: kinds.reduce((s, k) => s + k.referred, 0),
    };
  }

  /**
   * `GET /api/dashboard/campaigns?region=`: each campaign in force that applies in the region,
   * with its windows so far (专项探访: a visit within N hours or days of each window's start, for
   * the elders it selects) — due, done, missed and open — counted as the schedule engine plans
   * them, from the visits that count.
   */
  async campaigns(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<CampaignsProgressDto> {
    if (!RATE_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看专项探访进度');
    const query = parseInput(DashboardRegionQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionIn(ctx, query.region);
    const rows = await listCampaigns(this.db, {
      region: region.code,
      jurisdiction: ctx.actor.jurisdiction,
      state: 'in_force',
      now: new Date(now),
    });
    const names = await this.regions.fullNames(rows.map((r) => r.region_code));
    const campaigns: CampaignProgressDto[] = [];
    for (const row of rows) {
      const rule = toCampaignRule(row);
      // Counted where the campaign and the region viewed meet: the narrower of the two.
      const where = row.region_code.length > region.code.length ? row.region_code : region.code;
      const tally = await this.campaignTally(rule, where, now);
      const visited = tally.done + tally.late;
      campaigns.push({
        id: row.id,
        name: row.name,
        kind: rule.kind,
        kindLabel: CAMPAIGN_KIND_LABELS[rule.kind],
        region: { code: row.region_code, ...names.get(row.region_code)! },
        startsAt: rule.startsAt,
        endsAt: rule.endsAt,
        withinLabel: `每 ${row.within_value} ${row.within_unit === 'hours' ? '小时' : '天'}一次`,
        tiers: rule.tiers as Tier[],
        elders: tally.elders,
        due: tally.due,
        done: visited,
        overdue: tally.overdue,
        open: tally.open,
        rate: tally.due > 0 ? visited / tally.due : null,
      });
    }
    return { region, asOf: new Date(now).toISOString(), campaigns };
  }

  /** A campaign's windows so far in a region, counted: plans shared by elders of one profile. */
  private async campaignTally(
    rule: CampaignRule,
    region: string,
    now: number,
  ): Promise<ScheduleTally & { elders: number }> {
    const startDate = localDateOf(Date.parse(rule.startsAt));
    const to = Math.min(now, Date.parse(rule.endsAt));
    const toDate = addDays(localDateOf(to), 1);
    const selectors = { tiers: rule.tiers, categories: rule.categories };
    // Present in the region all along (the common case): every window whole, counted in SQL.
    const start = Date.parse(rule.startsAt);
    const w = rule.withinHours * 3_600_000;
    const windows = Math.ceil((Date.parse(rule.endsAt) - start) / w);
    const whole = await campaignWindowsVisited(this.db, {
      counties: await countiesOf(this.db, region),
      region,
      since: startDate,
      selectors,
      start: new Date(start),
      windowMs: w,
      windows,
      now: new Date(now),
      methods: rule.countedMethods,
    });
    const tally = { ...emptyTally(), elders: whole.elders };
    addWholeWindows(tally, whole.elders, { start, windowMs: w, windows }, whole.visited, now);
    // The others (came, left, moved or died since the campaign began): the engine, elder by elder.
    const others = (await campaignElders(this.db, region, startDate, selectors)).filter((r) =>
      selects(rule, { tier: r.tier as Tier, categories: r.categories as Category[] }),
    );
    const presence = await this.presence(others, startDate);
    const plans = new Map<string, PlannedObligation[]>();
    const planned: { id: string; plan: PlannedObligation[] }[] = [];
    for (const row of others) {
      const p = presence.get(row.id)!;
      const key = `${row.tier}|${row.categories.join(',')}|${p.key}`;
      let plan = plans.get(key);
      if (!plan) {
        plan = planSchedule({
          profile: { tier: row.tier as Tier, categories: row.categories as Category[] },
          presence: p.presence,
          policies: [],
          campaigns: [rule],
          from: startDate,
          to: toDate,
          region,
        }).filter((o) => o.kind === 'campaign');
        plans.set(key, plan);
      }
      if (plan.length > 0) planned.push({ id: row.id, plan });
    }
    const visits = new Map<string, CampaignVisitRow[]>(planned.map(({ id }) => [id, []]));
    for (const v of await visitTimesOfElders(
      this.db,
      planned.map((x) => x.id),
      new Date(Date.parse(rule.startsAt)),
      new Date(to + 1),
    ))
      visits.get(v.elder_id)?.push(v);
    tally.elders += planned.length;
    for (const { id, plan } of planned) tallySchedule(tally, plan, visits.get(id) ?? [], now);
    return tally;
  }

  /** Each elder's presence from a date on (the status history read only where it changed). */
  private async presence(
    rows: CountElderRow[],
    since: string,
  ): Promise<Map<string, { presence: Presence[]; key: string }>> {
    const changed = rows.filter((r) => r.status !== 'active' || r.status_since > since);
    const history = new Map<
      string,
      { status: string; effectiveDate: string; villageCode: string }[]
    >();
    for (let i = 0; i < changed.length; i += 5000) {
      for (const h of await statusHistoryOf(
        this.db,
        changed.slice(i, i + 5000).map((r) => r.id),
      )) {
        const list = history.get(h.elder_id) ?? [];
        list.push({
          status: h.status,
          effectiveDate: h.effective_date,
          villageCode: h.village_code,
        });
        history.set(h.elder_id, list);
      }
    }
    const out = new Map<string, { presence: Presence[]; key: string }>();
    for (const row of rows) {
      const h = history.get(row.id);
      if (!h) {
        // Present in the region since before the campaign: its windows are the same anywhere in
        // it, so one plan per profile serves them all.
        out.set(row.id, {
          presence: [{ villageCode: row.village_code, from: row.status_since, to: null }],
          key: 'all along',
        });
        continue;
      }
      const presence = presenceOf(h);
      out.set(row.id, {
        presence,
        key: presence.map((p) => `${p.villageCode}:${p.from}:${p.to ?? ''}`).join(';'),
      });
    }
    return out;
  }

  /** The period of a figure: the region (404 outside the jurisdiction) and [from, to]. */
  private async period(
    ctx: RequestContext,
    rawQuery: unknown,
    now: number,
  ): Promise<{ period: DashboardPeriod; span: RegionSpan }> {
    if (!FINDING_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看辖区的统计');
    const query = parseInput(DashboardPeriodQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionIn(ctx, query.region);
    const fallback = defaultDashboardPeriod(localDateOf(now));
    const to = query.to ?? fallback.to;
    const from = query.from ?? (query.to ? addDays(to, -364) : fallback.from);
    return {
      period: { region, from, to, asOf: new Date(now).toISOString() },
      span: {
        region: region.code,
        from: new Date(startOfLocalDate(from)),
        to: new Date(startOfLocalDate(addDays(to, 1))),
      },
    };
  }

  /** A region within the jurisdiction (the jurisdiction itself by default), or 404. */
  private async regionIn(ctx: RequestContext, code: string | undefined): Promise<RegionRef> {
    const region = code ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    return this.regions.ref(region);
  }
}
