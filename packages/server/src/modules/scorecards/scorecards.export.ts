/**
 * A year's scorecards as .xlsx (绩效考评表): one row per county or township with each indicator's
 * numerator, denominator, rate, weight and points, and a sheet that says how each is computed.
 * Streamed like the ledger export (exceljs WorkbookWriter).
 */
import type { Writable } from 'node:stream';
import {
  SCORECARD_INDICATORS,
  SCORECARD_INDICATOR_DEFINITIONS,
  SCORECARD_INDICATOR_LABELS,
  localDateTimeOf,
  percentText,
  type ScorecardDto,
  type ScorecardsDto,
} from '@tanfang/domain';
import ExcelJS from 'exceljs';

/** The sheet with the scores. */
export const SCORECARD_SHEET = '绩效考评';
/** The sheet that says how they are computed. */
export const SCORECARD_GUIDE_SHEET = '计分说明';

const LEVEL = { county: '县(区)', township: '乡镇(街道)' } as const;

/** The header row: region, level, five columns per indicator, then the totals. */
export function scorecardHeader(): string[] {
  return [
    '区域',
    '级别',
    ...SCORECARD_INDICATORS.flatMap((k) => {
      const l = SCORECARD_INDICATOR_LABELS[k];
      const d = SCORECARD_INDICATOR_DEFINITIONS[k];
      return [
        `${l}·${d.numerator}`,
        `${l}·${d.denominator}`,
        `${l}·比率`,
        `${l}·权重`,
        `${l}·得分`,
      ];
    }),
    '计分权重合计',
    '得分合计',
    '总分（百分制）',
  ];
}

/** One scorecard as a row of the sheet (rates as fractions formatted as percentages). */
export function scorecardRow(card: ScorecardDto): (string | number | null)[] {
  return [
    card.region.fullName,
    LEVEL[card.level],
    ...SCORECARD_INDICATORS.flatMap((k) => {
      const i = card.indicators.find((x) => x.key === k);
      if (!i) return [null, null, '不考评', 0, null];
      return [i.numerator, i.denominator, i.value ?? '暂无数据', i.weight, i.points];
    }),
    card.weightCounted,
    card.points,
    card.total,
  ];
}

/** Writes the workbook of a year's scorecards to `stream`. */
export async function writeScorecardWorkbook(stream: Writable, dto: ScorecardsDto): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '探访关爱 tanfang';
  const sheet = workbook.addWorksheet(SCORECARD_SHEET, { views: [{ state: 'frozen', ySplit: 3 }] });
  const header = scorecardHeader();
  sheet.columns = header.map((_, i) => ({
    width: i === 0 ? 36 : i === 1 ? 12 : 12,
    style: (i - 2) % 5 === 2 && i >= 2 && i < header.length - 3 ? { numFmt: '0.0%' } : {},
  }));
  const title = sheet.addRow([`${dto.year} 年度探访关爱绩效考评 — ${dto.region.fullName}`]);
  title.font = { bold: true, size: 14 };
  title.commit();
  const config = dto.config.from
    ? `指标与权重由 ${dto.config.from.fullName} 设置`
    : '指标与权重为系统默认';
  sheet
    .addRow([
      `统计截至 ${localDateTimeOf(Date.parse(dto.asOf))}（北京时间）；${config}；暂无数据的指标不计分，总分 = 得分合计 ÷ 计分权重合计 × 100`,
    ])
    .commit();
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.commit();
  for (const card of [...(dto.own ? [dto.own] : []), ...dto.children])
    sheet.addRow(scorecardRow(card)).commit();
  sheet.commit();

  const guide = workbook.addWorksheet(SCORECARD_GUIDE_SHEET);
  guide.columns = [
    { width: 16 },
    { width: 90 },
    { width: 14 },
    { width: 18 },
    { width: 10 },
    { width: 10 },
  ];
  guide.addRow(['指标', '定义', '分子', '分母', '权重', '满分线']).commit();
  for (const k of SCORECARD_INDICATORS) {
    const d = SCORECARD_INDICATOR_DEFINITIONS[k];
    const c = dto.config.indicators.find((i) => i.key === k);
    guide
      .addRow([
        SCORECARD_INDICATOR_LABELS[k],
        d.definition,
        d.numerator,
        d.denominator,
        c?.weight ?? 0,
        c ? percentText(c.target) : '不考评',
      ])
      .commit();
  }
  guide.addRow([]).commit();
  guide.addRow(['计分方法', '得分 = 权重 × min(1, 比率 ÷ 满分线)；比率 = 分子 ÷ 分母']).commit();
  guide
    .addRow([
      '总分',
      '总分 = 有数据指标的得分合计 ÷ 其权重合计 × 100；暂无数据的指标不计分（不按 0 分计），以免未开展的工作拉低或抬高总分',
    ])
    .commit();
  guide.commit();
  await workbook.commit();
}
