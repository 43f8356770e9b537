/**
 * The reports as .xlsx: the monthly 探访关爱工作统计表 (a title, the region, month, date made and
 * units, a three-row header, one row per child region and the 合计, then the definitions) and the
 * ledger completeness report (per village; the incomplete records; the required fields and their
 * forms), streamed row by row. Layout only: the figures come from the service.
 */
import type { Writable } from 'node:stream';
import {
  STATISTICS_COLUMNS,
  localDateTimeOf,
  type StatisticsColumn,
  type StatisticsColumnKind,
  type LedgerCompletenessDto,
  type MonthlyStatisticsDto,
  type CompletenessRow,
} from '@tanfang/domain';
import ExcelJS from 'exceljs';

/** The sheet names. */
export const STATISTICS_SHEET = '探访关爱统计';
export const COMPLETENESS_SHEET = '台账完整性';
export const INCOMPLETE_SHEET = '不完整记录';
export const REQUIRED_FIELDS_SHEET = '必填项说明';

const PERCENT = '0.0%';
const INTEGER = '0';
const MINUTES = '0.0';
const NONE = '—';
/** Two ideographic spaces between the parts of a line, as printed forms space them. */
const GAP = '\u3000\u3000';

type Value = number | string | null;

/** The number format of a column kind. */
const FORMATS: Record<StatisticsColumnKind, string> = {
  text: '@',
  count: INTEGER,
  percent: PERCENT,
  minutes: MINUTES,
};

/** The header's rows (a leaf above the last row spans down to it). */
const HEADER_DEPTH = 3;
/** Rows above the header: title, then the region, month, date made and units. */
const TITLE_ROWS = 2;
/** The first data row. */
export const STATISTICS_FIRST_ROW = TITLE_ROWS + HEADER_DEPTH + 1;

const thin = { style: 'thin' as const };
const BORDER = { top: thin, left: thin, bottom: thin, right: thin };
const HEADER_FILL = {
  type: 'pattern' as const,
  pattern: 'solid' as const,
  fgColor: { argb: 'FFDCE6F1' },
};
const CENTER = { vertical: 'middle' as const, horizontal: 'center' as const, wrapText: true };

/** The definitions printed under the table (docs/rules.md, 统计报表). */
export function statisticsNotes(dto: MonthlyStatisticsDto): string[] {
  return [
    `说明：1. 在册老年人数为 ${dto.registeredOn} 在册（未迁出、未入住机构、未住院、未去世）的老年人数。`,
    '2. 应访、按时探访、补录、未探访按探访周期计（人次），与探访率同一口径：每位老年人每个探访周期计 1 次，按月探访时即为人数；月探访率 =（按时探访 + 补录）÷ 应访。补录指探访在周期内进行、录入晚于期限。未探访含已逾期和周期尚未结束的。',
    '3. 分类别探访中，一位老年人有多个类别时在每个类别各计一次，各类别之和不等于合计。',
    '4. 发现问题、紧急情况、转介按本月发生（提出）计；平均响应时间为本月紧急情况自上报至首次响应的平均分钟数（仅计已响应的）；关爱服务按服务日期计，满意率 =（满意 + 基本满意）÷ 服务次数。',
    `5. 数据截至 ${localDateTimeOf(Date.parse(dto.asOf))}；本月尚未结束时，周期未结束的探访计入应访与未探访。`,
  ];
}

/** The monthly 探访关爱工作统计表 as an .xlsx file. */
export async function statisticsWorkbook(
  dto: MonthlyStatisticsDto,
  madeOn: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '探访关爱 tanfang';
  const sheet = workbook.addWorksheet(STATISTICS_SHEET, {
    views: [{ state: 'frozen', xSplit: 1, ySplit: TITLE_ROWS + HEADER_DEPTH }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${TITLE_ROWS + 1}:${TITLE_ROWS + HEADER_DEPTH}`,
    },
  });
  const columns = STATISTICS_COLUMNS;
  const last = columns.length;
  sheet.columns = columns.map((c) => ({ width: c.width }));

  sheet.mergeCells(1, 1, 1, last);
  const title = sheet.getCell(1, 1);
  title.value = dto.title;
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 30;

  sheet.mergeCells(2, 1, 2, last);
  const info = sheet.getCell(2, 1);
  info.value = `统计区域：${dto.region.fullName}（${dto.region.code}）${GAP}统计月份：${dto.month.label}${GAP}制表日期：${madeOn}${GAP}单位：人、人次、件、%，响应时间：分钟`;
  info.alignment = { horizontal: 'left', vertical: 'middle' };

  writeHeader(sheet, columns);

  const rows = [...dto.rows, dto.total];
  rows.forEach((r, i) => {
    const row = sheet.getRow(STATISTICS_FIRST_ROW + i);
    columns.forEach((c, j) => {
      const cell = row.getCell(j + 1);
      const v = c.value(r);
      cell.value = v === null ? NONE : v;
      if (typeof v === 'number') cell.numFmt = FORMATS[c.kind];
      cell.border = BORDER;
      cell.alignment =
        j === 0 ? { horizontal: 'left', vertical: 'middle' } : { horizontal: 'right' };
    });
    if (r === dto.total) {
      row.getCell(1).value = '合计';
      row.font = { bold: true };
    }
  });

  let at = STATISTICS_FIRST_ROW + rows.length + 1;
  for (const note of statisticsNotes(dto)) {
    sheet.mergeCells(at, 1, at, last);
    const cell = sheet.getCell(at, 1);
    cell.value = note;
    cell.alignment = { wrapText: true, vertical: 'top' };
    sheet.getRow(at).height = note.length > 120 ? 32 : 18;
    at += 1;
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes the three header rows, merging a group over its columns and a leaf down to the last row. */
function writeHeader(sheet: ExcelJS.Worksheet, columns: readonly StatisticsColumn[]): void {
  const top = TITLE_ROWS + 1;
  for (let level = 0; level < HEADER_DEPTH; level++) {
    for (let i = 0; i < columns.length;) {
      const head = columns[i]!.head;
      if (head.length <= level) {
        i += 1;
        continue;
      }
      const prefix = head.slice(0, level + 1).join('\u0000');
      let j = i;
      while (
        j + 1 < columns.length &&
        columns[j + 1]!.head.length > level &&
        columns[j + 1]!.head.slice(0, level + 1).join('\u0000') === prefix
      )
        j += 1;
      const leaf = head.length === level + 1;
      const row = top + level;
      const bottom = leaf ? top + HEADER_DEPTH - 1 : row;
      if (j > i || bottom > row) sheet.mergeCells(row, i + 1, bottom, j + 1);
      sheet.getCell(row, i + 1).value = head[level]!;
      i = j + 1;
    }
  }
  for (let r = top; r < top + HEADER_DEPTH; r++) {
    const row = sheet.getRow(r);
    row.height = r === top + HEADER_DEPTH - 1 ? 30 : 22;
    for (let c = 1; c <= columns.length; c++) {
      const cell = row.getCell(c);
      cell.font = { bold: true };
      cell.alignment = CENTER;
      cell.border = BORDER;
      cell.fill = HEADER_FILL;
    }
  }
}

/** One incomplete record as the second sheet lists it: no ID or phone number. */
export interface IncompleteRecordLine {
  name: string;
  township: string;
  village: string;
  missing: string[];
}

/** Waits until `out` wants more (or is gone), so a slow download holds back the reading. */
function drained(out: Writable): Promise<void> {
  if (!out.writableNeedDrain || out.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/**
 * The ledger completeness report, streamed to `out`: the summary per village (with the 合计), the
 * incomplete records (from `incomplete`, read as they are written) and the required fields.
 */
export async function writeCompletenessWorkbook(
  out: Writable,
  dto: LedgerCompletenessDto,
  incomplete: AsyncIterable<IncompleteRecordLine>,
  madeOn: string,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = '探访关爱 tanfang';

  // 1. Per village.
  const fields = dto.fields;
  const fixed = [
    '所属乡镇(街道)',
    '村(居)',
    '老年人数',
    '完整记录数',
    '台账完整率',
    '必填项填写率',
  ];
  const width = fixed.length + fields.length;
  const summary = workbook.addWorksheet(COMPLETENESS_SHEET, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 4 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1 },
  });
  summary.columns = [
    { width: 16 },
    { width: 18 },
    { width: 9 },
    { width: 10 },
    { width: 10 },
    { width: 11 },
    ...fields.map(() => ({ width: 9 })),
  ];
  summary.mergeCells(1, 1, 1, width);
  const title = summary.getCell(1, 1);
  title.value = '老年人台账完整性统计表';
  title.font = { bold: true, size: 16 };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  summary.getRow(1).height = 30;
  summary.getRow(1).commit();
  summary.mergeCells(2, 1, 2, width);
  summary.getCell(2, 1).value =
    `统计区域：${dto.region.fullName}（${dto.region.code}）${GAP}制表日期：${madeOn}${GAP}单位：人、份、%${GAP}` +
    '老年人数为在册老年人（不含迁出、入住机构、住院、已故），与绩效考评的台账完整率同一口径；缺项记录数为缺少该必填项的记录份数（必填项及其依据见“必填项说明”）';
  summary.getRow(2).commit();
  const h1 = summary.getRow(3);
  const h2 = summary.getRow(4);
  fixed.forEach((label, i) => {
    summary.mergeCells(3, i + 1, 4, i + 1);
    h1.getCell(i + 1).value = label;
  });
  summary.mergeCells(3, fixed.length + 1, 3, width);
  h1.getCell(fixed.length + 1).value = '缺项记录数（份）';
  fields.forEach((f, i) => (h2.getCell(fixed.length + 1 + i).value = f.label));
  for (const row of [h1, h2]) {
    row.height = row === h2 ? 44 : 22;
    for (let c = 1; c <= width; c++) {
      const cell = row.getCell(c);
      cell.font = { bold: true };
      cell.alignment = CENTER;
      cell.border = BORDER;
      cell.fill = HEADER_FILL;
    }
    row.commit();
  }
  const summaryRow = (r: CompletenessRow, total: boolean) => {
    const values: Value[] = [
      total ? '合计' : r.township,
      total ? '' : r.region.name,
      r.elders,
      r.complete,
      r.completeRate,
      r.fieldRate,
      ...fields.map((f) => r.missing[f.field]),
    ];
    const row = summary.addRow(values.map((v) => (v === null ? NONE : v)));
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.border = BORDER;
      if (typeof v === 'number') cell.numFmt = i === 4 || i === 5 ? PERCENT : INTEGER;
    });
    if (total) row.font = { bold: true };
    row.commit();
  };
  for (const r of dto.rows) summaryRow(r, false);
  summaryRow(dto.total, true);
  summary.commit();

  // 2. The incomplete records, as they come.
  const list = workbook.addWorksheet(INCOMPLETE_SHEET, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  list.columns = [
    { header: '序号', width: 7 },
    { header: '姓名', width: 12 },
    { header: '所属乡镇(街道)', width: 16 },
    { header: '村(居)', width: 18 },
    { header: '缺项数', width: 8 },
    { header: '缺少的必填项', width: 80 },
  ];
  const head = list.getRow(1);
  head.font = { bold: true };
  head.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
  });
  head.commit();
  let n = 0;
  for await (const line of incomplete) {
    n += 1;
    list
      .addRow([
        n,
        line.name,
        line.township,
        line.village,
        line.missing.length,
        line.missing.join('、'),
      ])
      .commit();
    if (n % 200 === 0) {
      await drained(out);
      if (out.destroyed) throw new Error('download aborted');
    }
  }
  list.commit();

  // 3. What is required, and why.
  const guide = workbook.addWorksheet(REQUIRED_FIELDS_SHEET);
  guide.columns = [
    { header: '必填项', width: 24 },
    { header: '代码', width: 24 },
    { header: '依据（表单）', width: 70 },
  ];
  guide.getRow(1).font = { bold: true };
  guide.getRow(1).commit();
  for (const f of fields) guide.addRow([f.label, f.field, f.source]).commit();
  guide.commit();
  await workbook.commit();
}
