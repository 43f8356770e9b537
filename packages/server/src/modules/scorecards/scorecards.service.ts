import {
  DEFAULT_SCORECARD_CONFIG,
  REGION_LEVEL_LABELS,
  SCORECARD_CONFIGURERS,
  SCORECARD_READERS,
  ScorecardConfigInput,
  ScorecardConfigQuery,
  ScorecardQuery,
  classify,
  emptyTally,
  isLedgerComplete,
  isWithinJurisdiction,
  localDateOf,
  regionCodePath,
  regionLevelOf,
  scoreIndicator,
  scorecardTotal,
  scoredIndicators,
  startOfLocalDate,
  type IndicatorCounts,
  type RegionRef,
  type ScorecardConfig,
  type ScorecardConfigDto,
  type ScorecardDto,
  type ScorecardIndicator,
  type ScorecardsDto,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { withoutEmpty } from '../imports/query-params.js';
import { findChildren } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { PLAN_BUDGET_MS, planWithin } from '../dashboard/dashboard.service.js';
import { readRollup } from '../rollups/rollups.repository.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import { countiesOf } from '../schedule/schedule.repository.js';
import { spotCheckPassRateByChild } from '../spot-checks/spot-checks.repository.js';
import {
  activeLedgerPage,
  configsAround,
  followUpCounts,
  upsertConfig,
  type GroupCounts,
  type ScorecardConfigRow,
} from './scorecards.repository.js';

/** Elders read per page for ledger completeness. */
const LEDGER_PAGE = 5000;

/** Why an indicator has no data, per indicator (shown as 暂无数据 with this reason). */
const NO_DATA: Record<ScorecardIndicator, string> = {
  visit_rate: '考评年度内没有截止日已到的应访',
  ledger_completeness: '没有在册老年人',
  follow_up_on_time: '考评年度内没有期限已到或已完成的问题',
  spot_check_pass: '考评年度内没有已核实的抽查',
};
/** Counts of every indicator per group code (a township or county), or why there are none. */
type Counts = Record<ScorecardIndicator, Map<string, IndicatorCounts> | string>;

/** The scope of a scorecard request: the region, the year, what is scored and how it is grouped. */
interface Scope {
  region: RegionRef;
  year: number;
  /** The region's own card (a county or township); null for a city or province. */
  own: RegionRef | null;
  children: RegionRef[];
  /** The code length the counts are grouped by (9: townships, 6: counties). */
  groupLength: number;
  /** The evaluation moment: the year's end, or now for the year in progress. */
  at: number;
}

/**
 * 绩效考评 (issue 7): each township and county scored for a year on the indicators and weights
 * its county or city set (the default otherwise), each score with its numerator, denominator,
 * weight and points. Aggregates only; an export is audit-logged.
 */
export class ScorecardsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly rollups: RollupsService,
    /** How long a request waits for months planned for the first time. */
    private readonly planBudgetMs = PLAN_BUDGET_MS,
  ) {}

  /** `GET /api/scorecards?region=&year=`: the region's own card and its children's, best first. */
  async scorecards(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ScorecardsDto> {
    if (!SCORECARD_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看绩效考评');
    const query = parseInput(ScorecardQuery, withoutEmpty(rawQuery), 'query');
    const scope = await this.scope(ctx, query.region, query.year, now);
    const [counts, configs] = await Promise.all([
      this.counts(scope),
      configsAround(this.db, scope.region.code, scope.year),
    ]);
    const card = (r: RegionRef, level: 'county' | 'township'): ScorecardDto => {
      const config = this.configOf(configs, r.code, scope.year);
      const indicators = scoredIndicators(config).map((c) => {
        const byGroup = counts[c.key];
        return typeof byGroup === 'string'
          ? scoreIndicator(c, null, byGroup)
          : scoreIndicator(c, sumOf(byGroup, r.code), NO_DATA[c.key]);
      });
      return { region: r, level, year: scope.year, indicators, ...scorecardTotal(indicators) };
    };
    const childLevel = scope.groupLength === 9 ? 'township' : 'county';
    const own = scope.own
      ? card(scope.own, scope.own.code.length === 6 ? 'county' : 'township')
      : null;
    return {
      year: scope.year,
      region: scope.region,
      asOf: new Date(scope.at).toISOString(),
      own,
      children: scope.children
        .map((c) => card(c, childLevel))
        .sort(
          (a, b) => (b.total ?? -1) - (a.total ?? -1) || a.region.code.localeCompare(b.region.code),
        ),
      config: await this.presentConfig(configs, scope.region.code, scope.year),
    };
  }

  /** `GET /api/scorecards/config?region=&year=`: the configuration in force and where it is set. */
  async config(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ScorecardConfigDto> {
    if (!SCORECARD_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看绩效考评');
    const query = parseInput(ScorecardConfigQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionIn(ctx, query.region);
    const year = this.yearOf(query.year, now);
    return this.presentConfig(await configsAround(this.db, region.code, year), region.code, year);
  }

  /**
   * `PUT /api/scorecards/config?region=&year=`: a county or city sets the indicators and weights
   * of its scorecards (and of the regions within it that set none) for a year.
   */
  async setConfig(
    ctx: RequestContext,
    rawQuery: unknown,
    raw: unknown,
    now = Date.now(),
  ): Promise<ScorecardConfigDto> {
    if (!SCORECARD_CONFIGURERS.includes(ctx.actor.role))
      throw forbidden('只有县(区)、市民政局可以设置考评指标和权重');
    const query = parseInput(ScorecardConfigQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionIn(ctx, query.region);
    const level = regionLevelOf(region.code);
    if (level !== 'county' && level !== 'city')
      throw badRequest('考评指标由县(区)或市设置，请选择县(区)或市', 'region');
    const year = this.yearOf(query.year, now);
    const input = parseInput(ScorecardConfigInput, raw);
    await this.db.transaction().execute(async (trx) => {
      await upsertConfig(trx, {
        region_code: region.code,
        year,
        indicators: JSON.stringify(input.indicators),
        updated_by: ctx.actor.userId,
        at: new Date(now),
      });
      await audit(trx, ctx, {
        action: 'scorecard.config',
        entity: 'region',
        regionCode: region.code,
        detail: { year, indicators: input.indicators },
      });
    });
    return this.presentConfig(await configsAround(this.db, region.code, year), region.code, year);
  }

  /** The scorecards of a request, for the export (which logs it). */
  async forExport(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ScorecardsDto> {
    const dto = await this.scorecards(ctx, rawQuery, now);
    await audit(this.db, ctx, {
      action: 'scorecard.export',
      entity: 'region',
      regionCode: dto.region.code,
      detail: { year: dto.year, regions: (dto.own ? 1 : 0) + dto.children.length },
    });
    return dto;
  }

  /** What is scored for a region and year. */
  private async scope(
    ctx: RequestContext,
    code: string | undefined,
    rawYear: number | undefined,
    now: number,
  ): Promise<Scope> {
    const region = await this.regionIn(ctx, code);
    const year = this.yearOf(rawYear, now);
    const at = Math.min(now, startOfLocalDate(`${year + 1}-01-01`));
    const level = regionLevelOf(region.code);
    const refs = async (codes: string[]) => {
      const names = await this.regions.fullNames(codes);
      return codes.map((c) => ({ code: c, ...names.get(c)! }));
    };
    switch (level) {
      case 'township':
        return { region, year, own: region, children: [], groupLength: 9, at };
      case 'county': {
        const townships = (await findChildren(this.db, region.code)).map((r) => r.code);
        return { region, year, own: region, children: await refs(townships), groupLength: 9, at };
      }
      case 'city':
      case 'province': {
        const counties =
          level === 'city'
            ? (await findChildren(this.db, region.code)).map((r) => r.code)
            : await countiesOf(this.db, region.code);
        return { region, year, own: null, children: await refs(counties), groupLength: 6, at };
      }
      case 'village':
      case undefined:
        throw badRequest(
          `绩效考评按乡镇(街道)和县(区)评分，${REGION_LEVEL_LABELS.village}不单独评分：请选择乡镇(街道)、县(区)或市`,
          'region',
        );
    }
  }

  /** Every indicator's counts per group of the scope, each from its own source. */
  private async counts(scope: Scope): Promise<Counts> {
    const region = scope.region.code;
    const from = new Date(startOfLocalDate(`${scope.year}-01-01`));
    const to = new Date(scope.at);
    const [visitRate, ledger, followUp, spotChecks] = await Promise.all([
      this.visitRateCounts(scope),
      this.ledgerCounts(region, scope.groupLength),
      followUpCounts(this.db, { region, groupLength: scope.groupLength, from, to, at: to }),
      // The spot-check module's pass rate: items of samples of the year's months.
      spotCheckPassRateByChild(
        this.db,
        region,
        scope.groupLength,
        `${scope.year}-01`,
        `${scope.year + 1}-01`,
      ),
    ]);
    return {
      visit_rate: visitRate,
      ledger_completeness: ledger,
      follow_up_on_time: toMap(followUp),
      spot_check_pass: new Map(
        spotChecks.map((r) => [
          r.child,
          {
            numerator: r.progress.verifiedPhone + r.progress.verifiedInPerson,
            denominator: r.progress.checked,
          },
        ]),
      ),
    };
  }

  /**
   * The visit rate of the year from the rollup: the regular windows whose deadline fell in the
   * year by the evaluation moment (the months planned first), visited (on time or late) of due.
   * While months are still being planned for the first time, why there are no counts yet.
   */
  private async visitRateCounts(scope: Scope): Promise<Map<string, IndicatorCounts> | string> {
    const last = localDateOf(scope.at - 1).slice(0, 7);
    const months: string[] = [];
    for (let m = 1; m <= 12; m++) {
      const month = `${scope.year}-${String(m).padStart(2, '0')}`;
      if (month <= last) months.push(month);
    }
    const pending = await planWithin(
      this.db,
      this.rollups,
      scope.region.code,
      months,
      this.planBudgetMs,
    );
    if (pending.length > 0)
      return `${pending.length} 个月份正在首次统计（范围大时需数分钟），请稍后刷新`;
    const rows = await readRollup(this.db, {
      region: scope.region.code,
      childLength: scope.groupLength,
      from: new Date(startOfLocalDate(`${scope.year}-01-01`)),
      to: new Date(scope.at),
      dimensions: ['all'],
    });
    const tallies = new Map<string, ReturnType<typeof emptyTally>>();
    for (const r of rows) {
      const t = tallies.get(r.child) ?? emptyTally();
      classify(
        {
          planned: r.planned,
          short: r.short,
          onTime: r.on_time,
          late: r.late,
          shortVisited: r.short_visited,
        },
        r.window_start.getTime(),
        r.window_end.getTime(),
        scope.at,
        t,
      );
      tallies.set(r.child, t);
    }
    return new Map(
      [...tallies.entries()].map(([code, t]) => [
        code,
        { numerator: t.done + t.late, denominator: t.due },
      ]),
    );
  }

  /** Active elders per group and how many of their records are complete (台账完整). */
  private async ledgerCounts(
    region: string,
    groupLength: number,
  ): Promise<Map<string, IndicatorCounts>> {
    const out = new Map<string, IndicatorCounts>();
    let after: string | null = null;
    for (;;) {
      const page = await activeLedgerPage(this.db, region, after, LEDGER_PAGE);
      for (const row of page) {
        const code = row.village_code.slice(0, groupLength);
        const c = out.get(code) ?? { numerator: 0, denominator: 0 };
        c.denominator += 1;
        const complete = isLedgerComplete({
          data: (row.data ?? {}) as Record<string, unknown>,
          hasPhone: row.has_phone,
          categories: row.categories,
        });
        if (complete) c.numerator += 1;
        out.set(code, c);
      }
      if (page.length < LEDGER_PAGE) return out;
      after = page[page.length - 1]!.id;
    }
  }

  /** The configuration in force for a region: its own, or the nearest enclosing one's, or the default. */
  private configOf(configs: ScorecardConfigRow[], code: string, year: number): ScorecardConfig {
    return this.configRowOf(configs, code, year)?.config ?? DEFAULT_SCORECARD_CONFIG;
  }

  private configRowOf(
    configs: ScorecardConfigRow[],
    code: string,
    year: number,
  ): { row: ScorecardConfigRow; config: ScorecardConfig } | null {
    for (const prefix of regionCodePath(code).reverse()) {
      const row = configs.find((c) => c.region_code === prefix && c.year === year);
      if (!row) continue;
      const parsed = ScorecardConfigInput.safeParse({ indicators: row.indicators });
      if (parsed.success) return { row, config: parsed.data };
    }
    return null;
  }

  private async presentConfig(
    configs: ScorecardConfigRow[],
    code: string,
    year: number,
  ): Promise<ScorecardConfigDto> {
    const found = this.configRowOf(configs, code, year);
    const config = found?.config ?? DEFAULT_SCORECARD_CONFIG;
    const from = found ? await this.regions.ref(found.row.region_code) : null;
    return {
      year,
      indicators: config.indicators,
      from,
      updatedAt: found?.row.updated_at.toISOString() ?? null,
      updatedBy: found?.row.updated_by_name ?? null,
    };
  }

  /** The year asked for, or the current one; a year not yet begun is refused. */
  private yearOf(year: number | undefined, now: number): number {
    const current = Number(localDateOf(now).slice(0, 4));
    if (year === undefined) return current;
    if (year > current) throw badRequest(`年度不能晚于 ${current} 年`, 'year');
    return year;
  }

  /** A region within the jurisdiction (the jurisdiction itself by default), or 404. */
  private async regionIn(ctx: RequestContext, code: string | undefined): Promise<RegionRef> {
    const region = code ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    return this.regions.ref(region);
  }
}

function toMap(rows: GroupCounts[]): Map<string, IndicatorCounts> {
  return new Map(
    rows.map((r) => [r.group_code, { numerator: r.numerator, denominator: r.denominator }]),
  );
}

/** The counts of a region: the sum of the groups within it (null when none has any). */
function sumOf(byGroup: Map<string, IndicatorCounts>, code: string): IndicatorCounts | null {
  let out: IndicatorCounts | null = null;
  for (const [group, c] of byGroup) {
    if (!group.startsWith(code)) continue;
    out ??= { numerator: 0, denominator: 0 };
    out.numerator += c.numerator;
    out.denominator += c.denominator;
  }
  return out;
}
