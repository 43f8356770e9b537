/**
 * 绩效考评 scorecards (issue 7): each township and county scored once a year on indicators with
 * weights a county or city sets. The SPEC: “Township and county keep the ledger complete and
 * current; counties self-inspect; the city inspects; all of it is scored in a yearly performance
 * evaluation. Spot checks verify that recorded visits really happened.” The indicators and how
 * each is counted are in docs/rules.md (绩效考评).
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import { AnyRegionCode } from './schema-helpers.js';
import type { Role } from './roles.js';

/** The indicators (指标), by stable code. */
export const SCORECARD_INDICATOR_LABELS = {
  visit_rate: '探访率',
  ledger_completeness: '台账完整率',
  follow_up_on_time: '问题按期处置率',
  spot_check_pass: '抽查核实率',
} as const;
/** An indicator's code. */
export type ScorecardIndicator = keyof typeof SCORECARD_INDICATOR_LABELS;
/** Every indicator, in the order a scorecard lists them. */
export const SCORECARD_INDICATORS = Object.keys(SCORECARD_INDICATOR_LABELS) as [
  ScorecardIndicator,
  ...ScorecardIndicator[],
];

/** What each indicator counts: its definition and the names of its numerator and denominator. */
export const SCORECARD_INDICATOR_DEFINITIONS: Record<
  ScorecardIndicator,
  { definition: string; numerator: string; denominator: string }
> = {
  visit_rate: {
    definition:
      '考评年度内截止日已到的定期探访（应访）中已探访（含补录）的比例，按探访率统计口径（短窗口豁免不计）',
    numerator: '已探访',
    denominator: '应访',
  },
  ledger_completeness: {
    definition: '在册老年人中台账必填项（信息采集表、记录表 一至三）齐全的比例，按当前台账计算',
    numerator: '台账齐全',
    denominator: '在册老年人',
  },
  follow_up_on_time: {
    definition:
      '考评年度内发现的问题中，在期限内完成期限要求（响应、转介或处置）的比例；期限未到且尚未完成的不计',
    numerator: '按期完成',
    denominator: '期限已到或已完成',
  },
  spot_check_pass: {
    definition: '考评年度内抽查的探访记录中经电话或入户核实属实的比例；待核实的不计',
    numerator: '核实属实',
    denominator: '已核实',
  },
};

/** Who reads scorecards: townships their own, counties and cities theirs and those within. */
export const SCORECARD_READERS: readonly Role[] = [
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];
/** Who sets indicators and weights (县(区)、市民政局). */
export const SCORECARD_CONFIGURERS: readonly Role[] = ['county', 'city'];

/** One indicator of a configuration: its weight (points of 100) and the rate that earns them all. */
export const ScorecardIndicatorConfig = z.strictObject({
  key: z.enum(SCORECARD_INDICATORS, {
    error: `指标应为：${Object.values(SCORECARD_INDICATOR_LABELS).join('、')}`,
  }),
  weight: z
    .number({ error: '权重必须是数字' })
    .int({ error: '权重必须是整数' })
    .min(0, { error: '权重不能为负' })
    .max(100, { error: '权重不能超过 100' }),
  /** The rate at which the indicator earns its whole weight (满分线); below it, in proportion. */
  target: z
    .number({ error: '满分线必须是数字' })
    .min(0.5, { error: '满分线不能低于 50%' })
    .max(1, { error: '满分线不能超过 100%' })
    .default(1),
});
/** One indicator of a configuration. */
export type ScorecardIndicatorConfig = z.output<typeof ScorecardIndicatorConfig>;

/**
 * Body of `PUT /api/scorecards/config?region=&year=`: the indicators used and their weights,
 * which must add up to 100 (an indicator left out, or weighted 0, is not scored).
 */
export const ScorecardConfigInput = z
  .strictObject({
    indicators: z
      .array(ScorecardIndicatorConfig, { error: '请提供指标及权重' })
      .min(1, { error: '至少设置一项指标' })
      .max(SCORECARD_INDICATORS.length),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<string>();
    input.indicators.forEach((i, n) => {
      if (seen.has(i.key))
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', n, 'key'],
          message: `指标“${SCORECARD_INDICATOR_LABELS[i.key]}”重复设置`,
        });
      seen.add(i.key);
    });
    const sum = input.indicators.reduce((s, i) => s + i.weight, 0);
    if (sum !== 100)
      ctx.addIssue({
        code: 'custom',
        path: ['indicators'],
        message: `各项指标的权重合计应为 100，现为 ${sum}`,
      });
  });
/** Body of the configuration, as a client sends it. */
export type ScorecardConfigInput = z.input<typeof ScorecardConfigInput>;
/** A configuration, parsed. */
export type ScorecardConfig = z.output<typeof ScorecardConfigInput>;

/** The configuration used where no county or city has set one. */
export const DEFAULT_SCORECARD_CONFIG: ScorecardConfig = {
  indicators: [
    { key: 'visit_rate', weight: 40, target: 1 },
    { key: 'ledger_completeness', weight: 20, target: 1 },
    { key: 'follow_up_on_time', weight: 20, target: 1 },
    { key: 'spot_check_pass', weight: 20, target: 1 },
  ],
};

/** The earliest year scored. */
export const FIRST_SCORECARD_YEAR = 2020;

/** A year query parameter (the current year when left out). */
const Year = z.coerce
  .number({ error: '年度必须是数字' })
  .int({ error: '年度必须是整数' })
  .min(FIRST_SCORECARD_YEAR, { error: `年度不能早于 ${FIRST_SCORECARD_YEAR}` })
  .max(2100, { error: '年度不正确' });

/** Query of `GET /api/scorecards` and its export: a region (county, city or township) and a year. */
export const ScorecardQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  year: Year.optional(),
});
/** Query of the scorecards, as a client sends it. */
export type ScorecardQueryInput = z.input<typeof ScorecardQuery>;

/** Query of the configuration endpoints. */
export const ScorecardConfigQuery = ScorecardQuery;

/** What is counted for one indicator of one region (null: no data to count from). */
export interface IndicatorCounts {
  numerator: number;
  denominator: number;
}

/** One indicator of a scorecard, with how its points were computed. */
export interface IndicatorScoreDto {
  key: ScorecardIndicator;
  label: string;
  definition: string;
  numeratorLabel: string;
  denominatorLabel: string;
  weight: number;
  target: number;
  /** Null when there is nothing to count (暂无数据). */
  numerator: number | null;
  denominator: number | null;
  /** numerator ÷ denominator. */
  value: number | null;
  /** weight × min(1, value ÷ target), two decimals; null without data. */
  points: number | null;
  /** Why there is no data, in Chinese (null when there is). */
  noData: string | null;
}

/** The score of one region for a year. */
export interface ScorecardDto {
  region: RegionRef;
  level: 'county' | 'township';
  year: number;
  indicators: IndicatorScoreDto[];
  /** Σ points of the indicators with data. */
  points: number;
  /** Σ weights of the indicators with data. */
  weightCounted: number;
  /** The score out of 100: points × 100 ÷ weightCounted (null when no indicator has data). */
  total: number | null;
}

/** A configuration with where it comes from. */
export interface ScorecardConfigDto {
  year: number;
  indicators: ScorecardIndicatorConfig[];
  /** The region that set it; null when the default applies. */
  from: RegionRef | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/**
 * `GET /api/scorecards?region=&year=`: a county's or township's own scorecard and, for a county
 * or city, the scorecards of the townships or counties within it, best first.
 */
export interface ScorecardsDto {
  year: number;
  region: RegionRef;
  asOf: string;
  /** The region's own scorecard (a county or a township; null for a city). */
  own: ScorecardDto | null;
  /** The townships of a county, or the counties of a city, best first (none for a township). */
  children: ScorecardDto[];
  /** The configuration used for the region's own card (children may inherit others). */
  config: ScorecardConfigDto;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** One indicator scored: value = numerator ÷ denominator; points = weight × min(1, value ÷ target). */
export function scoreIndicator(
  config: ScorecardIndicatorConfig,
  counts: IndicatorCounts | null,
  noDataReason: string,
): IndicatorScoreDto {
  const def = SCORECARD_INDICATOR_DEFINITIONS[config.key];
  const base = {
    key: config.key,
    label: SCORECARD_INDICATOR_LABELS[config.key],
    definition: def.definition,
    numeratorLabel: def.numerator,
    denominatorLabel: def.denominator,
    weight: config.weight,
    target: config.target,
  };
  if (!counts || counts.denominator === 0)
    return {
      ...base,
      numerator: counts?.numerator ?? null,
      denominator: counts?.denominator ?? null,
      value: null,
      points: null,
      noData: noDataReason,
    };
  const value = counts.numerator / counts.denominator;
  return {
    ...base,
    numerator: counts.numerator,
    denominator: counts.denominator,
    value,
    points: round2(config.weight * Math.min(1, value / config.target)),
    noData: null,
  };
}

/**
 * The total of a scorecard: the points of the indicators with data, out of their weights, scaled
 * to 100 — an indicator without data is left out rather than scored 0, so a township is not
 * marked down for a check nobody has made yet.
 */
export function scorecardTotal(indicators: readonly IndicatorScoreDto[]): {
  points: number;
  weightCounted: number;
  total: number | null;
} {
  let points = 0;
  let weightCounted = 0;
  for (const i of indicators) {
    if (i.points === null || i.weight === 0) continue;
    points += i.points;
    weightCounted += i.weight;
  }
  return {
    points: round2(points),
    weightCounted,
    total: weightCounted > 0 ? round2((points * 100) / weightCounted) : null,
  };
}

/** The config's indicators in scorecard order, weighted 0 and left-out ones dropped. */
export function scoredIndicators(config: ScorecardConfig): ScorecardIndicatorConfig[] {
  return SCORECARD_INDICATORS.map((k) => config.indicators.find((i) => i.key === k)).filter(
    (i): i is ScorecardIndicatorConfig => i !== undefined && i.weight > 0,
  );
}

/** A rate as a percentage with one decimal (87.5%), or 暂无数据. */
export function percentText(value: number | null): string {
  return value === null ? '暂无数据' : `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}
