/**
 * 统计报表 (issue 7, item 5): the monthly 探访关爱工作统计表 of a region and its child regions, and
 * the ledger completeness report per village — as JSON for the console's preview and as .xlsx.
 * The visit figures are the rollup's (`RollupsService.rate`), never recounted here; the others are
 * counted from findings, referrals and care services of the month; completeness is the domain's
 * rule over the stored records, read in pages without opening a sealed number. Every read is in
 * the audit log, a download before its first byte leaves.
 */
import { PassThrough, type Readable } from 'node:stream';
import {
  COMPLETENESS_FIELDS,
  COMPLETENESS_FIELD_LABELS,
  COMPLETENESS_REPORT_FIELDS,
  LedgerCompletenessQuery,
  MonthlyStatisticsQuery,
  STATISTICS_CATEGORIES,
  STATISTICS_FINDING_TYPES,
  addDays,
  canReadReports,
  isWithinJurisdiction,
  ledgerFieldChecks,
  localDateOf,
  parsePeriodKey,
  periodLabel,
  ratioOrNull,
  startOfLocalDate,
  statisticsTitle,
  type CompletenessField,
  type CompletenessRow,
  type FindingType,
  type LedgerCompletenessDto,
  type MonthlyStatisticsDto,
  type RegionRef,
  type StatisticsCategory,
  type StatisticsRow,
  type VisitRateCell,
  type VisitRateDto,
  childCodeLength,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { withoutEmpty } from '../imports/query-params.js';
import { findChildren } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import {
  careServicesGiven,
  completenessPage,
  emergencyResponses,
  findingsByType,
  referralsMade,
  registeredOn,
  type CompletenessRow as LedgerRow,
} from './reports.repository.js';
import {
  statisticsWorkbook,
  writeCompletenessWorkbook,
  type IncompleteRecordLine,
} from './reports.sheets.js';
import { Spool } from './spool.js';

/** The length of a region's children's codes (a village is its own only row). */
/** Records read per page of the ledger. */
const PAGE = 1000;

/** An .xlsx to send. */
export interface ReportFile {
  fileName: string;
  body: Buffer | Readable;
}

/** A spooled incomplete record: name, village, the fields missing. */
type Spooled = [string, string, CompletenessField[]];

const emptyCell = (): VisitRateCell => ({
  due: 0,
  onTime: 0,
  late: 0,
  notVisited: 0,
  overdue: 0,
  open: 0,
  exempt: 0,
  rate: null,
});

/** A statistics row of zeros. */
function emptyRow(region: RegionRef): StatisticsRow {
  return {
    region,
    registered: 0,
    visits: emptyCell(),
    byCategory: Object.fromEntries(
      STATISTICS_CATEGORIES.map((c) => [c, { due: 0, visited: 0 }]),
    ) as StatisticsRow['byCategory'],
    findings: {
      total: 0,
      byType: Object.fromEntries(STATISTICS_FINDING_TYPES.map((t) => [t, 0])) as Record<
        FindingType,
        number
      >,
    },
    emergencies: { count: 0, responded: 0, meanResponseMinutes: null },
    referrals: 0,
    careServices: { count: 0, satisfied: 0, satisfactionRate: null },
  };
}

/** A completeness row of zeros. */
function emptyCompleteness(region: RegionRef): CompletenessRow {
  return {
    region,
    township: '',
    elders: 0,
    complete: 0,
    completeRate: null,
    filledFields: 0,
    requiredFields: 0,
    fieldRate: null,
    missing: Object.fromEntries(COMPLETENESS_FIELDS.map((f) => [f, 0])) as Record<
      CompletenessField,
      number
    >,
  };
}

/** The reports. */
export class ReportsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly rollups: RollupsService,
  ) {}

  /** `GET /api/reports/monthly-statistics`: the table as JSON (the console's preview). */
  async monthlyStatistics(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<MonthlyStatisticsDto> {
    if (!canReadReports(ctx.actor.role)) throw forbidden('您的角色不能查看统计报表');
    const dto = await this.statistics(ctx, rawQuery, now);
    await audit(this.db, ctx, {
      action: 'report.read',
      entity: 'report',
      regionCode: dto.region.code,
      detail: { report: 'monthly-statistics', month: dto.month.key },
    });
    return dto;
  }

  /** `GET /api/reports/monthly-statistics.xlsx`: the table as .xlsx, logged as a download. */
  async monthlyStatisticsFile(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ReportFile> {
    if (!canReadReports(ctx.actor.role)) throw forbidden('您的角色不能下载统计报表');
    const dto = await this.statistics(ctx, rawQuery, now);
    const madeOn = localDateOf(now);
    const body = await statisticsWorkbook(dto, madeOn);
    await audit(this.db, ctx, {
      action: 'report.download',
      entity: 'report',
      regionCode: dto.region.code,
      detail: {
        report: 'monthly-statistics',
        month: dto.month.key,
        rows: dto.rows.length,
        format: 'xlsx',
      },
    });
    return { fileName: `${dto.title}-${dto.region.name}-${madeOn}.xlsx`, body };
  }

  /** `GET /api/reports/ledger-completeness`: per village, as JSON (the console's preview). */
  async ledgerCompleteness(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<LedgerCompletenessDto> {
    if (!canReadReports(ctx.actor.role)) throw forbidden('您的角色不能查看统计报表');
    const region = await this.regionOf(
      ctx,
      parseInput(LedgerCompletenessQuery, withoutEmpty(rawQuery), 'query').region,
    );
    const dto = await this.completeness(region, now, async () => undefined);
    await audit(this.db, ctx, {
      action: 'report.read',
      entity: 'report',
      regionCode: region.code,
      detail: { report: 'ledger-completeness', elders: dto.total.elders },
    });
    return dto;
  }

  /**
   * `GET /api/reports/ledger-completeness.xlsx`: the summary per village, then every incomplete
   * record (name, village, the fields missing; no number). The ledger is read once, in pages;
   * the incomplete records wait in a temporary file while the summary is counted, so memory stays
   * flat for a county of 100,000 elders. Logged before the first byte is sent.
   */
  async ledgerCompletenessFile(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ReportFile & { count: number }> {
    if (!canReadReports(ctx.actor.role)) throw forbidden('您的角色不能下载统计报表');
    const query = parseInput(LedgerCompletenessQuery, withoutEmpty(rawQuery), 'query');
    const region = await this.regionOf(ctx, query.region);
    const spool = await Spool.create<Spooled>('completeness');
    try {
      const dto = await this.completeness(region, now, (row, missing) =>
        spool.write([row.name, row.village_code, missing]),
      );
      await spool.close();
      const villages = new Map(dto.rows.map((r) => [r.region.code, r]));
      await audit(this.db, ctx, {
        action: 'report.download',
        entity: 'report',
        regionCode: region.code,
        detail: {
          report: 'ledger-completeness',
          elders: dto.total.elders,
          incomplete: spool.size,
          format: 'xlsx',
        },
      });
      const lines = async function* (): AsyncGenerator<IncompleteRecordLine> {
        for await (const [name, village, missing] of spool.read())
          yield {
            name,
            township: villages.get(village)?.township ?? '',
            village: villages.get(village)?.region.name ?? village,
            missing: missing.map((f) => COMPLETENESS_FIELD_LABELS[f]),
          };
      };
      const stream = new PassThrough();
      const madeOn = localDateOf(now);
      writeCompletenessWorkbook(stream, dto, lines(), madeOn)
        .catch((error: unknown) => stream.destroy(error as Error))
        .finally(() => void spool.dispose());
      return {
        fileName: `台账完整性-${region.name}-${madeOn}.xlsx`,
        body: stream,
        count: dto.total.elders,
      };
    } catch (error) {
      await spool.dispose();
      throw error;
    }
  }

  /** The region asked for (one's own by default): within the jurisdiction and known, or 404. */
  private async regionOf(ctx: RequestContext, code: string | undefined): Promise<RegionRef> {
    const region = code ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    return this.regions.ref(region);
  }

  /** The monthly table: the rollup's visit figures with the month's other counts, per child. */
  private async statistics(
    ctx: RequestContext,
    rawQuery: unknown,
    now: number,
  ): Promise<MonthlyStatisticsDto> {
    const query = parseInput(MonthlyStatisticsQuery, withoutEmpty(rawQuery), 'query');
    const today = localDateOf(now);
    if (query.month > today.slice(0, 7)) throw badRequest('统计月份 month 不能晚于本月', 'month');
    const region = await this.regionOf(ctx, query.region);
    const period = parsePeriodKey(query.month)!;
    const g = { region: region.code, childLength: childCodeLength(region.code) };
    const span = {
      from: new Date(startOfLocalDate(period.start)),
      to: new Date(startOfLocalDate(period.end)),
    };
    const lastDay = addDays(period.end, -1);
    const on = lastDay < today ? lastDay : today;
    // The visit figures are the rollup's, exactly as 探访率 shows them.
    const rate = await this.rollups.rate(ctx, { region: region.code, period: query.month }, now);
    const byCategory = await this.rollups.rate(
      ctx,
      { region: region.code, period: query.month, by: 'category' },
      now,
    );
    const [registered, findings, emergencies, referrals, care, children] = await Promise.all([
      registeredOn(this.db, g, on),
      findingsByType(this.db, g, span),
      emergencyResponses(this.db, g, span),
      referralsMade(this.db, g, span),
      careServicesGiven(this.db, g, { from: period.start, to: period.end }),
      region.code.length === 12 ? Promise.resolve([]) : findChildren(this.db, region.code),
    ]);
    const withData = new Set<string>([
      ...rate.rows.map((r) => r.region.code),
      ...registered.map((r) => r.child),
      ...findings.map((r) => r.child),
      ...emergencies.map((r) => r.child),
      ...referrals.map((r) => r.child),
      ...care.map((r) => r.child),
    ]);
    // Every child that can hold elders (a village, or a region with children), and any with data.
    const codes =
      region.code.length === 12
        ? [region.code]
        : [
            ...new Set([
              ...children
                .filter((c) => c.level === 'village' || c.has_children || withData.has(c.code))
                .map((c) => c.code),
              ...withData,
            ]),
          ].sort();
    const names = await this.regions.fullNames(codes);
    const rows = new Map(
      codes.map((code) => [
        code,
        emptyRow({ code, ...(names.get(code) ?? { name: code, fullName: code }) }),
      ]),
    );
    const at = (code: string) => rows.get(code)!;
    for (const r of rate.rows) at(r.region.code).visits = r.cell;
    for (const r of byCategory.rows) {
      const c = r.dimension.replace(/^category:/, '') as StatisticsCategory;
      const row = at(r.region.code);
      if (c in row.byCategory)
        row.byCategory[c] = { due: r.cell.due, visited: r.cell.onTime + r.cell.late };
    }
    for (const r of registered) at(r.child).registered = r.n;
    for (const r of findings) {
      const row = at(r.child);
      row.findings.total += r.n;
      if (r.type in row.findings.byType) row.findings.byType[r.type as FindingType] += r.n;
    }
    const seconds = new Map<string, number>();
    for (const r of emergencies) {
      at(r.child).emergencies = {
        count: r.n,
        responded: r.responded,
        meanResponseMinutes: r.responded > 0 ? r.seconds / r.responded / 60 : null,
      };
      seconds.set(r.child, r.seconds);
    }
    for (const r of referrals) at(r.child).referrals = r.n;
    for (const r of care)
      at(r.child).careServices = {
        count: r.n,
        satisfied: r.satisfied,
        satisfactionRate: ratioOrNull(r.satisfied, r.n),
      };
    const list = [...rows.values()];
    return {
      region,
      month: {
        key: period.key,
        label: periodLabel(period.key),
        start: period.start,
        end: period.end,
      },
      registeredOn: on,
      asOf: new Date(now).toISOString(),
      title: statisticsTitle(period.key),
      rows: list,
      total: totalOf(
        region,
        list,
        rate,
        [...seconds.values()].reduce((a, b) => a + b, 0),
      ),
    };
  }

  /**
   * Reads the region's ledger in pages and counts, per village, the records, the complete ones and
   * each missing field; `onIncomplete` hears of every incomplete record as it is read.
   */
  private async completeness(
    region: RegionRef,
    now: number,
    onIncomplete: (row: LedgerRow, missing: CompletenessField[]) => Promise<void>,
  ): Promise<LedgerCompletenessDto> {
    const byVillage = new Map<string, CompletenessRow>();
    let after: LedgerRow | undefined;
    for (;;) {
      const page = await completenessPage(this.db, region.code, after, PAGE);
      for (const row of page) {
        const checks = ledgerFieldChecks({
          data: row.data,
          hasPhone: row.has_phone,
          categories: row.categories,
        });
        let agg = byVillage.get(row.village_code);
        if (!agg) {
          agg = emptyCompleteness({ code: row.village_code, name: '', fullName: '' });
          byVillage.set(row.village_code, agg);
        }
        const missing = checks.filter((c) => !c.filled).map((c) => c.field);
        agg.elders += 1;
        agg.requiredFields += checks.length;
        agg.filledFields += checks.length - missing.length;
        for (const f of missing) agg.missing[f] += 1;
        if (missing.length === 0) agg.complete += 1;
        else await onIncomplete(row, missing);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1];
    }
    const names = await this.regions.fullNames([
      ...new Set([...byVillage.keys()].flatMap((v) => [v, v.slice(0, 9)])),
    ]);
    const rows = [...byVillage.values()].map((r) => {
      r.region = { code: r.region.code, ...names.get(r.region.code)! };
      r.township = names.get(r.region.code.slice(0, 9))!.name;
      r.completeRate = ratioOrNull(r.complete, r.elders);
      r.fieldRate = ratioOrNull(r.filledFields, r.requiredFields);
      return r;
    });
    const total = emptyCompleteness(region);
    for (const r of rows) {
      total.elders += r.elders;
      total.complete += r.complete;
      total.filledFields += r.filledFields;
      total.requiredFields += r.requiredFields;
      for (const f of COMPLETENESS_FIELDS) total.missing[f] += r.missing[f];
    }
    total.completeRate = ratioOrNull(total.complete, total.elders);
    total.fieldRate = ratioOrNull(total.filledFields, total.requiredFields);
    return {
      region,
      asOf: new Date(now).toISOString(),
      fields: COMPLETENESS_REPORT_FIELDS,
      rows,
      total,
    };
  }
}

/** The 合计 row: the visits are the rollup's total; the rest sums the rows. */
function totalOf(
  region: RegionRef,
  rows: StatisticsRow[],
  rate: VisitRateDto,
  responseSeconds: number,
): StatisticsRow {
  const total = emptyRow(region);
  total.visits = rate.total;
  for (const r of rows) {
    total.registered += r.registered;
    for (const c of STATISTICS_CATEGORIES) {
      total.byCategory[c].due += r.byCategory[c].due;
      total.byCategory[c].visited += r.byCategory[c].visited;
    }
    total.findings.total += r.findings.total;
    for (const t of STATISTICS_FINDING_TYPES) total.findings.byType[t] += r.findings.byType[t];
    total.emergencies.count += r.emergencies.count;
    total.emergencies.responded += r.emergencies.responded;
    total.referrals += r.referrals;
    total.careServices.count += r.careServices.count;
    total.careServices.satisfied += r.careServices.satisfied;
  }
  total.emergencies.meanResponseMinutes =
    total.emergencies.responded > 0 ? responseSeconds / total.emergencies.responded / 60 : null;
  total.careServices.satisfactionRate = ratioOrNull(
    total.careServices.satisfied,
    total.careServices.count,
  );
  return total;
}
