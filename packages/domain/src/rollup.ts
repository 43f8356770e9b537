/**
 * The visit-rate rollup (issue 7): what the schedule engine says of each regular window, kept per
 * elder and per window (`compliance`) and summed per village, window and dimension
 * (`village_rollup`), so a province's rate is a sum over villages instead of a plan of every
 * elder. Everything here mirrors `tallySchedule` exactly — the rollup must equal a recount.
 *
 * A window's counts are fixed when it is planned and when a visit satisfies it; what depends on
 * the moment (upcoming, open, overdue, exempt) is derived when the rollup is read (`classify`),
 * so no job has to run when a deadline passes.
 */
import { z } from 'zod';
import type { Category, RegionRef, Tier } from './elder.js';
import { parsePeriodKey } from './periods.js';
import { AnyRegionCode, paging } from './schema-helpers.js';
import type { VisitMethod } from './policies.js';
import type { PlannedObligation, ScheduleTally, VisitTimes } from './schedule.js';

const HOUR_MS = 3_600_000;

/** A regular window of one elder, as the rollup stores it. */
export interface ComplianceWindow {
  villageCode: string;
  windowStart: number;
  /** The deadline (exclusive). */
  windowEnd: number;
  /** The cadence period it belongs to (2026-11, 2026-W47, …). */
  periodKey: string;
  short: boolean;
  countedMethods: readonly VisitMethod[];
  entryGraceHours: number;
  tier: Tier;
  categories: readonly Category[];
}

/** The visit that satisfies a window (the first counting one by visit time), if any. */
export interface ComplianceVisit {
  id: string;
  visitedAt: number;
  late: boolean;
}

/** The regular windows of a plan, with the elder's profile. */
export function complianceWindows(
  plan: readonly PlannedObligation[],
  profile: { tier: Tier; categories: readonly Category[] },
): ComplianceWindow[] {
  return plan
    .filter((o) => o.kind === 'regular')
    .map((o) => ({
      villageCode: o.villageCode,
      windowStart: o.windowStart,
      windowEnd: o.windowEnd,
      periodKey: o.periodKey,
      short: o.short,
      countedMethods: o.countedMethods,
      entryGraceHours: o.entryGraceHours,
      tier: profile.tier,
      categories: profile.categories,
    }));
}

/**
 * The visit that satisfies a window: of the visits made in it, up to `now`, by a counted method,
 * the earliest by visit time (ties: the smaller id) — as `tallySchedule` takes the first of the
 * elder's visits in time order. Late when it was entered after the deadline and its grace.
 */
export function satisfyingVisit(
  w: Pick<ComplianceWindow, 'windowStart' | 'windowEnd' | 'countedMethods' | 'entryGraceHours'>,
  visits: readonly (VisitTimes & { id: string })[],
  now: number,
): ComplianceVisit | null {
  let best: (VisitTimes & { id: string }) | null = null;
  for (const v of visits) {
    if (v.visitedAt < w.windowStart || v.visitedAt >= w.windowEnd || v.visitedAt > now) continue;
    if (!w.countedMethods.includes(v.method)) continue;
    if (!best || v.visitedAt < best.visitedAt || (v.visitedAt === best.visitedAt && v.id < best.id))
      best = v;
  }
  return best
    ? {
        id: best.id,
        visitedAt: best.visitedAt,
        late: best.enteredAt > w.windowEnd + w.entryGraceHours * HOUR_MS,
      }
    : null;
}

/** The dimensions a window is counted under: all, its tier, and each of its categories. */
export function rollupDimensions(w: Pick<ComplianceWindow, 'tier' | 'categories'>): string[] {
  return ['all', `tier:${w.tier}`, ...[...new Set(w.categories)].map((c) => `category:${c}`)];
}

/** What a village's windows of one span (start, deadline) and dimension add up to. */
export interface RollupCounts {
  /** Windows planned. */
  planned: number;
  /** Of them, short (not due unless visited). */
  short: number;
  /** Satisfied by a visit entered on time. */
  onTime: number;
  /** Satisfied by a visit entered late (补录). */
  late: number;
  /** Short windows that were visited (so due after all). */
  shortVisited: number;
}

/** Empty counts. */
export function emptyCounts(): RollupCounts {
  return { planned: 0, short: 0, onTime: 0, late: 0, shortVisited: 0 };
}

/** What one window adds to its village's counts, given the visit that satisfies it. */
export function countsOf(w: Pick<ComplianceWindow, 'short'>, visit: ComplianceVisit | null) {
  return {
    planned: 1,
    short: w.short ? 1 : 0,
    onTime: visit && !visit.late ? 1 : 0,
    late: visit?.late ? 1 : 0,
    shortVisited: w.short && visit ? 1 : 0,
  };
}

/**
 * The tally of counts of windows spanning [windowStart, windowEnd) at `now`, exactly as
 * `addToTally` counts the obligations: upcoming windows are left out; an open one is due; after
 * the deadline an unvisited window is overdue, or exempt when short.
 */
export function classify(
  c: RollupCounts,
  windowStart: number,
  windowEnd: number,
  now: number,
  into: ScheduleTally,
): void {
  if (now < windowStart) return;
  const visited = c.onTime + c.late;
  into.done += c.onTime;
  into.late += c.late;
  if (now < windowEnd) {
    into.open += c.planned - visited;
    into.due += c.planned;
    return;
  }
  const exempt = c.short - c.shortVisited;
  into.exempt += exempt;
  into.overdue += c.planned - visited - exempt;
  into.due += c.planned - exempt;
}

/** One cell of the visit rate: windows due, visited on time, visited late, not visited, rate. */
export interface VisitRateCell {
  /** Due (应访): open, visited or overdue; upcoming and exempt left out. */
  due: number;
  /** Visited and entered on time (按时探访). */
  onTime: number;
  /** Visited, entered after the grace (补录). */
  late: number;
  /** Not visited (未探访) = overdue + open. */
  notVisited: number;
  /** Of them, the deadline has passed (逾期未访). */
  overdue: number;
  /** Of them, the deadline is still ahead (未到期). */
  open: number;
  /** Short windows passed unvisited, not counted as due (短窗口豁免). */
  exempt: number;
  /** (onTime + late) ÷ due, or null when nothing was due. */
  rate: number | null;
}

/** A tally as a rate cell. */
export function rateCell(t: ScheduleTally): VisitRateCell {
  const visited = t.done + t.late;
  return {
    due: t.due,
    onTime: t.done,
    late: t.late,
    notVisited: t.overdue + t.open,
    overdue: t.overdue,
    open: t.open,
    exempt: t.exempt,
    rate: t.due > 0 ? visited / t.due : null,
  };
}

/** Breakdowns of the visit rate. */
export const RATE_BREAKDOWNS = ['none', 'tier', 'category'] as const;

const periodKey = z
  .string({ error: '请提供统计周期 period，如 2026-11' })
  .refine((v) => /^\d{4}-(\d{2}|Q[1-4]|W\d{2})$/.test(v) && parsePeriodKey(v) !== undefined, {
    error: '统计周期应为 2026-11（月）、2026-Q4（季度）或 2026-W47（周）',
  });

/** Query of `GET /api/visit-rate`: a region (the user's jurisdiction by default) and a period. */
export const VisitRateQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  period: periodKey,
  by: z.enum(RATE_BREAKDOWNS, { error: '分组应为 none、tier 或 category' }).default('none'),
});
/** Query of `GET /api/visit-rate`. */
export type VisitRateQuery = z.infer<typeof VisitRateQuery>;

/** Query of `GET /api/visit-rate/unvisited`: the elders not visited in a region and period. */
export const UnvisitedQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  period: periodKey,
  ...paging,
});

/** `GET /api/visit-rate`: a region's rate for a period, with its children (and breakdown). */
export interface VisitRateDto {
  region: RegionRef;
  period: { key: string; label: string; start: string; end: string };
  asOf: string;
  by: (typeof RATE_BREAKDOWNS)[number];
  total: VisitRateCell;
  /** Per child region (and per tier or category when broken down), in code order. */
  rows: Array<{ region: RegionRef; dimension: string; cell: VisitRateCell }>;
}

/** An elder not visited in a window (drill-down). */
export interface UnvisitedElderDto {
  elder: { id: string; name: string };
  village: RegionRef;
  tier: Tier;
  windowStart: string;
  windowEnd: string;
  /** The deadline has passed (逾期) or not (未到期). */
  overdue: boolean;
}
