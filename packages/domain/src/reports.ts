/**
 * 统计报表 (issue 7, item 5): the monthly 探访关爱工作统计表 of a region and its child regions, and
 * the ledger completeness report (台账完整性) per village. The queries, the figures and their
 * Chinese column names, shared by the server's .xlsx and the console's preview so both say the
 * same. Definitions: docs/rules.md (统计报表).
 */
import { z } from 'zod';
import {
  COMPLETENESS_FIELD_LABELS,
  COMPLETENESS_FIELD_SOURCES,
  COMPLETENESS_FIELDS,
  type CompletenessField,
} from './completeness.js';
import type { Category, RegionRef } from './elder.js';
import type { VisitRateCell } from './rollup.js';
import type { Role } from './roles.js';
import { AnyRegionCode } from './schema-helpers.js';
import { FINDING_TYPE_LABELS, type FindingType } from './templates.js';

/** Staff who read and download reports, each within their jurisdiction. */
export const REPORT_READERS: readonly Role[] = ['village', 'township', 'county', 'city', 'auditor'];

/** Whether a role reads reports. */
export function canReadReports(role: Role): boolean {
  return REPORT_READERS.includes(role);
}

/**
 * The categories the statistics table breaks the visits down by: the special-difficulty elders
 * of 丹东 2023 附件2 (独居、空巢、留守、失能、重残、计划生育特殊家庭) and 特困 (鞍山 2020 巡访对象).
 */
export const STATISTICS_CATEGORIES = [
  'living_alone',
  'empty_nest',
  'left_behind',
  'incapacitated',
  'severely_disabled',
  'bereaved_family',
  'extreme_poverty',
] as const satisfies readonly Category[];
/** A category of the statistics table. */
export type StatisticsCategory = (typeof STATISTICS_CATEGORIES)[number];

/** The column names of the statistics table's categories (计生特殊家庭 as tables abbreviate it). */
export const STATISTICS_CATEGORY_LABELS: Record<StatisticsCategory, string> = {
  living_alone: '独居',
  empty_nest: '空巢',
  left_behind: '留守',
  incapacitated: '失能',
  severely_disabled: '重残',
  bereaved_family: '计生特殊家庭',
  extreme_poverty: '特困',
};

/** Finding types in the table's order (紧急情况 last: it also has its own columns). */
export const STATISTICS_FINDING_TYPES = Object.keys(FINDING_TYPE_LABELS) as FindingType[];

/** A month 'YYYY-MM' (1–12), for the `month` of a report. */
const ReportMonth = z
  .string({ error: '请提供统计月份 month，如 2026-11' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '统计月份 month 应为 YYYY-MM，如 2026-11' });

/** Query of `GET /api/reports/monthly-statistics(.xlsx)`: a region (default: one's own) and a month. */
export const MonthlyStatisticsQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  month: ReportMonth,
});
/** Query of the monthly statistics, as a client sends it. */
export type MonthlyStatisticsQueryInput = z.input<typeof MonthlyStatisticsQuery>;

/** Query of `GET /api/reports/ledger-completeness(.xlsx)`: a region (default: one's own). */
export const LedgerCompletenessQuery = z.strictObject({ region: AnyRegionCode.optional() });
/** Query of the completeness report, as a client sends it. */
export type LedgerCompletenessQueryInput = z.input<typeof LedgerCompletenessQuery>;

/** Due and visited windows of one category (其中：…应访、已访). */
export interface CategoryVisits {
  due: number;
  /** On time + late. */
  visited: number;
}

/** One row of the monthly statistics table: a child region, or the 合计 of the region. */
export interface StatisticsRow {
  region: RegionRef;
  /** 在册老年人数: elders 在册 (active) in the region on the month's last day (today, this month). */
  registered: number;
  /** The visit rate's cell of the month, from the rollup (应访、按时探访、补录、未探访、月探访率). */
  visits: VisitRateCell;
  /** 其中：each category's due and visited windows. */
  byCategory: Record<StatisticsCategory, CategoryVisits>;
  /** 发现问题数: findings raised in the month, in all and by type. */
  findings: { total: number; byType: Record<FindingType, number> };
  /** 紧急情况: raised in the month, and the mean time to the first response of those responded to. */
  emergencies: { count: number; responded: number; meanResponseMinutes: number | null };
  /** 转介数: referrals made in the month (withdrawn ones left out). */
  referrals: number;
  /** 关爱服务: services given in the month, and the share rated 满意 or 基本满意. */
  careServices: { count: number; satisfied: number; satisfactionRate: number | null };
}

/** `GET /api/reports/monthly-statistics`: the table of a region and a month. */
export interface MonthlyStatisticsDto {
  region: RegionRef;
  month: { key: string; label: string; start: string; end: string };
  /** The date the 在册 count is taken on (the month's last day, or today in the current month). */
  registeredOn: string;
  /** When the figures were read (visit windows still open count as due). */
  asOf: string;
  /** The title of the table, e.g. 2026年11月探访关爱工作统计表. */
  title: string;
  /** One row per child region (the region itself for a village), in code order. */
  rows: StatisticsRow[];
  /** 合计: the region's figures (its visits equal the rollup's total). */
  total: StatisticsRow;
}

/** How a column of the statistics table shows its value. */
export type StatisticsColumnKind = 'text' | 'count' | 'percent' | 'minutes';

/** A column of the statistics table: its header path (group to leaf), kind, width and value. */
export interface StatisticsColumn {
  key: string;
  /** From the top header row down to the column's own name (1 to 3 levels). */
  head: readonly string[];
  kind: StatisticsColumnKind;
  /** Width in characters (the .xlsx column). */
  width: number;
  value: (r: StatisticsRow) => string | number | null;
}

const countColumn = (
  key: string,
  head: string[],
  value: (r: StatisticsRow) => number,
  width = 8,
): StatisticsColumn => ({ key, head, kind: 'count', width, value });

/**
 * The columns of the monthly 探访关爱工作统计表, left to right — one layout for the .xlsx and the
 * console's preview. Definitions: docs/rules.md (统计报表).
 */
export const STATISTICS_COLUMNS: readonly StatisticsColumn[] = [
  { key: 'region', head: ['区域'], kind: 'text', width: 18, value: (r) => r.region.name },
  countColumn('registered', ['在册老年人数（人）'], (r) => r.registered, 10),
  countColumn('due', ['探访情况（人次）', '应访'], (r) => r.visits.due),
  countColumn('onTime', ['探访情况（人次）', '按时探访'], (r) => r.visits.onTime),
  countColumn('late', ['探访情况（人次）', '补录'], (r) => r.visits.late),
  countColumn('notVisited', ['探访情况（人次）', '未探访'], (r) => r.visits.notVisited),
  {
    key: 'rate',
    head: ['探访情况（人次）', '月探访率'],
    kind: 'percent',
    width: 9,
    value: (r) => r.visits.rate,
  },
  ...STATISTICS_CATEGORIES.flatMap((c) => [
    countColumn(
      `${c}.due`,
      ['其中：分类别探访（人次）', STATISTICS_CATEGORY_LABELS[c], '应访'],
      (r) => r.byCategory[c].due,
      7,
    ),
    countColumn(
      `${c}.visited`,
      ['其中：分类别探访（人次）', STATISTICS_CATEGORY_LABELS[c], '已访'],
      (r) => r.byCategory[c].visited,
      7,
    ),
  ]),
  countColumn('findings', ['发现问题（件）', '合计'], (r) => r.findings.total, 7),
  ...STATISTICS_FINDING_TYPES.map((t) =>
    countColumn(
      `findings.${t}`,
      ['发现问题（件）', FINDING_TYPE_LABELS[t]],
      (r) => r.findings.byType[t],
      9,
    ),
  ),
  countColumn('emergencies', ['紧急情况', '件数'], (r) => r.emergencies.count, 7),
  {
    key: 'responseMinutes',
    head: ['紧急情况', '平均响应时间（分钟）'],
    kind: 'minutes',
    width: 11,
    value: (r) => r.emergencies.meanResponseMinutes,
  },
  countColumn('referrals', ['转介数（件）'], (r) => r.referrals, 9),
  countColumn('careServices', ['关爱服务', '服务次数'], (r) => r.careServices.count, 8),
  {
    key: 'satisfaction',
    head: ['关爱服务', '满意率'],
    kind: 'percent',
    width: 9,
    value: (r) => r.careServices.satisfactionRate,
  },
];

/** The title of the monthly table: “2026年11月探访关爱工作统计表”. */
export function statisticsTitle(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月探访关爱工作统计表`;
}

/** A required field of the completeness report: its code, label and source form. */
export interface CompletenessFieldInfo {
  field: CompletenessField;
  label: string;
  source: string;
}

/** The required fields, in the forms' order, as the report lists them. */
export const COMPLETENESS_REPORT_FIELDS: readonly CompletenessFieldInfo[] = COMPLETENESS_FIELDS.map(
  (field) => ({
    field,
    label: COMPLETENESS_FIELD_LABELS[field],
    source: COMPLETENESS_FIELD_SOURCES[field],
  }),
);

/** One village of the completeness report (or the 合计). */
export interface CompletenessRow {
  region: RegionRef;
  /** The village's township (乡镇/街道) name; empty in the 合计. */
  township: string;
  /** Elders 在册 (active) in the village: not 迁出, 入住机构, 住院 or 已故. */
  elders: number;
  /** Of them, records with every field required of them. */
  complete: number;
  /** complete ÷ elders (台账完整率), or null without elders. */
  completeRate: number | null;
  /** Required fields filled, of those required, over all the records (必填项填写率). */
  filledFields: number;
  requiredFields: number;
  fieldRate: number | null;
  /** How many records lack each field. */
  missing: Record<CompletenessField, number>;
}

/** `GET /api/reports/ledger-completeness`: per village, with the 合计. */
export interface LedgerCompletenessDto {
  region: RegionRef;
  asOf: string;
  fields: readonly CompletenessFieldInfo[];
  /** Villages with elders in the ledger, in code order. */
  rows: CompletenessRow[];
  total: CompletenessRow;
}

/** Ratio helper: a ÷ b, or null when b is 0. */
export function ratioOrNull(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}
