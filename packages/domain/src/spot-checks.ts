/**
 * 抽查 Spot checks (issue 7): a random sample of a township's visits of a month, stratified by
 * visitor and reproducible from a stored seed, checked by county or township staff (电话核实,
 * 实地核实 or 未能核实). A visit that could not be verified no longer counts toward the visit rate.
 */
import { z } from 'zod';
import { todayIso } from './idcard.js';
import type { RegionRef } from './elder.js';
import type { VisitMethod } from './policies.js';
import type { Role } from './roles.js';
import { AnyRegionCode, YearMonth, oneOf, paging, text } from './schema-helpers.js';
import type { VisitProofDto } from './visits.js';

/** Staff who draw samples, assign checkers and check (县、乡镇民政). */
export const SPOT_CHECK_STAFF: readonly Role[] = ['township', 'county'];
/** Staff who read samples and pass rates of their jurisdiction. */
export const SPOT_CHECK_READERS: readonly Role[] = ['township', 'county', 'city', 'auditor'];

/** The result of checking one sampled visit. */
export const SPOT_CHECK_RESULT_LABELS = {
  pending: '待核实',
  verified_phone: '电话核实',
  verified_in_person: '实地核实',
  not_verified: '未能核实',
} as const;
/** A result (`pending` until a checker records one). */
export type SpotCheckResult = keyof typeof SPOT_CHECK_RESULT_LABELS;

/** The results a checker records (核实方式). */
export const SPOT_CHECK_RECORDABLE_LABELS = {
  verified_phone: SPOT_CHECK_RESULT_LABELS.verified_phone,
  verified_in_person: SPOT_CHECK_RESULT_LABELS.verified_in_person,
  not_verified: SPOT_CHECK_RESULT_LABELS.not_verified,
} as const;
/** A result a checker records. */
export type SpotCheckRecordable = keyof typeof SPOT_CHECK_RECORDABLE_LABELS;

/** Whether a result confirms the visit happened. */
export function isVerified(result: SpotCheckResult): boolean {
  return result === 'verified_phone' || result === 'verified_in_person';
}

/** The largest seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffff_ffff;

/**
 * mulberry32 (Tommy Ettinger, public domain): a 32-bit-state generator, fast and well mixed for
 * sampling. From a seed in [0, 2³²) it returns a function giving numbers in [0, 1), each a
 * multiple of 2⁻³². The same seed gives the same sequence in every JavaScript engine, because it
 * uses only 32-bit integer arithmetic (`Math.imul`, shifts).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * How many of a visitor's visits are drawn: `ratePercent` of them rounded up, or `perVisitor`,
 * but at least `minPerVisitor` — and never more than there are.
 */
export interface SampleOptions {
  /** Percent of each visitor's visits (1–100), rounded up. */
  ratePercent?: number | null;
  /** A fixed number of visits per visitor. */
  perVisitor?: number | null;
  /** At least this many per visitor who has visits (default 1). */
  minPerVisitor?: number;
}

/** The number drawn from a visitor with `n` visits under `options`. */
export function stratumSize(n: number, options: SampleOptions): number {
  if (n <= 0) return 0;
  const min = options.minPerVisitor ?? 1;
  // Integer arithmetic: ⌈n × p / 100⌉ without floating-point error.
  const wanted =
    options.ratePercent != null
      ? Math.floor((n * options.ratePercent + 99) / 100)
      : (options.perVisitor ?? 0);
  return Math.min(n, Math.max(min, wanted));
}

/** A visit in a sampling population: its id and its visitor (null: recorded without one). */
export interface SampleCandidate {
  id: string;
  visitorId: string | null;
}

/**
 * Draws a sample stratified by visitor. The population is first put in a canonical order — one
 * entry per id, sorted by id — so the same visits in any order give the same sample. Strata
 * (visitors, the visits without a visitor as one stratum) are taken in order of visitor id; within
 * each, `stratumSize` visits are chosen by a partial Fisher–Yates shuffle, all strata drawing from
 * one mulberry32 stream seeded with `seed` (index j = ⌊r × (n − i)⌋ + i for i = 0…k−1). Returns the
 * chosen visits ordered by visitor, then id.
 */
export function drawSample<T extends SampleCandidate>(
  visits: readonly T[],
  options: SampleOptions,
  seed: number,
): T[] {
  const byId = new Map<string, T>();
  for (const v of visits) if (!byId.has(v.id)) byId.set(v.id, v);
  const sorted = [...byId.values()].sort((a, b) => compare(a.id, b.id));
  const strata = new Map<string, T[]>();
  for (const v of sorted) {
    const key = v.visitorId ?? '';
    const list = strata.get(key);
    if (list) list.push(v);
    else strata.set(key, [v]);
  }
  const random = mulberry32(seed);
  const out: T[] = [];
  for (const key of [...strata.keys()].sort(compare)) {
    const list = [...strata.get(key)!];
    const k = stratumSize(list.length, options);
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(random() * (list.length - i));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    out.push(...list.slice(0, k).sort((a, b) => compare(a.id, b.id)));
  }
  return out;
}

/** Code-unit order (never locale-dependent, so every machine sorts alike). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Verified ÷ checked, or null when nothing was checked. */
export function passRate(verified: number, checked: number): number | null {
  return checked === 0 ? null : verified / checked;
}

/** The current month 'YYYY-MM' in China time. */
export function currentMonth(now = new Date()): string {
  return todayIso(now).slice(0, 7);
}

const Seed = z
  .number({ error: '抽样种子应为 0 到 4294967295 之间的整数' })
  .int({ error: '抽样种子应为整数' })
  .min(0, { error: '抽样种子不能小于 0' })
  .max(MAX_SEED, { error: '抽样种子不能大于 4294967295' });

/** Body of `POST /api/spot-checks`: draw a township's sample of a month. */
export const SpotCheckDrawInput = z
  .strictObject({
    townshipCode: z
      .string({ error: '请选择乡镇（街道）' })
      .regex(/^\d{9}$/, { error: '乡镇（街道）应为 9 位区划代码' }),
    /** A past or the current month (China time). */
    month: YearMonth.refine((m) => m <= currentMonth(), { error: '抽查月份不能晚于本月' }),
    ratePercent: z
      .number({ error: '抽样比例应为 1 到 100 的整数（%）' })
      .int({ error: '抽样比例应为整数（%）' })
      .min(1, { error: '抽样比例至少 1%' })
      .max(100, { error: '抽样比例最多 100%' })
      .optional(),
    perVisitor: z
      .number({ error: '每人抽取条数应为整数' })
      .int({ error: '每人抽取条数应为整数' })
      .min(1, { error: '每人抽取条数至少 1 条' })
      .max(100, { error: '每人抽取条数最多 100 条' })
      .optional(),
    minPerVisitor: z
      .number({ error: '每人至少抽取条数应为整数' })
      .int({ error: '每人至少抽取条数应为整数' })
      .min(1, { error: '每人至少抽取 1 条' })
      .max(100, { error: '每人至少抽取条数最多 100 条' })
      .default(1),
    /** Made by the server (a random 32-bit number) when omitted; stored either way. */
    seed: Seed.optional(),
  })
  .refine((v) => (v.ratePercent === undefined) !== (v.perVisitor === undefined), {
    error: '请填写抽样比例或每人抽取条数（二选一）',
    path: ['ratePercent'],
  });
/** Input of `POST /api/spot-checks`. */
export type SpotCheckDrawInput = z.input<typeof SpotCheckDrawInput>;

/** Body of `POST /api/spot-checks/:id/assignments`: give items to a checker. */
export const SpotCheckAssignInput = z.strictObject({
  checkerId: z.uuid({ error: '请选择核实人员' }),
  itemIds: z
    .array(z.uuid({ error: '抽查项编号应为 UUID' }), { error: '请选择要分配的抽查项' })
    .min(1, { error: '请选择要分配的抽查项' })
    .max(1000, { error: '一次最多分配 1000 条' }),
});
/** Input of `POST /api/spot-checks/:id/assignments`. */
export type SpotCheckAssignInput = z.input<typeof SpotCheckAssignInput>;

/** Body of `POST /api/spot-check-items/:id/result`. A note is required for 未能核实. */
export const SpotCheckResultInput = z
  .strictObject({
    result: oneOf(SPOT_CHECK_RECORDABLE_LABELS, '核实方式'),
    note: text('备注', 500).optional(),
  })
  .refine((v) => v.result !== 'not_verified' || (v.note ?? '') !== '', {
    error: '未能核实时请填写备注（核实经过、未能核实的原因）',
    path: ['note'],
  });
/** Input of `POST /api/spot-check-items/:id/result`. */
export type SpotCheckResultInput = z.input<typeof SpotCheckResultInput>;

/** A month or a year: `2026-11`, `2026`. */
const MonthOrYear = z
  .string()
  .regex(/^\d{4}(-(0[1-9]|1[0-2]))?$/, { error: '期间应为年份（2026）或年月（2026-11）' });

/** Query of `GET /api/spot-checks`: the samples of a region (default: the jurisdiction). */
export const SpotCheckListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  period: MonthOrYear.optional(),
  ...paging,
});
/** Parsed query of `GET /api/spot-checks`. */
export type SpotCheckListQuery = z.infer<typeof SpotCheckListQuery>;

/** Query of `GET /api/spot-checks/pass-rate`: a region's pass rate, per child region. */
export const SpotCheckPassRateQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  period: z.string({ error: '请选择期间' }).regex(/^\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$/, {
    error: '期间应为年份（2026）、季度（2026-Q4）或年月（2026-11）',
  }),
});
/** Parsed query of `GET /api/spot-checks/pass-rate`. */
export type SpotCheckPassRateQuery = z.infer<typeof SpotCheckPassRateQuery>;

/** Counts of a sample's (or region's) items. */
export interface SpotCheckProgress {
  total: number;
  /** Items with a result. */
  checked: number;
  verifiedPhone: number;
  verifiedInPerson: number;
  notVerified: number;
  /** Items with a checker. */
  assigned: number;
  /** Verified ÷ checked (null until something is checked). */
  passRate: number | null;
}

/** A sample in lists. */
export interface SpotCheckSampleDto {
  id: string;
  township: RegionRef;
  month: string;
  seed: number;
  ratePercent: number | null;
  perVisitor: number | null;
  minPerVisitor: number;
  /** Visits of the month the sample was drawn from. */
  populationSize: number;
  /** Visitors (strata) among them. */
  strata: number;
  drawnBy: { id: string; name: string };
  drawnAt: string;
  progress: SpotCheckProgress;
  /** Items assigned to the reader still to check. */
  mineToCheck: number;
}

/** One sampled visit, with what a checker needs to verify it. */
export interface SpotCheckItemDto {
  id: string;
  sampleId: string;
  elder: {
    id: string;
    name: string;
    phoneMasked: string | null;
    emergencyContact: { name: string; phoneMasked: string | null } | null;
  };
  village: RegionRef;
  visitor: { id: string; name: string } | null;
  visit: {
    id: string;
    visitedAt: string;
    enteredAt: string;
    method: VisitMethod;
    unverified: boolean;
    proof: VisitProofDto;
  };
  checker: { id: string; name: string } | null;
  result: SpotCheckResult;
  note: string | null;
  checkedAt: string | null;
  checkedBy: { id: string; name: string } | null;
  /** Results recorded so far (a changed result keeps its history). */
  changes: number;
}

/** A sample with its items. */
export interface SpotCheckDetailDto extends SpotCheckSampleDto {
  items: SpotCheckItemDto[];
}

/** A step in an item's history. */
export interface SpotCheckEventDto {
  id: string;
  at: string;
  actor: { id: string | null; name: string | null };
  kind: 'assigned' | 'result';
  fromResult: SpotCheckResult | null;
  toResult: SpotCheckResult | null;
  checker: { id: string; name: string } | null;
  note: string | null;
}

/** A user who may check a sample's visits. */
export interface SpotCheckCheckerDto {
  id: string;
  name: string;
  role: Role;
  jurisdiction: string;
}

/** The answer of `GET /api/spot-checks/:id/reproduce`. */
export interface SpotCheckReproductionDto {
  seed: number;
  populationSize: number;
  /** The sample recomputed from the stored seed, options and visit list equals the stored one. */
  matches: boolean;
  expected: string[];
  stored: string[];
}

/** A child region's pass rate in `GET /api/spot-checks/pass-rate`. */
export interface SpotCheckPassRateRow {
  region: RegionRef;
  progress: SpotCheckProgress;
}

/** The answer of `GET /api/spot-checks/pass-rate`. */
export interface SpotCheckPassRateDto {
  region: RegionRef;
  period: string;
  total: SpotCheckProgress;
  rows: SpotCheckPassRateRow[];
}

/** The full elder phone for a checker who phones the elder (logged). */
export interface SpotCheckPhoneDto {
  phone: string | null;
  emergencyContact: { name: string; phone: string | null } | null;
}
