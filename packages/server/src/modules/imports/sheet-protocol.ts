/** Messages between an import and its sheet-parsing worker (sheet-worker.ts). */
import type { ElderData } from '@tanfang/domain';
import type { CellError } from './ledger-sheet.js';
import type { ReadLimits } from './sheet-reader.js';
import type { ZipEntry } from './xlsx-guard.js';

/** What the worker is given. */
export interface SheetJob {
  /** The .xlsx file (a copy, transferred). */
  file: Uint8Array;
  sheet: ZipEntry;
  sharedStrings: ZipEntry | undefined;
  date1904: boolean;
  limits: ReadLimits;
  /** Rows per message. */
  batchSize: number;
  /** Read only up to the header (and check it). */
  headerOnly: boolean;
}

/** A data row as read: the record's fields, or the cells at fault. */
export type ParsedRow =
  { rowNumber: number; data: ElderData } | { rowNumber: number; errors: CellError[] };

/** A refusal of the whole file, flattened for postMessage. */
export interface SheetFailure {
  status: number;
  code: string;
  message: string;
}

/** From the worker. */
export type SheetMessage =
  | { type: 'header' }
  | { type: 'rows'; rows: ParsedRow[] }
  | { type: 'done' }
  | { type: 'failed'; failure: SheetFailure };

/** To the worker: send one more batch. */
export type SheetRequest = { type: 'more' };
