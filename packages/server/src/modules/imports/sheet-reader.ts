/**
 * Reads the census sheet row by row with exceljs's streaming reader, over the guarded zip stream
 * (xlsx-guard.ts): memory stays flat however long the sheet. The first non-empty row is the
 * header and must have every column; reading stops after `maxEmptyRun` consecutive empty rows
 * (a sheet with one row at 1,000,000 is not walked through), and a sheet with more than `maxRows`
 * data rows is refused.
 */
import ExcelJS from 'exceljs';
import { AppError } from '../../http/errors.js';
import {
  LEDGER_SHEET,
  isBlankRow,
  isEmptyRow,
  matchHeaders,
  type HeaderMap,
} from './ledger-sheet.js';
import { fileRefused, sheetStream, type SheetPlan, type StreamGuard } from './xlsx-guard.js';

/** Limits on the rows of a sheet. */
export interface ReadLimits {
  /** Most data rows (not counting the header). */
  maxRows: number;
  /** Consecutive empty rows after which reading stops. */
  maxEmptyRun: number;
}

/** The limits in force unless a caller (a test) passes others. */
export const DEFAULT_READ_LIMITS: ReadLimits = { maxRows: 200_000, maxEmptyRun: 1_000 };

/** A data row: its number in the sheet (the header is row 1 in the template) and its cells. */
export interface SheetRow {
  rowNumber: number;
  /** Cell values by column number (1-based), as exceljs gives them. */
  values: unknown[];
}

/** What exceljs's streaming worksheet yields (its typings miss `number` and `values`). */
interface StreamedRow {
  number: number;
  values: unknown[];
}

/** Reads one planned sheet. Each call of `rows()` reads the file from the start. */
export class LedgerSheetReader {
  /** Where each column is, once the header has been read. */
  header: HeaderMap | undefined;

  constructor(
    private readonly plan: SheetPlan,
    private readonly limits: ReadLimits,
  ) {}

  /** Reads up to the header row and checks it; refuses a sheet without every column. */
  async readHeader(): Promise<HeaderMap> {
    for await (const _ of this.rows()) break;
    return this.header!;
  }

  /** The data rows, in order; the header is checked on the way. */
  async *rows(): AsyncGenerator<SheetRow> {
    const guard: StreamGuard = {};
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(sheetStream(this.plan, guard), {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'ignore',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    let header: HeaderMap | undefined;
    let last = 0;
    let emptyRun = 0;
    let dataRows = 0;
    try {
      for await (const worksheet of reader) {
        for await (const streamed of worksheet) {
          if (guard.error) throw guard.error;
          const row = streamed as unknown as StreamedRow;
          const values = row.values;
          emptyRun += Math.max(0, row.number - last - 1);
          last = row.number;
          if (!header) {
            if (emptyRun >= this.limits.maxEmptyRun) break;
            if (isBlankRow(values)) {
              emptyRun += 1;
              continue;
            }
            header = this.checkHeader(values, row.number);
            emptyRun = 0;
            // The caller may stop here (readHeader): the header is known before the first data row.
            continue;
          }
          if (emptyRun >= this.limits.maxEmptyRun) return;
          if (isEmptyRow(values, header)) {
            emptyRun += 1;
            if (emptyRun >= this.limits.maxEmptyRun) return;
            continue;
          }
          emptyRun = 0;
          dataRows += 1;
          if (dataRows > this.limits.maxRows) {
            throw fileRefused(
              'too_many_rows',
              `文件超过 ${this.limits.maxRows} 行的上限（不含表头），请拆分后分批导入；未写入任何数据`,
            );
          }
          yield { rowNumber: row.number, values };
        }
        break; // the guarded stream holds only the one sheet
      }
    } catch (error) {
      if (guard.error) throw guard.error;
      if (error instanceof AppError) throw error;
      throw fileRefused(
        'file_corrupt',
        `文件内容损坏，无法读取（${(error as Error).message.slice(0, 200)}）。请用 Excel 或 WPS 重新保存为 .xlsx 后再导入`,
      );
    }
    if (guard.error) throw guard.error;
    if (!header) {
      throw fileRefused(
        'bad_header',
        `工作表“${LEDGER_SHEET}”是空的：第一行应为表头，请使用下载的模板`,
      );
    }
  }

  private checkHeader(values: unknown[], rowNumber: number): HeaderMap {
    const { map, problems } = matchHeaders(values);
    if (problems.length > 0) {
      throw fileRefused(
        'bad_header',
        `工作表“${LEDGER_SHEET}”第 ${rowNumber} 行（表头）${problems.join('；')}。请使用下载的模板，不要修改表头`,
      );
    }
    this.header = map;
    return map;
  }
}
