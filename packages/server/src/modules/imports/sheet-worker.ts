/**
 * Parses a census sheet on a thread of its own, so that reading a large file (exceljs, the
 * schema) neither blocks the HTTP thread nor waits for the database: rows go back to the import
 * in batches, at most two ahead of what it has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ElderFields } from '@tanfang/domain';
import { AppError, validationError } from '../../http/errors.js';
import { columnOfPath, readRow } from './ledger-sheet.js';
import type { ParsedRow, SheetJob, SheetMessage, SheetRequest } from './sheet-protocol.js';
import { LedgerSheetReader } from './sheet-reader.js';

const port = parentPort;
if (!port) throw new Error('sheet-worker must run in a worker thread');
const job = workerData as SheetJob;

let credits = 2;
let wake: (() => void) | undefined;
port.on('message', (m: SheetRequest) => {
  if (m.type === 'more') {
    credits += 1;
    wake?.();
  }
});
const send = (m: SheetMessage) => port.postMessage(m);

/** 'supporters.1.awaySince' → ['supporters', 1, 'awaySince']. */
const splitPath = (field: string) => field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

async function main(): Promise<void> {
  const plan = {
    buf: Buffer.from(job.file.buffer, job.file.byteOffset, job.file.byteLength),
    sheet: job.sheet,
    sharedStrings: job.sharedStrings,
    date1904: job.date1904,
    sheetNames: [],
  };
  const reader = new LedgerSheetReader(plan, job.limits);
  if (job.headerOnly) {
    await reader.readHeader();
    send({ type: 'header' });
    return;
  }
  let batch: ParsedRow[] = [];
  const flush = async () => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    send({ type: 'rows', rows: batch });
    batch = [];
  };
  for await (const { rowNumber, values } of reader.rows()) {
    const row = readRow(values, reader.header!, { date1904: job.date1904 });
    const errors = [...row.errors];
    const parsed = ElderFields.safeParse(row.input);
    if (!parsed.success) {
      for (const d of validationError(parsed.error, 'body').details ?? []) {
        const column = columnOfPath(splitPath(d.field), row.childSlots);
        if (!errors.some((e) => e.column === column)) errors.push({ column, message: d.message });
      }
    }
    batch.push(
      errors.length > 0 || !parsed.success
        ? { rowNumber, errors }
        : { rowNumber, data: parsed.data },
    );
    if (batch.length >= job.batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  send({ type: 'done' });
}

main().catch((error: unknown) => {
  const failure =
    error instanceof AppError
      ? { status: error.status, code: error.code, message: error.message }
      : {
          status: 400,
          code: 'file_corrupt',
          message: `文件内容无法读取（${String((error as Error)?.message ?? error).slice(0, 200)}）`,
        };
  send({ type: 'failed', failure });
});
