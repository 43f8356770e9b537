/**
 * 数据看板 (issue 7): the figures the dashboard draws — the visit rate month by month, findings by
 * type and status, emergencies and their response times, the needs raised and referred, and the
 * progress of campaigns. The server computes them (modules/dashboard); the console draws them.
 */
import { z } from 'zod';
import type { RegionRef, Tier } from './elder.js';
import { PROVIDER_KIND_LABELS, type ProviderKind } from './follow-up.js';
import { addDays, lastMonths } from './periods.js';
import type { CampaignKind } from './policies.js';
import type { VisitRateCell } from './rollup.js';
import { AnyRegionCode, IsoDate } from './schema-helpers.js';
import type { FindingType } from './templates.js';
import type { FindingStatus } from './visits.js';

/** Months a rate trend may span. */
export const MAX_TREND_MONTHS = 24;

/** Query of `GET /api/dashboard/rate-trend`: a region and how many months back (this one included). */
export const RateTrendQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  months: z.coerce
    .number({ error: '月数必须是数字' })
    .int({ error: '月数必须是整数' })
    .min(1, { error: '月数至少为 1' })
    .max(MAX_TREND_MONTHS, { error: `月数最多为 ${MAX_TREND_MONTHS}` })
    .default(12),
});
/** Query of the rate trend, as a client sends it. */
export type RateTrendQueryInput = z.input<typeof RateTrendQuery>;

/**
 * A target a preset rule sets for the monthly visit rate. 丹东 2023 一、（二）: “到 2025 年底，实现
 * 特殊困难老年人月探访率达到 100%”.
 */
export const RATE_TARGETS: Readonly<Record<string, { rate: number; basis: string }>> = {
  'dandong-2023': { rate: 1, basis: '丹东 2023：月探访率达到 100%' },
};

/** `GET /api/dashboard/rate-trend`: the monthly visit rate of a region and of each child region. */
export interface RateTrendDto {
  region: RegionRef;
  /** The months, oldest first. */
  months: { key: string; label: string }[];
  /** The target of the rule in force for the region (丹东: 100%), if any. */
  target: { rate: number; basis: string } | null;
  /** The region's cell of each month, in the order of `months`. */
  total: VisitRateCell[];
  /** Each child region's cells, in code order (none for a village). */
  series: { region: RegionRef; cells: VisitRateCell[] }[];
  /**
   * Months whose first counting (planning) was still running when the answer was sent (a
   * province's month takes minutes, once): their cells are empty until a later request.
   */
  pending: string[];
  asOf: string;
}

/** Query of `GET /api/dashboard/campaigns`: a region (the jurisdiction by default). */
export const DashboardRegionQuery = z.strictObject({ region: AnyRegionCode.optional() });

/** Query of the dashboard's period figures: a region and China dates [from, to]. */
export const DashboardPeriodQuery = z
  .strictObject({
    region: AnyRegionCode.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    error: '开始日期不能晚于结束日期',
    path: ['from'],
  })
  .refine((q) => !q.from || !q.to || q.from >= addDays(q.to, -731), {
    error: '统计期间最长两年',
    path: ['from'],
  });
/** Query of the period figures, as a client sends it. */
export type DashboardPeriodQueryInput = z.input<typeof DashboardPeriodQuery>;

/** The period the dashboard shows when none is asked for: the 12 months of the trend. */
export function defaultDashboardPeriod(today: string): { from: string; to: string } {
  return { from: `${lastMonths(today, 12)[0]!}-01`, to: today };
}

/** The period a figure covers. */
export interface DashboardPeriod {
  region: RegionRef;
  from: string;
  to: string;
  asOf: string;
}

/** `GET /api/dashboard/findings`: findings raised in the period by type and status. */
export interface FindingsBreakdownDto extends DashboardPeriod {
  total: number;
  byStatus: Record<FindingStatus, number>;
  /** Types with at least one finding, most first. */
  byType: {
    type: FindingType;
    label: string;
    total: number;
    byStatus: Record<FindingStatus, number>;
  }[];
  /** Past their deadline at `asOf` with what it asks not done (逾期). */
  overdue: number;
}

/** `GET /api/dashboard/emergencies`: emergencies raised in the period and how fast they were answered. */
export interface EmergencyStatsDto extends DashboardPeriod {
  count: number;
  acknowledged: number;
  /** Answered (响应) by the deadline, before any escalation. */
  withinDeadline: number;
  /** Those whose outcome is known: answered, or past the deadline. */
  decided: number;
  /** withinDeadline ÷ decided (null when none is decided). */
  withinDeadlineShare: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Per month of the period, oldest first. */
  byMonth: {
    key: string;
    label: string;
    count: number;
    withinDeadline: number;
    decided: number;
    medianSeconds: number | null;
  }[];
}

/** `GET /api/dashboard/needs`: the needs raised by visits and the referrals made, by kind of service. */
export interface NeedsDistributionDto extends DashboardPeriod {
  /** Every kind, in the order of PROVIDER_KIND_LABELS. */
  kinds: {
    kind: ProviderKind;
    label: string;
    /** Needs raised (findings of type 服务需求), by what their words ask for. */
    raised: number;
    /** Referrals made to providers of this kind. */
    referred: number;
    /** Of them, completed (已完成). */
    completed: number;
  }[];
  totalRaised: number;
  totalReferred: number;
}

/** A campaign's progress: the visits it asks for that are due, done and missed. */
export interface CampaignProgressDto {
  id: string;
  name: string;
  kind: CampaignKind;
  kindLabel: string;
  region: RegionRef;
  startsAt: string;
  endsAt: string;
  /** 每 N 小时/天 一次. */
  withinLabel: string;
  tiers: Tier[];
  /** Elders of the viewed region it selects. */
  elders: number;
  /** Campaign windows opened so far (未开始 left out). */
  due: number;
  /** Visited in their window (entered on time or late). */
  done: number;
  /** Window closed without a visit. */
  overdue: number;
  /** Window open, not yet visited. */
  open: number;
  /** done ÷ due (null when nothing is due yet). */
  rate: number | null;
}

/** `GET /api/dashboard/campaigns`: the campaigns in force in a region, with their progress. */
export interface CampaignsProgressDto {
  region: RegionRef;
  asOf: string;
  campaigns: CampaignProgressDto[];
}

/**
 * Words that tell which kind of service a need asks for, most specific first (适老化改造 before
 * 生活照料: “卫生间无扶手” is about the home; 康复 before 医疗). The needs are free text (丹东 记录表 五
 * “老年人服务需求”), so the kind is read from the words; what matches nothing is 其他. Plain
 * alternations, read the same by JavaScript and by PostgreSQL's `~` (the server counts in SQL).
 */
export const NEED_KIND_PATTERNS: readonly (readonly [ProviderKind, string])[] = [
  ['home_adaptation', '适老|扶手|防滑|改造|坡道|无障碍|安装|维修'],
  ['rehab_nursing', '康复|护理|训练|卧床|偏瘫|瘫痪|压疮|理疗'],
  ['medical', '医|药|血压|血糖|体检|诊|病|头晕|疼|痛'],
  ['daily_care', '助餐|送餐|做饭|打扫|清洁|保洁|洗衣|助浴|洗澡|照料|陪护|理发|代购|买菜|家务'],
  ['social_work', '心理|孤独|情绪|陪伴|聊天|疏导|抑郁|社工|关系|精神'],
  ['legal_aid', '法律|赡养|纠纷|诉讼|维权|遗产|律师'],
  ['social_assistance', '低保|救助|补贴|特困|取暖|救济|困难|津贴|供养'],
];
const NEED_REGEXPS = NEED_KIND_PATTERNS.map(([kind, p]) => [kind, new RegExp(p)] as const);

/** The kind of service a need's words ask for (其他 when none is recognised). */
export function needKindOf(text: string): ProviderKind {
  for (const [kind, words] of NEED_REGEXPS) if (words.test(text)) return kind;
  return 'other';
}

/** Every kind of need, in the providers' order. */
export const NEED_KINDS = Object.keys(PROVIDER_KIND_LABELS) as ProviderKind[];
