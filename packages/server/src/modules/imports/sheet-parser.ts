/**
 * The import's side of the sheet-parsing worker (sheet-worker.ts): batches of rows as an async
 * iterator, with flow control, and the worker stopped however the iteration ends.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../http/errors.js';
import type { ParsedRow, SheetJob, SheetMessage, SheetRequest } from './sheet-protocol.js';
import type { ReadLimits } from './sheet-reader.js';
import type { SheetPlan } from './xlsx-guard.js';

/**
 * The worker script. A worker thread runs plain Node, which cannot execute TypeScript: when this
 * module runs from source (under vitest), the compiled worker in dist/ is used.
 */
function workerUrl(): URL {
  const beside = new URL('./sheet-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return beside;
  const built = new URL('../../../dist/modules/imports/sheet-worker.js', import.meta.url);
  if (!existsSync(built))
    throw new Error('packages/server/dist is missing: run `npm run build` first');
  return built;
}

function start(
  plan: SheetPlan,
  limits: ReadLimits,
  batchSize: number,
  headerOnly: boolean,
  handOver: boolean,
) {
  const buf = plan.buf;
  // Handing the file's own memory over leaves one copy of it in the process; else a copy is sent.
  const whole = buf.buffer;
  const own =
    handOver &&
    whole instanceof ArrayBuffer &&
    buf.byteOffset === 0 &&
    buf.byteLength === whole.byteLength;
  const file = own ? new Uint8Array(whole) : new Uint8Array(buf);
  if (own) plan.buf = Buffer.alloc(0);
  const job: SheetJob = {
    file,
    sheet: plan.sheet,
    sharedStrings: plan.sharedStrings,
    date1904: plan.date1904,
    limits: { maxRows: limits.maxRows, maxEmptyRun: limits.maxEmptyRun },
    batchSize,
    headerOnly,
  };
  return new Worker(workerUrl(), {
    workerData: job,
    transferList: [file.buffer as ArrayBuffer],
    // A file that makes the parser balloon ends this thread, not the server.
    resourceLimits: { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 16 },
  });
}

const failed = (f: { status: number; code: string; message: string }) =>
  new AppError(f.status, f.code, f.message, 'file');

const crashed = (error: unknown) =>
  (error as { code?: string })?.code === 'ERR_WORKER_OUT_OF_MEMORY'
    ? new AppError(
        400,
        'file_too_complex',
        '文件内容过于庞大，读取时超出内存上限，请拆分后分批导入',
        'file',
      )
    : new AppError(
        500,
        'internal',
        `读取文件的线程意外退出：${String((error as Error)?.message ?? error).slice(0, 200)}`,
      );

/** Reads the header in a worker (the shared strings come first, and may be large) and checks it. */
export async function checkHeader(plan: SheetPlan, limits: ReadLimits): Promise<void> {
  const worker = start(plan, limits, 1, true, false);
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (m: SheetMessage) => {
        if (m.type === 'header') resolve();
        else if (m.type === 'failed') reject(failed(m.failure));
      });
      worker.on('error', (e) => reject(crashed(e)));
      worker.on('exit', (code) => reject(crashed(`exit ${code}`)));
    });
  } finally {
    await worker.terminate();
  }
}

/**
 * The sheet's data rows, read and validated in a worker, in batches of `batchSize`. The file is
 * handed over to the worker: `plan.buf` is empty afterwards.
 */
export async function* parsedBatches(
  plan: SheetPlan,
  limits: ReadLimits,
  batchSize: number,
): AsyncGenerator<ParsedRow[]> {
  const worker = start(plan, limits, batchSize, false, true);
  const queue: SheetMessage[] = [];
  let problem: AppError | undefined;
  let wake: (() => void) | undefined;
  const nudge = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: SheetMessage) => {
    queue.push(m);
    nudge();
  });
  worker.on('error', (e) => {
    problem ??= crashed(e);
    nudge();
  });
  worker.on('exit', (code) => {
    problem ??= crashed(`exit ${code}`);
    nudge();
  });
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (problem) throw problem;
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.type === 'failed') throw failed(m.failure);
      if (m.type === 'done') return;
      if (m.type === 'rows') {
        worker.postMessage({ type: 'more' } satisfies SheetRequest);
        yield m.rows;
      }
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}
