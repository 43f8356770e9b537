/**
 * The schedule engine: given an elder (tier, categories, where and when they were active), the
 * policies and campaigns, and the visits made, it says for any stretch of time what is due, what
 * is done and what is overdue. Pure: the server, the benchmarks and the field app run the same
 * code. The rules are set out, with their sources, in docs/rules.md (探访周期规则).
 *
 * Two steps, so that elders with the same profile share the first: `planSchedule` finds the
 * obligations (periods, windows, the rule of each), `evaluateSchedule` matches visits to them.
 */
import type { Category, Tier } from './elder.js';
import {
  DAY_MS,
  HOUR_MS,
  localDateOf,
  periodOf,
  startOfLocalDate,
  windowOf,
  type Period,
  type PeriodUnit,
} from './periods.js';
import {
  sameCadence,
  type CampaignRule,
  type Cadence,
  type PolicyRule,
  type VisitMethod,
} from './policies.js';

/** What the rules select an elder by. */
export interface ScheduleProfile {
  tier: Tier;
  categories: readonly Category[];
}

/** A stretch of time in which the elder was active (在册) in a village: [from, to), local dates. */
export interface Presence {
  villageCode: string;
  from: string;
  /** Exclusive; null while it lasts. */
  to: string | null;
}

/** A visit as the engine sees it (instants in ms since the epoch). */
export interface VisitFact {
  id: string;
  /** When it happened (from the visitor). */
  visitedAt: number;
  /** When it reached the server. */
  enteredAt: number;
  method: VisitMethod;
}

/** What an obligation asks for: the cadence's visit, the in-person visit, or a campaign's. */
export type ObligationKind = 'regular' | 'in_person' | 'campaign';

/** Where an obligation stands at a moment. */
export type ObligationStatus = 'upcoming' | 'due' | 'done' | 'overdue' | 'exempt';

/** One visit the rules ask for: a window in which a counting visit must happen. */
export interface PlannedObligation {
  kind: ObligationKind;
  /** Unique for the elder: kind + period key. */
  key: string;
  /** 2026-11, 2026-Q4, 2026-W47, 2026-11-03+14d, or campaign id#n. */
  periodKey: string;
  /** The whole period, ms. */
  periodStart: number;
  periodEnd: number;
  /** The part of it in which the elder is due (active, in the region, under this rule), ms. */
  windowStart: number;
  /** The deadline (exclusive). */
  windowEnd: number;
  /** The window is shorter than the period (joined, left, or the rule changed mid-period). */
  clipped: boolean;
  /** Clipped to under a quarter of the period: not due unless a visit was made in it. */
  short: boolean;
  countedMethods: readonly VisitMethod[];
  /** Hours after the deadline in which entering a visit is still on time. */
  entryGraceHours: number;
  policy: PolicyRule | null;
  campaign: CampaignRule | null;
  /** The elder's village at the start of the window. */
  villageCode: string;
}

/** The visit that satisfied an obligation. */
export interface CountedVisit {
  id: string;
  visitedAt: number;
  enteredAt: number;
  method: VisitMethod;
  /** Entered after the deadline and its grace (补录): counts for its period, marked late. */
  late: boolean;
}

/** An obligation with its state at `now`. */
export interface Obligation extends PlannedObligation {
  status: ObligationStatus;
  visit: CountedVisit | null;
}

/** What `planSchedule` needs. */
export interface ScheduleInput {
  profile: ScheduleProfile;
  presence: readonly Presence[];
  /** Every version of every policy that may apply (retired ones included). */
  policies: readonly PolicyRule[];
  /** Campaigns not cancelled. */
  campaigns: readonly CampaignRule[];
  /** Obligations whose window overlaps [from, to) (local dates) are returned. */
  from: string;
  to: string;
  /** Only the part of the elder's presence in this region prefix counts (a jurisdiction). */
  region?: string;
}

/** Share of a period below which a clipped window is not due unless visited (短窗口豁免). */
export const SHORT_WINDOW_SHARE = 0.25;
/** Grace for entering a campaign visit after its deadline. */
export const CAMPAIGN_ENTRY_GRACE_HOURS = 24;

/** How far back a period may start before the queried range (a year: the in-person year rule). */
const LOOKBACK_DAYS = 370;

interface Interval {
  start: number;
  end: number;
  villageCode: string;
}

interface RuleIndex {
  /** Versions per policy, oldest first. */
  byPolicy: PolicyRule[][];
  /** Every effective date, ms. */
  dates: number[];
}

const ruleIndexCache = new WeakMap<readonly PolicyRule[], RuleIndex>();

function indexRules(policies: readonly PolicyRule[]): RuleIndex {
  let index = ruleIndexCache.get(policies);
  if (index) return index;
  const groups = new Map<string, PolicyRule[]>();
  for (const p of policies) {
    const list = groups.get(p.policyId) ?? [];
    list.push(p);
    groups.set(p.policyId, list);
  }
  const byPolicy = [...groups.values()].map((vs) =>
    vs.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)),
  );
  const dates = [...new Set(policies.map((p) => startOfLocalDate(p.effectiveFrom)))].sort(
    (a, b) => a - b,
  );
  index = { byPolicy, dates };
  ruleIndexCache.set(policies, index);
  return index;
}

/** Whether a rule's tiers and categories select the elder (empty = all). */
export function selects(
  rule: { tiers: readonly Tier[]; categories: readonly Category[] },
  profile: ScheduleProfile,
): boolean {
  if (rule.tiers.length > 0 && !rule.tiers.includes(profile.tier)) return false;
  if (rule.categories.length > 0 && !rule.categories.some((c) => profile.categories.includes(c)))
    return false;
  return true;
}

/** Ranks two applicable rules: the more specific wins (longer region, more selectors, newer). */
function moreSpecific(a: PolicyRule, b: PolicyRule): boolean {
  if (a.regionCode.length !== b.regionCode.length) return a.regionCode.length > b.regionCode.length;
  const sa = (a.tiers.length > 0 ? 1 : 0) + (a.categories.length > 0 ? 1 : 0);
  const sb = (b.tiers.length > 0 ? 1 : 0) + (b.categories.length > 0 ? 1 : 0);
  if (sa !== sb) return sa > sb;
  if (a.effectiveFrom !== b.effectiveFrom) return a.effectiveFrom > b.effectiveFrom;
  return a.policyId > b.policyId;
}

/**
 * The policy version that governs an elder in a village on a date: of each policy, the version in
 * force that day (unless it retires the policy); of those that select the elder, the most specific.
 */
export function resolvePolicy(
  policies: readonly PolicyRule[],
  profile: ScheduleProfile,
  villageCode: string,
  date: string,
): PolicyRule | null {
  let best: PolicyRule | null = null;
  for (const versions of indexRules(policies).byPolicy) {
    let inForce: PolicyRule | undefined;
    for (const v of versions) if (v.effectiveFrom <= date) inForce = v;
    if (!inForce || inForce.retired) continue;
    if (!villageCode.startsWith(inForce.regionCode) || !selects(inForce, profile)) continue;
    if (!best || moreSpecific(inForce, best)) best = inForce;
  }
  return best;
}

/** Presence as ms intervals, limited to a region prefix, sorted. */
function intervalsOf(presence: readonly Presence[], region: string | undefined): Interval[] {
  return presence
    .filter((p) => !region || p.villageCode.startsWith(region))
    .map((p) => ({
      start: startOfLocalDate(p.from),
      end: p.to === null ? Number.POSITIVE_INFINITY : startOfLocalDate(p.to),
      villageCode: p.villageCode,
    }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
}

interface Part {
  start: number;
  rule: PolicyRule;
  villageCode: string;
}

/** A stretch of time under one cadence, without a gap. */
interface Segment {
  start: number;
  end: number;
  cadence: Cadence;
  /** Anchor date of N-day windows. */
  anchor: string;
  parts: Part[];
}

function segmentsOf(
  intervals: Interval[],
  policies: readonly PolicyRule[],
  profile: ScheduleProfile,
  h0: number,
  h1: number,
): Segment[] {
  const points = new Set<number>([h0, h1]);
  for (const d of indexRules(policies).dates) if (d > h0 && d < h1) points.add(d);
  for (const i of intervals) {
    if (i.start > h0 && i.start < h1) points.add(i.start);
    if (i.end > h0 && i.end < h1) points.add(i.end);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let at = 0;
  for (let k = 0; k < sorted.length - 1; k++) {
    const start = sorted[k]!;
    const end = sorted[k + 1]!;
    while (at < intervals.length && intervals[at]!.end <= start) at++;
    const here = intervals[at];
    if (!here || here.start > start) continue; // not active here
    const rule = resolvePolicy(policies, profile, here.villageCode, localDateOf(start));
    if (!rule) continue;
    const last = segments[segments.length - 1];
    if (
      last &&
      last.end === start &&
      sameCadence(last.cadence, rule.cadence) &&
      (rule.cadence.kind !== 'every_n_days' || last.anchor === rule.effectiveFrom)
    ) {
      last.end = end;
      const lastPart = last.parts[last.parts.length - 1]!;
      if (lastPart.rule !== rule || lastPart.villageCode !== here.villageCode)
        last.parts.push({ start, rule, villageCode: here.villageCode });
    } else {
      segments.push({
        start,
        end,
        cadence: rule.cadence,
        anchor: rule.effectiveFrom,
        parts: [{ start, rule, villageCode: here.villageCode }],
      });
    }
  }
  return segments;
}

/**
 * A change of cadence takes effect when the period in progress ends: the elder keeps the old
 * rule's period to its end (so a change never makes a visit overdue at once), and the new rule's
 * first period is cut to start there. Only for a change without a gap (not a return after absence).
 */
function deferCadenceChanges(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const seg of segments) {
    const prev = out[out.length - 1];
    if (prev && prev.end === seg.start) {
      const period = cadencePeriod(prev.cadence, prev.anchor, localDateOf(seg.start));
      const boundary = startOfLocalDate(period.end);
      if (startOfLocalDate(period.start) < seg.start && boundary > seg.start) {
        prev.end = Math.min(boundary, seg.end);
        if (prev.end >= seg.end) continue; // the new rule ended within the old period
        seg.start = prev.end;
        seg.parts = seg.parts.filter(
          (p, i) => i === seg.parts.length - 1 || seg.parts[i + 1]!.start > seg.start,
        );
        seg.parts[0] = { ...seg.parts[0]!, start: Math.max(seg.parts[0]!.start, seg.start) };
      }
    }
    out.push(seg);
  }
  return out;
}

function partAt(parts: Part[], t: number): Part {
  let found = parts[0]!;
  for (const p of parts) if (p.start <= t) found = p;
  return found;
}

function cadencePeriod(cadence: Cadence, anchor: string, date: string): Period {
  switch (cadence.kind) {
    case 'weekly':
      return periodOf('week', date);
    case 'monthly':
      return periodOf('month', date);
    case 'quarterly':
      return periodOf('quarter', date);
    case 'every_n_days':
      return windowOf(anchor, cadence.days, date);
  }
}

/** Periods overlapping [lo, hi) ∩ [seg.start, seg.end), clipped to the segment. */
function* periodsIn(
  start: number,
  end: number,
  lo: number,
  hi: number,
  periodAt: (date: string) => Period,
): Generator<{ period: Period; pStart: number; pEnd: number; wStart: number; wEnd: number }> {
  const from = Math.max(start, lo);
  const to = Math.min(end, hi);
  if (from >= to) return;
  let period = periodAt(localDateOf(from));
  for (;;) {
    const pStart = startOfLocalDate(period.start);
    const pEnd = startOfLocalDate(period.end);
    if (pStart >= to) return;
    yield {
      period,
      pStart,
      pEnd,
      wStart: Math.max(pStart, start),
      wEnd: Math.min(pEnd, end),
    };
    period = periodAt(period.end);
  }
}

function windowFlags(pStart: number, pEnd: number, wStart: number, wEnd: number) {
  const clipped = wStart > pStart || wEnd < pEnd;
  return { clipped, short: clipped && wEnd - wStart < (pEnd - pStart) * SHORT_WINDOW_SHARE };
}

/** The obligations of an elder whose window overlaps [from, to). */
export function planSchedule(input: ScheduleInput): PlannedObligation[] {
  const lo = startOfLocalDate(input.from);
  const hi = startOfLocalDate(input.to);
  const h0 = lo - LOOKBACK_DAYS * DAY_MS;
  const h1 = hi + LOOKBACK_DAYS * DAY_MS;
  const intervals = intervalsOf(input.presence, input.region);
  const out: PlannedObligation[] = [];
  if (intervals.length === 0) return out;

  for (const seg of deferCadenceChanges(
    segmentsOf(intervals, input.policies, input.profile, h0, h1),
  )) {
    for (const w of periodsIn(seg.start, seg.end, lo, hi, (d) =>
      cadencePeriod(seg.cadence, seg.anchor, d),
    )) {
      const part = partAt(seg.parts, w.wStart);
      out.push({
        kind: 'regular',
        key: `regular:${w.period.key}`,
        periodKey: w.period.key,
        periodStart: w.pStart,
        periodEnd: w.pEnd,
        windowStart: w.wStart,
        windowEnd: w.wEnd,
        ...windowFlags(w.pStart, w.pEnd, w.wStart, w.wEnd),
        countedMethods: part.rule.countedMethods,
        entryGraceHours: part.rule.entryGraceDays * 24,
        policy: part.rule,
        campaign: null,
        villageCode: part.villageCode,
      });
    }
    // In-person visits: runs of parts with the same coarser unit.
    let k = 0;
    while (k < seg.parts.length) {
      const unit = seg.parts[k]!.rule.inPersonEvery;
      let j = k + 1;
      while (j < seg.parts.length && seg.parts[j]!.rule.inPersonEvery === unit) j++;
      if (unit) {
        const runStart = seg.parts[k]!.start;
        const runEnd = j < seg.parts.length ? seg.parts[j]!.start : seg.end;
        for (const w of periodsIn(runStart, runEnd, lo, hi, (d) =>
          periodOf(unit as PeriodUnit, d),
        )) {
          const part = partAt(seg.parts, w.wStart);
          out.push({
            kind: 'in_person',
            key: `in_person:${w.period.key}`,
            periodKey: w.period.key,
            periodStart: w.pStart,
            periodEnd: w.pEnd,
            windowStart: w.wStart,
            windowEnd: w.wEnd,
            ...windowFlags(w.pStart, w.pEnd, w.wStart, w.wEnd),
            countedMethods: ['in_person'],
            entryGraceHours: part.rule.entryGraceDays * 24,
            policy: part.rule,
            campaign: null,
            villageCode: part.villageCode,
          });
        }
      }
      k = j;
    }
  }

  for (const c of input.campaigns) {
    if (!selects(c, input.profile)) continue;
    const inRegion = intervals.filter((i) => i.villageCode.startsWith(c.regionCode));
    if (inRegion.length === 0) continue;
    const cStart = Date.parse(c.startsAt);
    const cEnd = Date.parse(c.endsAt);
    const w = c.withinHours * HOUR_MS;
    const first = Math.max(0, Math.floor((lo - cStart) / w) - 1);
    for (let n = first; cStart + n * w < cEnd && cStart + n * w < hi; n++) {
      const pStart = cStart + n * w;
      const pEnd = pStart + w;
      if (pEnd <= lo) continue;
      const overlapping = inRegion.filter((i) => i.start < pEnd && i.end > pStart);
      if (overlapping.length === 0) continue;
      const wStart = Math.max(pStart, overlapping[0]!.start);
      const wEnd = Math.min(pEnd, overlapping[overlapping.length - 1]!.end);
      out.push({
        kind: 'campaign',
        key: `campaign:${c.id}#${n + 1}`,
        periodKey: `${c.id}#${n + 1}`,
        periodStart: pStart,
        periodEnd: pEnd,
        windowStart: wStart,
        windowEnd: wEnd,
        ...windowFlags(pStart, pEnd, wStart, wEnd),
        countedMethods: c.countedMethods,
        entryGraceHours: CAMPAIGN_ENTRY_GRACE_HOURS,
        policy: null,
        campaign: c,
        villageCode: overlapping[0]!.villageCode,
      });
    }
  }
  return mergeSameKey(out).sort((a, b) => a.windowEnd - b.windowEnd || a.key.localeCompare(b.key));
}

/**
 * One obligation per period: when the elder was away for part of a period (hospital, institution)
 * and came back under the same rule, the pieces make one window from the first part's start to
 * the last one's end. Pieces of a period separated by another rule's window stay apart (their keys
 * then carry the window's start date).
 */
function mergeSameKey(plans: PlannedObligation[]): PlannedObligation[] {
  const out: PlannedObligation[] = [];
  const lastOfKind = new Map<ObligationKind, PlannedObligation>();
  const keys = new Set<string>();
  const ordered = [...plans].sort((a, b) => a.windowStart - b.windowStart);
  for (const p of ordered) {
    const prev = lastOfKind.get(p.kind);
    if (
      p.kind !== 'campaign' &&
      prev &&
      prev.periodKey === p.periodKey &&
      prev.policy === p.policy
    ) {
      const windowEnd = Math.max(prev.windowEnd, p.windowEnd);
      const merged = {
        ...prev,
        windowEnd,
        ...windowFlags(prev.periodStart, prev.periodEnd, prev.windowStart, windowEnd),
      };
      out[out.indexOf(prev)] = merged;
      lastOfKind.set(p.kind, merged);
      continue;
    }
    const plan = keys.has(p.key) ? { ...p, key: `${p.key}/${localDateOf(p.windowStart)}` } : p;
    keys.add(plan.key);
    out.push(plan);
    lastOfKind.set(p.kind, plan);
  }
  return out;
}

/** Visits once per id (a retried submission is one visit), oldest first. */
function normaliseVisits(visits: readonly VisitFact[]): readonly VisitFact[] {
  let sortedUnique = true;
  for (let i = 1; i < visits.length && sortedUnique; i++) {
    const a = visits[i - 1]!;
    const b = visits[i]!;
    if (a.visitedAt > b.visitedAt || (a.visitedAt === b.visitedAt && a.id >= b.id))
      sortedUnique = false;
  }
  if (sortedUnique) return visits;
  const byId = new Map<string, VisitFact>();
  for (const v of visits) if (!byId.has(v.id)) byId.set(v.id, v);
  return [...byId.values()].sort(
    (a, b) => a.visitedAt - b.visitedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/**
 * Matches visits to obligations at `now` (ms). A visit counts for the window in which it
 * happened (visitedAt), whenever it was entered; the first counting visit of a window satisfies
 * it, and further visits in the window change nothing. Visits dated after `now` are ignored.
 */
export function evaluateSchedule(
  plans: readonly PlannedObligation[],
  visits: readonly VisitFact[],
  now: number,
): Obligation[] {
  const list = normaliseVisits(visits);
  return plans.map((p) => {
    const i = firstCounting(p, list, now);
    const v = i < 0 ? null : list[i]!;
    const visit: CountedVisit | null = v
      ? {
          id: v.id,
          visitedAt: v.visitedAt,
          enteredAt: v.enteredAt,
          method: v.method,
          late: isLate(p, v),
        }
      : null;
    return { ...p, status: statusOf(p, visit !== null, now), visit };
  });
}

/** The times a count needs of a visit, oldest first, each visit once. */
export type VisitTimes = Pick<VisitFact, 'visitedAt' | 'enteredAt' | 'method'>;

/**
 * Adds obligations to a tally without building them: what `addToTally(evaluateSchedule(…))` gives,
 * for counts over many elders. `visits` must hold each visit once, oldest first and, at the same
 * time, by id (as `evaluateSchedule` orders them: the first counting visit decides whether the
 * window was entered late).
 */
export function tallySchedule(
  tally: ScheduleTally,
  plans: readonly PlannedObligation[],
  visits: readonly VisitTimes[],
  now: number,
): void {
  for (const p of plans) {
    const i = firstCounting(p, visits, now);
    const status = statusOf(p, i >= 0, now);
    countStatus(tally, status, i >= 0 && isLate(p, visits[i]!));
  }
}

/** The index of the first visit that satisfies a window, or −1. */
function firstCounting(p: PlannedObligation, list: readonly VisitTimes[], now: number): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (v.visitedAt < p.windowStart) continue;
    if (v.visitedAt >= p.windowEnd || v.visitedAt > now) break;
    if (p.countedMethods.includes(v.method)) return i;
  }
  return -1;
}

function isLate(p: PlannedObligation, v: VisitTimes): boolean {
  return v.enteredAt > p.windowEnd + p.entryGraceHours * HOUR_MS;
}

function statusOf(p: PlannedObligation, visited: boolean, now: number): ObligationStatus {
  if (visited) return 'done';
  if (now < p.windowStart) return 'upcoming';
  if (now < p.windowEnd) return 'due';
  return p.short ? 'exempt' : 'overdue';
}

/** Plans and evaluates in one step. */
export function computeSchedule(
  input: ScheduleInput,
  visits: readonly VisitFact[],
  now: number,
): Obligation[] {
  return evaluateSchedule(planSchedule(input), visits, now);
}

/** Counts of obligations by outcome, as the visit rate reads them. */
export interface ScheduleTally {
  /** Obligations whose window has opened, less the exempt ones. */
  due: number;
  /** Done and entered on time. */
  done: number;
  /** Done but entered late (补录). */
  late: number;
  /** Deadline passed without a counting visit. */
  overdue: number;
  /** Still open: deadline not yet reached. */
  open: number;
  /** Short windows that passed unvisited: not counted as due. */
  exempt: number;
}

/** An empty tally. */
export function emptyTally(): ScheduleTally {
  return { due: 0, done: 0, late: 0, overdue: 0, open: 0, exempt: 0 };
}

/** Adds obligations to a tally (upcoming ones are not counted). */
export function addToTally(tally: ScheduleTally, obligations: readonly Obligation[]): void {
  for (const o of obligations) countStatus(tally, o.status, o.visit?.late ?? false);
}

function countStatus(tally: ScheduleTally, status: ObligationStatus, late: boolean): void {
  switch (status) {
    case 'upcoming':
      break;
    case 'exempt':
      tally.exempt++;
      break;
    case 'done':
      tally.due++;
      if (late) tally.late++;
      else tally.done++;
      break;
    case 'overdue':
      tally.due++;
      tally.overdue++;
      break;
    case 'due':
      tally.due++;
      tally.open++;
      break;
  }
}

/**
 * Presence from a status history: each entry puts the elder, from its date, in a status and a
 * village; the elder is present where and while the status is active. Entries of one day apply in
 * the order recorded (a move writes 迁出 in the old village, then 在册 in the new).
 */
export function presenceOf(
  history: ReadonlyArray<{ status: string; effectiveDate: string; villageCode: string }>,
): Presence[] {
  const out: Presence[] = [];
  let open: Presence | null = null;
  for (const h of history) {
    if (open && (h.status !== 'active' || h.villageCode !== open.villageCode)) {
      open.to = h.effectiveDate;
      if (open.to > open.from) out.push(open);
      open = null;
    }
    if (h.status === 'active' && !open)
      open = { villageCode: h.villageCode, from: h.effectiveDate, to: null };
  }
  if (open) out.push(open);
  return out;
}
