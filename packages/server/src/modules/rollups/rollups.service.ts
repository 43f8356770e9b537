import {
  CATEGORY_LABELS,
  UnvisitedQuery,
  VisitRateQuery,
  addDays,
  classify,
  complianceWindows,
  countsOf,
  emptyCounts,
  emptyTally,
  isWithinJurisdiction,
  localDateOf,
  monthsOverlapping,
  parsePeriodKey,
  periodLabel,
  planSchedule,
  presenceOf,
  rateCell,
  rollupDimensions,
  satisfyingVisit,
  startOfLocalDate,
  type Category,
  type Page,
  type PlannedObligation,
  type PolicyRule,
  type Presence,
  type RollupCounts,
  type Role,
  type ScheduleTally,
  type Tier,
  type UnvisitedElderDto,
  type VisitMethod,
  type VisitRateDto,
  childCodeLength,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { listPolicyRulesWithin } from '../policies/policies.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import {
  countEldersInRegion,
  statusHistoryOf,
  type CountElderRow,
} from '../schedule/schedule.repository.js';
import {
  deleteWindows,
  eldersWithWindows,
  insertWindows,
  isMonthPlanned,
  markMonthPlanned,
  plannedMonthsTouching,
  readRollup,
  refreshElderWindows,
  refreshWindowsOfVisitsSince,
  unvisitedWindows,
  windowsOfRegion,
  type RollupReadRow,
  type WindowRow,
} from './rollups.repository.js';

/** Staff who read visit rates. */
export const RATE_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

/** A date before any planned month: replanning from it replans every planned month. */
export const ROLLUP_EPOCH = '2000-01-01';
/** The safety net's slice of entry times per statement, and the longest pause after one. */
const RECONCILE_SLICE_MS = 10_000;
const RECONCILE_PAUSE_MAX_MS = 2_000;
/** Windows written per statement while planning. */
const CHUNK = 2000;
/** How far back presence is read when planning a month (the longest period and a margin). */
const PRESENCE_LOOKBACK_DAYS = 100;

/** A village rollup row's counts. */
function countsOfRow(r: RollupReadRow): RollupCounts {
  return {
    planned: r.planned,
    short: r.short,
    onTime: r.on_time,
    late: r.late,
    shortVisited: r.short_visited,
  };
}

/** A difference between the rollup and a recount from raw visits. */
export interface RollupDrift {
  villageCode: string;
  windowStart: string;
  windowEnd: string;
  dimension: string;
  stored: RollupCounts;
  recounted: RollupCounts;
}

/**
 * The visit-rate rollup (issue 7): plans the regular windows of a month once (lazily, the first
 * time a rate of it is read or the server starts in it), keeps them current in the statement that
 * writes a visit and whenever an elder or a rule changes, and reads rates as sums over villages.
 */
export class RollupsService {
  private readonly planning = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /** Plans `month` for `region` unless it (or a region enclosing it) is planned already. */
  async ensurePlanned(region: string, month: string): Promise<void> {
    if (await isMonthPlanned(this.db, region, month)) return;
    const key = `${region}|${month}`;
    let p = this.planning.get(key);
    if (!p) {
      p = this.planMonth(region, month).finally(() => this.planning.delete(key));
      this.planning.set(key, p);
    }
    await p;
  }

  /**
   * Stores every regular window overlapping the month of the elders present in the region during
   * it, with the visit that satisfies each (from the visits themselves). Idempotent: windows stored
   * already are left alone, so planning twice, or a region and then its parent, counts once.
   */
  private async planMonth(region: string, month: string): Promise<void> {
    const period = parsePeriodKey(month)!;
    const rows = await countEldersInRegion(
      this.db,
      region,
      addDays(period.start, -PRESENCE_LOOKBACK_DAYS),
    );
    const policies = await listPolicyRulesWithin(this.db, region.slice(0, 2));
    await this.planElders(this.db, rows, policies, period.start, period.end);
    await markMonthPlanned(this.db, region, month);
  }

  /** Plans these elders' windows overlapping [from, to) (local dates) and stores new ones. */
  private async planElders(
    db: Executor,
    rows: CountElderRow[],
    policies: PolicyRule[],
    from: string,
    to: string,
  ): Promise<void> {
    const presence = await this.presenceOf(db, rows, addDays(from, -PRESENCE_LOOKBACK_DAYS));
    const plans = new Map<string, PlannedObligation[]>();
    let batch: WindowRow[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const inserted = await insertWindows(db, batch);
      const elders = [...new Set(inserted.map((r) => r.elder_id))];
      await refreshElderWindows(
        db,
        elders,
        new Date(startOfLocalDate(from)),
        new Date(startOfLocalDate(to)),
      );
      batch = [];
    };
    for (const row of rows) {
      const p = presence.get(row.id)!;
      const profile = { tier: row.tier as Tier, categories: row.categories as Category[] };
      const key = `${row.tier}|${row.categories.join(',')}|${p.key}`;
      let plan = plans.get(key);
      if (!plan) {
        plan = planSchedule({ profile, presence: p.presence, policies, campaigns: [], from, to });
        plans.set(key, plan);
      }
      for (const w of complianceWindows(plan, profile)) {
        batch.push({
          elder_id: row.id,
          county_code: w.villageCode.slice(0, 6),
          village_code: w.villageCode,
          window_start: new Date(w.windowStart).toISOString(),
          window_end: new Date(w.windowEnd).toISOString(),
          period_key: w.periodKey,
          short: w.short,
          counted_methods: [...w.countedMethods],
          entry_grace_hours: w.entryGraceHours,
          tier: w.tier,
          categories: [...new Set(w.categories)],
        });
      }
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
  }

  /** Each elder's presence (from the status history when it changed lately), with a plan key. */
  private async presenceOf(
    db: Executor,
    rows: CountElderRow[],
    since: string,
  ): Promise<Map<string, { presence: Presence[]; key: string }>> {
    const changed = rows.filter((r) => r.status !== 'active' || r.status_since > since);
    const byElder = new Map<
      string,
      { status: string; effectiveDate: string; villageCode: string }[]
    >();
    for (let i = 0; i < changed.length; i += 5000) {
      const history = await statusHistoryOf(
        db,
        changed.slice(i, i + 5000).map((r) => r.id),
      );
      for (const h of history) {
        const list = byElder.get(h.elder_id) ?? [];
        list.push({
          status: h.status,
          effectiveDate: h.effective_date,
          villageCode: h.village_code,
        });
        byElder.set(h.elder_id, list);
      }
    }
    const out = new Map<string, { presence: Presence[]; key: string }>();
    for (const row of rows) {
      const h = byElder.get(row.id);
      if (!h) {
        // Present all along since before the horizon: one plan for the village.
        out.set(row.id, {
          presence: [{ villageCode: row.village_code, from: row.status_since, to: null }],
          key: row.village_code,
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

  /**
   * After a change of elders (registration, move, death, tier or categories): their windows with
   * a deadline after `from` are planned again, for every month planned already.
   */
  async replanElders(elderIds: string[], from: string, db: Executor = this.db): Promise<void> {
    if (elderIds.length === 0) return;
    const rows = await this.elderRows(elderIds, db);
    if (rows.length === 0) return;
    const months = new Set<string>();
    for (const village of new Set(rows.map((r) => r.village_code)))
      for (const m of await plannedMonthsTouching(db, village)) months.add(m);
    const fromMonth = from.slice(0, 7);
    const affected = [...months].filter((m) => m >= fromMonth).sort();
    await deleteWindows(db, elderIds, new Date(startOfLocalDate(from)));
    if (affected.length === 0) return;
    const policies = await listPolicyRulesWithin(db, rows[0]!.village_code.slice(0, 2));
    const start = parsePeriodKey(affected[0]!)!.start;
    const end = parsePeriodKey(affected.at(-1)!)!.end;
    await this.planElders(db, rows, policies, start, end);
  }

  /**
   * After a rule changed in a region from a date: the windows of its elders are planned again from
   * then (only what the change can affect).
   */
  async replanRegion(region: string, from: string, db: Executor = this.db): Promise<void> {
    const months = (await plannedMonthsTouching(db, region)).filter((m) => m >= from.slice(0, 7));
    if (months.length === 0) return;
    const rows = await countEldersInRegion(db, region, addDays(from, -PRESENCE_LOOKBACK_DAYS));
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      await deleteWindows(
        db,
        chunk.map((r) => r.id),
        new Date(startOfLocalDate(from)),
      );
    }
    const policies = await listPolicyRulesWithin(db, region.slice(0, 2));
    months.sort();
    await this.planElders(
      db,
      rows,
      policies,
      parsePeriodKey(months[0]!)!.start,
      parsePeriodKey(months.at(-1)!)!.end,
    );
  }

  /** After a visit's time or method changed, or it stopped counting: its windows recomputed. */
  async refreshElders(
    elderIds: string[],
    from: Date,
    to: Date,
    db: Executor = this.db,
  ): Promise<void> {
    await refreshElderWindows(db, elderIds, from, to);
  }

  /**
   * The safety net: windows a visit entered in [since, until) should have improved are recomputed
   * from the visits (idempotent). It catches a visit written in the instant its window was being
   * planned again; the server runs it every minute (`RollupMaintenance`). The span is read in
   * slices of ten seconds, each followed by a pause three times as long as it took, so on a busy
   * server it takes a quarter of one core at most instead of a core for a second or two
   * (measured at 1,500 visits/s: ~9 µs per visit read, and a stall of the recordings at every
   * round while it ran in one go).
   */
  async reconcile(since: Date, until = new Date()): Promise<number> {
    let repaired = 0;
    for (let from = since.getTime(); from < until.getTime(); from += RECONCILE_SLICE_MS) {
      const to = Math.min(from + RECONCILE_SLICE_MS, until.getTime());
      const t0 = performance.now();
      repaired += await refreshWindowsOfVisitsSince(this.db, new Date(from), new Date(to));
      const pause = Math.min(RECONCILE_PAUSE_MAX_MS, 3 * (performance.now() - t0));
      if (to < until.getTime()) await new Promise((r) => setTimeout(r, pause));
    }
    return repaired;
  }

  private async elderRows(ids: string[], db: Executor = this.db): Promise<CountElderRow[]> {
    if (ids.length === 0) return [];
    return db
      .selectFrom('elders')
      .select(['id', 'village_code', 'tier', 'categories', 'status', 'status_since'])
      .where('id', 'in', ids)
      .execute();
  }

  /**
   * A period's regular windows (deadline in the period) tallied per child region of `region`,
   * with how many elders they are of — the 探访任务 page's table (`GET /api/schedule/summary`),
   * read from the same rollup as 探访率 so the two pages never disagree. The caller authorises
   * and audits.
   */
  async childTallies(
    region: string,
    periodKey: string,
    now = Date.now(),
  ): Promise<{
    total: ScheduleTally & { elders: number };
    children: Map<string, ScheduleTally & { elders: number }>;
  }> {
    const period = parsePeriodKey(periodKey)!;
    await Promise.all(
      monthsOverlapping(period.start, period.end).map((m) => this.ensurePlanned(region, m)),
    );
    const span = {
      region,
      childLength: childCodeLength(region),
      from: new Date(startOfLocalDate(period.start)),
      to: new Date(startOfLocalDate(period.end)),
    };
    const [rows, elders] = await Promise.all([
      readRollup(this.db, { ...span, dimensions: ['all'] }),
      eldersWithWindows(this.db, span),
    ]);
    const total = { ...emptyTally(), elders: 0 };
    const children = new Map<string, ScheduleTally & { elders: number }>();
    for (const r of rows) {
      let t = children.get(r.child);
      if (!t) {
        t = { ...emptyTally(), elders: 0 };
        children.set(r.child, t);
      }
      const c = countsOfRow(r);
      const start = r.window_start.getTime();
      const end = r.window_end.getTime();
      classify(c, start, end, now, t);
      classify(c, start, end, now, total);
    }
    for (const e of elders) {
      const t = e.child === null ? total : children.get(e.child);
      if (t) t.elders = e.elders;
    }
    return { total, children };
  }

  /** `GET /api/visit-rate`: a region's rate for a period, per child region (and breakdown). */
  async rate(ctx: RequestContext, rawQuery: unknown, now = Date.now()): Promise<VisitRateDto> {
    if (!RATE_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访率');
    const query = parseInput(VisitRateQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const period = parsePeriodKey(query.period)!;
    const [ref] = await Promise.all([
      this.regions.ref(region),
      ...monthsOverlapping(period.start, period.end).map((m) => this.ensurePlanned(region, m)),
    ]);
    const childLength = childCodeLength(region);
    const dimensions =
      query.by === 'none'
        ? ['all']
        : query.by === 'tier'
          ? ['all', 'tier:high_risk', 'tier:key', 'tier:general']
          : ['all', ...Object.keys(CATEGORY_LABELS).map((c) => `category:${c}`)];
    const rows = await readRollup(this.db, {
      region,
      childLength,
      from: new Date(startOfLocalDate(period.start)),
      to: new Date(startOfLocalDate(period.end)),
      dimensions,
    });
    const total = emptyTally();
    const cells = new Map<string, ScheduleTally>();
    for (const r of rows) {
      const c = countsOfRow(r);
      const start = r.window_start.getTime();
      const end = r.window_end.getTime();
      if (r.dimension === 'all') classify(c, start, end, now, total);
      if (query.by !== 'none' && r.dimension === 'all') continue;
      const key = `${r.child}|${r.dimension}`;
      const t = cells.get(key) ?? emptyTally();
      classify(c, start, end, now, t);
      cells.set(key, t);
    }
    const [names] = await Promise.all([
      this.regions.fullNames([...new Set(rows.map((r) => r.child))]),
      audit(this.db, ctx, {
        action: 'visit_rate.read',
        entity: 'region',
        regionCode: region,
        detail: { period: period.key, by: query.by },
      }),
    ]);
    return {
      region: ref,
      period: {
        key: period.key,
        label: periodLabel(period.key),
        start: period.start,
        end: period.end,
      },
      asOf: new Date(now).toISOString(),
      by: query.by,
      total: rateCell(total),
      rows: [...cells.entries()]
        .map(([key, t]) => {
          const [code, dimension] = key.split('|') as [string, string];
          return {
            region: { code, ...(names.get(code) ?? { name: code, fullName: code }) },
            dimension,
            cell: rateCell(t),
          };
        })
        .sort(
          (a, b) =>
            a.region.code.localeCompare(b.region.code) || a.dimension.localeCompare(b.dimension),
        ),
    };
  }

  /** `GET /api/visit-rate/unvisited`: the elders not visited in a region and period. */
  async unvisited(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<Page<UnvisitedElderDto>> {
    if (!RATE_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访率');
    const query = parseInput(UnvisitedQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const period = parsePeriodKey(query.period)!;
    for (const m of monthsOverlapping(period.start, period.end))
      await this.ensurePlanned(region, m);
    const rows = await unvisitedWindows(this.db, {
      region,
      from: new Date(startOfLocalDate(period.start)),
      to: new Date(startOfLocalDate(period.end)),
      limit: 5000,
      offset: 0,
    });
    // Upcoming windows and short ones that passed unvisited are not due: not "not visited".
    const due = rows.filter(
      (r) => r.window_start.getTime() <= now && !(r.short && r.window_end.getTime() <= now),
    );
    const page = due.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
    const names = await this.regions.fullNames([...new Set(page.map((r) => r.village_code))]);
    await audit(this.db, ctx, {
      action: 'visit_rate.unvisited',
      entity: 'elder',
      regionCode: region,
      detail: { period: period.key, returned: page.length },
    });
    return {
      items: page.map((r) => ({
        elder: { id: r.elder_id, name: r.name },
        village: {
          code: r.village_code,
          ...(names.get(r.village_code) ?? { name: r.village_code, fullName: r.village_code }),
        },
        tier: r.tier as Tier,
        windowStart: r.window_start.toISOString(),
        windowEnd: r.window_end.toISOString(),
        overdue: r.window_end.getTime() <= now,
      })),
      total: due.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * Compares the rollup of a region's windows overlapping a month with a recount from raw data:
   * the elders' plans from the rules and their visits. Returns every difference (none when the
   * rollup is right). The month must be planned.
   */
  async verify(region: string, month: string): Promise<RollupDrift[]> {
    const period = parsePeriodKey(month)!;
    const from = new Date(startOfLocalDate(period.start));
    const to = new Date(startOfLocalDate(period.end));
    // The stored windows of the region's elders overlapping the month, summed as the rollup is.
    const stored = await windowsOfRegion(this.db, region, from, to);
    // Every elder who may have a window here: those present in the region, and those stored.
    const present = await countEldersInRegion(
      this.db,
      region,
      addDays(period.start, -PRESENCE_LOOKBACK_DAYS),
    );
    const known = new Set(present.map((r) => r.id));
    const rows = [
      ...present,
      ...(await this.elderRows(
        [...new Set(stored.map((w) => w.elder_id))].filter((id) => !known.has(id)),
      )),
    ];
    const elderIds = rows.map((r) => r.id);
    const policies = await listPolicyRulesWithin(this.db, region.slice(0, 2));
    const presence = await this.presenceOf(
      this.db,
      rows,
      addDays(period.start, -PRESENCE_LOOKBACK_DAYS),
    );
    const visits = await this.visitsOf(
      elderIds,
      new Date(from.getTime() - 100 * 86_400_000),
      new Date(to.getTime() + 100 * 86_400_000),
    );
    const recount = new Map<string, RollupCounts>();
    const add = (key: string, c: ReturnType<typeof countsOf>) => {
      const t = recount.get(key) ?? emptyCounts();
      for (const f of Object.keys(c) as (keyof RollupCounts)[]) t[f] += c[f];
      recount.set(key, t);
    };
    for (const row of rows) {
      const profile = { tier: row.tier as Tier, categories: row.categories as Category[] };
      const plan = planSchedule({
        profile,
        presence: presence.get(row.id)!.presence,
        policies,
        campaigns: [],
        from: period.start,
        to: period.end,
      });
      for (const w of complianceWindows(plan, profile)) {
        if (!w.villageCode.startsWith(region)) continue;
        const c = countsOf(w, satisfyingVisit(w, visits.get(row.id) ?? [], Infinity));
        for (const d of rollupDimensions(w))
          add(`${w.villageCode}|${w.windowStart}|${w.windowEnd}|${d}`, c);
      }
    }
    const mine = new Map<string, RollupCounts>();
    for (const w of stored) {
      const c = countsOf(
        { short: w.short },
        w.visit_id ? { id: w.visit_id, visitedAt: w.visited_at!.getTime(), late: w.late } : null,
      );
      for (const d of rollupDimensions({
        tier: w.tier as Tier,
        categories: w.categories as Category[],
      })) {
        const key = `${w.village_code}|${w.window_start.getTime()}|${w.window_end.getTime()}|${d}`;
        const t = mine.get(key) ?? emptyCounts();
        for (const f of Object.keys(c) as (keyof RollupCounts)[]) t[f] += c[f];
        mine.set(key, t);
      }
    }
    // The village rollup itself must equal the sum of its windows.
    const rolled = await readRollup(this.db, {
      region,
      childLength: 12,
      from: new Date(from.getTime() - 400 * 86_400_000),
      to: new Date(to.getTime() + 400 * 86_400_000),
      dimensions: [...new Set([...mine.keys(), ...recount.keys()].map((k) => k.split('|')[3]!))],
    });
    const rolledBy = new Map(
      rolled.map((r) => [
        `${r.child}|${r.window_start.getTime()}|${r.window_end.getTime()}|${r.dimension}`,
        countsOfRow(r),
      ]),
    );
    const drift: RollupDrift[] = [];
    const same = (a: RollupCounts, b: RollupCounts) =>
      (Object.keys(a) as (keyof RollupCounts)[]).every((f) => a[f] === b[f]);
    for (const key of new Set([...mine.keys(), ...recount.keys()])) {
      const [village, ws, we, dim] = key.split('|') as [string, string, string, string];
      if (Number(we) <= from.getTime() || Number(ws) >= to.getTime()) continue;
      const r = recount.get(key) ?? emptyCounts();
      const m = mine.get(key) ?? emptyCounts();
      const v = rolledBy.get(key) ?? emptyCounts();
      if (!same(r, m) || !same(m, v))
        drift.push({
          villageCode: village,
          windowStart: new Date(Number(ws)).toISOString(),
          windowEnd: new Date(Number(we)).toISOString(),
          dimension: dim,
          stored: same(r, m) ? v : m,
          recounted: r,
        });
    }
    return drift;
  }

  private async visitsOf(elderIds: string[], from: Date, to: Date) {
    const out = new Map<
      string,
      { id: string; visitedAt: number; enteredAt: number; method: VisitMethod }[]
    >();
    for (let i = 0; i < elderIds.length; i += 5000) {
      const rows = await this.db
        .selectFrom('visits')
        .select(['id', 'elder_id', 'visited_at', 'entered_at', 'method'])
        .where('elder_id', 'in', elderIds.slice(i, i + 5000))
        .where('visited_at', '>=', from)
        .where('visited_at', '<', to)
        // A visit a spot check could not verify does not count.
        .where('unverified', '=', false)
        .execute();
      for (const r of rows) {
        const list = out.get(r.elder_id) ?? [];
        list.push({
          id: r.id,
          visitedAt: r.visited_at.getTime(),
          enteredAt: r.entered_at.getTime(),
          method: r.method as VisitMethod,
        });
        out.set(r.elder_id, list);
      }
    }
    return out;
  }

  /** Today's month (China time), planned at start-up for a region. */
  static currentMonth(now = Date.now()): string {
    return localDateOf(now).slice(0, 7);
  }
}
