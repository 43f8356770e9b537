/**
 * Census import (摸底排查): a filled-in 摸底登记 sheet becomes elder records.
 *
 * An upload is checked before anything runs — size, zip structure and declared sizes (a zip bomb
 * is refused on what it declares), the 摸底登记 sheet, the header — and refused with one message
 * when it fails. Then, in the background, a worker thread (sheet-worker.ts) streams the sheet and
 * validates each row with the domain schema, handing rows over in batches; here each batch is
 * checked against the ledger rules and the ledger itself (a keyed hash of the ID number finds an
 * existing record) and written, `batchSize` rows per statement: an elder's insert goes with its
 * status-history row and its `elder.import` audit entry, an update with its audit entry, in one
 * transaction — never half a row.
 *
 * - **PostgreSQL**: one pass, one transaction; a batch is written while the next is parsed. In
 *   all-or-nothing mode the first invalid row stops the writing, the rest is still checked so that
 *   every error is reported, and everything is rolled back. A file that fails half-way (a row
 *   cap, damage) is rolled back in either mode.
 * - **PGlite** (one session, shared with the HTTP server, so no transaction may last the import):
 *   first **checking** — every row read and validated (in all-or-nothing mode against the rules
 *   and the ledger too); rows that pass are spilled to a temporary file, so the workbook is parsed
 *   once and memory stays flat — then **writing** from that file, one short transaction a batch,
 *   the next batch decided while the last is written. Nothing is written when the check fails.
 *
 * An existing record is updated only when the sheet changes it (version + 1), else counted as
 * unchanged. Audit: one `elder.import` entry per import (entity `import`: mode, counts), and one per
 * created or updated record (entity `elder`), so the record's history shows the import.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import {
  ElderFields,
  isUuid,
  isWithinJurisdiction,
  uuidv7,
  type ElderData,
  type Role,
} from '@tanfang/domain';
import type { Insertable } from 'kysely';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import type { Vault } from '../../crypto.js';
import type { ImportReportLinesTable } from '../../db/schema.js';
import {
  AppError,
  conflict,
  forbidden,
  notFound,
  parseInput,
  validationError,
} from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { insertAuditEntries, type AuditInsert } from '../audit/audit.repository.js';
import {
  findElderPlacesByIdHashes,
  findEldersByIdHashes,
  insertElders,
  insertStatuses,
  updateEldersIfVersion,
  type ElderRow,
} from '../elders/elders.repository.js';
import { openData } from '../elders/elders.sealing.js';
import { ROLLUP_EPOCH } from '../rollups/rollups.service.js';
import type {
  ElderColumns,
  EldersService,
  PreparedElder,
  RegionLookup,
} from '../elders/elders.service.js';
import { findRegions } from '../regions/regions.repository.js';
import {
  deleteReportLines,
  findImport,
  insertImport,
  insertReportLines,
  listReportLines,
  countReportLines,
  updateImport,
  type ImportRow,
} from './imports.repository.js';
import {
  FIELD_LABELS,
  LEDGER_SHEET,
  changedFields,
  columnOf,
  columnOfPath,
  mergeImported,
  templateWorkbook,
  type CellError,
} from './ledger-sheet.js';
import { withoutEmpty } from './query-params.js';
import { checkHeader, parsedBatches } from './sheet-parser.js';
import type { ParsedRow } from './sheet-protocol.js';
import { DEFAULT_READ_LIMITS, type ReadLimits } from './sheet-reader.js';
import {
  DEFAULT_XLSX_LIMITS,
  fileRefused,
  planSheet,
  readZipDirectory,
  type SheetPlan,
  type XlsxLimits,
} from './xlsx-guard.js';

/** Roles that import (and see imports): those that write the ledger. */
const IMPORTERS: readonly Role[] = ['village', 'township', 'county', 'admin'];

/** all_or_nothing: one invalid row and nothing is written; valid_only: valid rows are written. */
export const IMPORT_MODES = ['all_or_nothing', 'valid_only'] as const;
/** How an import treats invalid rows. */
export type ImportMode = (typeof IMPORT_MODES)[number];
/** Chinese names of the modes. */
export const IMPORT_MODE_LABELS: Record<ImportMode, string> = {
  all_or_nothing: '全部有效才导入',
  valid_only: '只导入有效行',
};

/** Every limit of an import. */
export interface ImportLimits extends XlsxLimits, ReadLimits {
  /** Rows per statement and per transaction. */
  batchSize: number;
  /** Imports running at once in this process (each holds its file in memory). */
  maxConcurrent: number;
}

/** The limits in force unless a caller (a test) passes others. */
export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  ...DEFAULT_XLSX_LIMITS,
  ...DEFAULT_READ_LIMITS,
  batchSize: 500,
  maxConcurrent: 2,
};

/** A running import not saved for this long was interrupted (the process stopped). */
const STALE_MS = 2 * 60_000;
/** Errors shown in the status; all of them are in the report. */
const ERRORS_SHOWN = 200;

const StartQuery = z.strictObject({
  mode: z
    .enum(IMPORT_MODES, {
      error: 'mode 应为 all_or_nothing（全部有效才导入）或 valid_only（只导入有效行）',
    })
    .default('all_or_nothing'),
  fileName: z.string({ error: '文件名必须是文字' }).trim().max(200).optional(),
});

/** An import as the API presents it. */
export interface ImportDto {
  id: string;
  status: 'running' | 'done' | 'failed';
  phase: 'checking' | 'writing' | 'finished';
  mode: ImportMode;
  modeLabel: string;
  fileName?: string;
  uploadedBy: string | null;
  progress: { rowsRead: number; valid: number; invalid: number };
  summary: {
    created: number;
    updated: number;
    unchanged: number;
    skipped: number;
    /** Which fields the updates changed, and in how many records. */
    changedFields: { field: string; label: string; count: number }[];
  };
  /** The first 200 row errors; `message` names the row and the column. */
  errors: { row: number | null; column: string | null; message: string }[];
  errorCount: number;
  /** Why the file as a whole was refused. */
  failure?: { code: string; message: string };
  reportAvailable: boolean;
  startedAt: string;
  finishedAt: string | null;
}

/** Progress of a running import, for a progress bar. */
export interface ImportProgress {
  phase: 'checking' | 'writing' | 'finished';
  rowsRead: number;
  valid: number;
  invalid: number;
  created: number;
  updated: number;
  unchanged: number;
  elapsedMs: number;
}

/** The file of an upload and how to treat it. */
export interface ImportUpload {
  body: unknown;
  mode: ImportMode;
  fileName?: string | undefined;
}

interface Counts {
  rowsRead: number;
  valid: number;
  invalid: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/** A row that passed the schema: its sheet row, the ID number's keyed hash, the fields. */
interface CheckedRow {
  rowNumber: number;
  idHash: string;
  data: ElderData;
}

/** A batch decided: what to insert and what to update. */
interface WritePlan {
  creates: {
    row: CheckedRow;
    prepared: PreparedElder;
    columns: ElderColumns & ReturnType<EldersService['identityOf']>;
  }[];
  updates: {
    row: CheckedRow;
    prepared: PreparedElder;
    columns: ElderColumns;
    existing: ElderRow;
    fields: (keyof ElderData)[];
  }[];
}

type Outcome =
  | { kind: 'error'; errors: CellError[] }
  | { kind: 'create'; prepared: PreparedElder }
  | { kind: 'update'; prepared: PreparedElder; existing: ElderRow; fields: (keyof ElderData)[] }
  | { kind: 'unchanged' };

interface Job {
  id: string;
  ctx: RequestContext;
  mode: ImportMode;
  plan: SheetPlan;
  phase: ImportProgress['phase'];
  counts: Counts;
  changed: Record<string, number>;
  /** ID-number hash → the first row that has it (duplicates within the file). */
  seen: Map<string, number>;
  /** Region code → whether it exists (cached across batches). */
  regions: Map<string, boolean>;
  lines: Insertable<ImportReportLinesTable>[];
  seq: number;
  started: number;
  onProgress: ((p: ImportProgress) => void) | undefined;
}

const zero = (): Counts => ({
  rowsRead: 0,
  valid: 0,
  invalid: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
});

/** Census import of elder records from .xlsx. */
export class ImportsService {
  private readonly running = new Map<string, Promise<void>>();
  private starting = 0;
  private closing = false;
  private template: Promise<Buffer> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly kind: 'pglite' | 'postgres',
    private readonly elders: EldersService,
    private readonly vault: Vault,
    private readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
    private readonly logError: (message: string, error: unknown) => void = (m, e) =>
      console.error(m, e),
  ) {}

  /** 403 unless the actor's role imports; the upload route calls it before reading the body. */
  assertCanImport(ctx: RequestContext): void {
    if (!IMPORTERS.includes(ctx.actor.role)) {
      throw forbidden('只有村(居)、乡镇(街道)、县(区)工作人员和管理员可以导入摸底数据');
    }
  }

  /** The empty template (.xlsx): 摸底登记 with its header, and 填写说明. */
  async templateFile(ctx: RequestContext): Promise<Buffer> {
    this.assertCanImport(ctx);
    this.template ??= templateWorkbook();
    return this.template;
  }

  /** Checks an upload and starts importing it in the background; see `get` for progress. */
  async start(
    ctx: RequestContext,
    rawQuery: unknown,
    body: unknown,
  ): Promise<{ id: string; status: 'running' }> {
    this.assertCanImport(ctx);
    const query = parseInput(StartQuery, withoutEmpty(rawQuery), 'query');
    const job = await this.open(ctx, { body, mode: query.mode, fileName: query.fileName });
    this.launch(job);
    return { id: job.id, status: 'running' };
  }

  /** Imports a file to the end (the CLI), reporting progress; the final status. */
  async run(
    ctx: RequestContext,
    upload: ImportUpload,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<ImportDto> {
    this.assertCanImport(ctx);
    const job = await this.open(ctx, upload, onProgress);
    await this.launch(job);
    return this.get(ctx, job.id);
  }

  /** An import's status, progress, summary and first errors. */
  async get(ctx: RequestContext, id: string): Promise<ImportDto> {
    this.assertCanImport(ctx);
    const row = await this.findOwn(ctx, id);
    const errors = await listReportLines(this.db, id, 'error', 0, ERRORS_SHOWN);
    const errorCount =
      errors.length < ERRORS_SHOWN ? errors.length : await countReportLines(this.db, id, 'error');
    return this.present(row, errors, errorCount);
  }

  /** The per-row report as .xlsx: 错误 (row, column, message) and 更新明细 (what each update changed). */
  async report(ctx: RequestContext, id: string): Promise<{ fileName: string; stream: Readable }> {
    this.assertCanImport(ctx);
    const row = await this.findOwn(ctx, id);
    if (this.statusOf(row) === 'running') {
      throw conflict('import_running', '导入尚未完成，请完成后再下载报告');
    }
    const stream = new PassThrough();
    this.writeReport(row, stream).catch((error: unknown) => stream.destroy(error as Error));
    const base = (row.file_name ?? '摸底登记').replace(/\.xlsx$/i, '');
    return { fileName: `${base}.导入报告.xlsx`, stream };
  }

  /** Stops taking imports, asks running ones to stop, and waits for them. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running.values()]);
  }

  // ------------------------------------------------------------------------------------------
  // Upload and run

  private async open(
    ctx: RequestContext,
    upload: ImportUpload,
    onProgress?: (p: ImportProgress) => void,
  ): Promise<Job> {
    const body = upload.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw fileRefused(
        'empty_file',
        '请上传填写好的 .xlsx 文件（请求体即文件内容，Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）',
      );
    }
    if (this.closing) throw new AppError(503, 'shutting_down', '服务正在停止，请稍后再试');
    if (this.running.size + this.starting >= this.limits.maxConcurrent) {
      throw new AppError(
        429,
        'import_busy',
        `已有 ${this.limits.maxConcurrent} 个导入正在进行，请等其完成后再试`,
      );
    }
    this.starting += 1;
    try {
      const plan = planSheet(body, readZipDirectory(body, this.limits), LEDGER_SHEET, this.limits);
      await checkHeader(plan, this.limits);
      const job: Job = {
        id: uuidv7(),
        ctx,
        mode: upload.mode,
        plan,
        phase: 'checking',
        counts: zero(),
        changed: {},
        seen: new Map(),
        regions: new Map(),
        lines: [],
        seq: 0,
        started: performance.now(),
        onProgress,
      };
      await insertImport(this.db, {
        id: job.id,
        mode: job.mode,
        file_name: upload.fileName ?? null,
        file_bytes: body.length,
        jurisdiction: ctx.actor.jurisdiction,
        created_by: ctx.actor.userId,
        created_by_username: ctx.actor.username,
      });
      return job;
    } finally {
      this.starting -= 1;
    }
  }

  private launch(job: Job): Promise<void> {
    const done = this.execute(job).finally(() => this.running.delete(job.id));
    this.running.set(job.id, done);
    return done;
  }

  private async execute(job: Job): Promise<void> {
    try {
      if (this.kind === 'postgres') await this.inOneTransaction(job);
      else await this.inTwoPhases(job);
      job.phase = 'finished';
      await this.finish(job, 'done');
    } catch (error) {
      const failure =
        error instanceof AppError
          ? { code: error.code, message: error.message }
          : { code: 'internal', message: `导入时发生内部错误，请稍后重试（导入编号 ${job.id}）` };
      if (!(error instanceof AppError)) this.logError(`import ${job.id} failed`, error);
      job.phase = 'finished';
      await this.finish(job, 'failed', failure).catch((e: unknown) =>
        this.logError(`import ${job.id}: could not record the failure`, e),
      );
    }
  }

  /**
   * PostgreSQL: one pass over the sheet inside one transaction — each batch is checked and written
   * while the next is parsed. All-or-nothing stops writing at the first invalid row, checks on to
   * report every error, and rolls back; a file that fails half-way is rolled back in either mode.
   */
  private async inOneTransaction(job: Job): Promise<void> {
    job.phase = 'writing';
    const strict = job.mode === 'all_or_nothing';
    const rollback = new Error('rollback');
    try {
      await this.db.transaction().execute(async (trx) => {
        const pipe = new OneAhead();
        const settle = (rows: CheckedRow[]) => async () => {
          job.counts.valid += rows.length;
          const plan = await this.decideAll(job, rows, await this.lookUp(job, trx, rows), {
            dedupe: true,
            strict: false,
          });
          if (!(strict && job.counts.invalid > 0)) await this.apply(job, plan, trx, false);
          await this.flushLines(job);
          await this.save(job);
        };
        try {
          for await (const parsed of parsedBatches(job.plan, this.limits, this.limits.batchSize)) {
            this.assertOpen();
            await pipe.push(settle(this.accept(job, parsed)));
          }
          await pipe.drain();
        } catch (error) {
          await pipe.drain().catch(() => undefined);
          throw error;
        }
        if (strict && job.counts.invalid > 0) throw rollback;
      });
    } catch (error) {
      // Rolled back: nothing was written.
      Object.assign(job.counts, { created: 0, updated: 0, unchanged: 0 });
      job.changed = {};
      await this.flushLines(job);
      await deleteReportLines(this.db, job.id, 'updated');
      if (error !== rollback) throw error;
    } finally {
      job.counts.skipped = job.counts.rowsRead - written(job.counts);
    }
  }

  /**
   * The embedded database is one session, shared with the HTTP server: no transaction may last the
   * whole import. The sheet is checked first (rows that pass are spilled to a temporary file), then
   * written batch by batch, one short transaction each.
   */
  private async inTwoPhases(job: Job): Promise<void> {
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tanfang-import-'));
    const spill = path.join(dir, 'rows.jsonl');
    try {
      await this.check(job, spill);
      const blocked = job.mode === 'all_or_nothing' && job.counts.invalid > 0;
      if (!blocked && job.counts.valid > 0) {
        job.phase = 'writing';
        await this.save(job);
        await this.write(job, spill);
      }
    } finally {
      job.counts.skipped = job.counts.rowsRead - written(job.counts);
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Phase 1: reads the sheet once, validates every row, spills the rows that pass. In
   * all-or-nothing mode every row is also checked against the rules and the ledger; the check of
   * one batch runs while the next is parsed.
   */
  private async check(job: Job, spill: string): Promise<void> {
    const out = fs.createWriteStream(spill);
    const full = job.mode === 'all_or_nothing';
    const pipe = new OneAhead();
    const flush = (rows: CheckedRow[]) => async () => {
      const passed = full ? await this.checkBatch(job, rows) : rows;
      if (!full) job.counts.valid += rows.length;
      for (const r of passed) {
        await writeLine(out, `${JSON.stringify({ r: r.rowNumber, h: r.idHash, d: r.data })}\n`);
      }
      await this.flushLines(job);
      await this.save(job);
    };
    try {
      for await (const parsed of parsedBatches(job.plan, this.limits, this.limits.batchSize)) {
        this.assertOpen();
        await pipe.push(flush(this.accept(job, parsed)));
      }
      await pipe.drain();
    } catch (error) {
      await pipe.drain().catch(() => undefined);
      throw error;
    } finally {
      await new Promise<void>((resolve) => out.end(resolve));
    }
  }

  /**
   * Phase 2: the spilled rows, checked against the ledger and written batch by batch. While a
   * batch is written (on the database's side), the next one is looked up and decided (here).
   */
  private async write(job: Job, spill: string): Promise<void> {
    const db = this.db;
    const reader = readline.createInterface({
      input: fs.createReadStream(spill),
      crlfDelay: Infinity,
    });
    const lines = reader[Symbol.asyncIterator]();
    const nextBatch = async (): Promise<CheckedRow[]> => {
      const rows: CheckedRow[] = [];
      while (rows.length < this.limits.batchSize) {
        const { value, done } = await lines.next();
        if (done) break;
        if (!value) continue;
        const o = JSON.parse(value) as { r: number; h: string; d: ElderData };
        rows.push({ rowNumber: o.r, idHash: o.h, data: o.d });
      }
      return rows;
    };
    const pipe = new OneAhead();
    try {
      let rows = await nextBatch();
      let found = rows.length > 0 ? await this.lookUp(job, db, rows) : undefined;
      while (rows.length > 0 && found) {
        this.assertOpen();
        // Decided while the previous batch is being written.
        const plan = await this.decideAll(job, rows, found, {
          dedupe: job.mode === 'valid_only',
          strict: job.mode === 'all_or_nothing',
        });
        rows = await nextBatch();
        await pipe.drain();
        // Looked up before this batch's write starts: the one session serves both.
        found = rows.length > 0 ? await this.lookUp(job, db, rows) : undefined;
        await pipe.push(async () => {
          const strict = job.mode === 'all_or_nothing';
          await this.db.transaction().execute((t) => this.apply(job, plan, t, strict));
          await this.flushLines(job);
          await this.save(job);
        });
      }
      await pipe.drain();
    } catch (error) {
      await pipe.drain().catch(() => undefined);
      throw error;
    } finally {
      reader.close();
    }
  }

  /** Rows as the worker read them: those the schema refused are reported, the rest get their ID-number hash. */
  private accept(job: Job, parsed: ParsedRow[]): CheckedRow[] {
    const rows: CheckedRow[] = [];
    for (const p of parsed) {
      job.counts.rowsRead += 1;
      if ('errors' in p) this.reject(job, p.rowNumber, p.errors, false);
      else {
        const idHash = this.vault.hashIdNumber(p.data.idNumber);
        rows.push({ rowNumber: p.rowNumber, idHash, data: p.data });
      }
    }
    return rows;
  }

  /**
   * All-or-nothing's first phase for a batch: the rules, the village, duplicates within the file,
   * and where an existing record of the person is (it must lie in the jurisdiction, in the same
   * village). Reports; writes nothing. The rows that passed are returned.
   */
  private async checkBatch(job: Job, rows: CheckedRow[]): Promise<CheckedRow[]> {
    if (rows.length === 0) return [];
    const lookup = await this.regionLookup(job, this.db, rows);
    const places = new Map(
      (
        await findElderPlacesByIdHashes(
          this.db,
          rows.map((r) => r.idHash),
        )
      ).map((e) => [e.id_hash, e]),
    );
    const passed: CheckedRow[] = [];
    for (const row of rows) {
      const first = job.seen.get(row.idHash);
      if (first !== undefined) {
        this.reject(job, row.rowNumber, [duplicateOf(first)], false);
        continue;
      }
      const place = places.get(row.idHash);
      const misplaced = place && this.misplaced(job, row, place.village_code);
      if (misplaced) {
        this.reject(job, row.rowNumber, misplaced, false);
        continue;
      }
      // An empty 摸底日期 keeps the record's date: the rules apply on that date.
      const recordDate = row.data.recordDate ?? place?.record_date ?? undefined;
      const errors = await this.prepareErrors(job, { ...row.data, recordDate }, lookup);
      if (errors) {
        this.reject(job, row.rowNumber, errors, false);
        continue;
      }
      job.seen.set(row.idHash, row.rowNumber);
      passed.push(row);
    }
    job.counts.valid += passed.length;
    return passed;
  }

  /** The ledger's side of a batch: region codes cached, existing records by ID-number hash. */
  private async lookUp(
    job: Job,
    db: Executor,
    rows: CheckedRow[],
  ): Promise<{ lookup: RegionLookup; existing: Map<string, ElderRow> }> {
    const lookup = await this.regionLookup(job, db, rows);
    const found = await findEldersByIdHashes(
      db,
      rows.map((r) => r.idHash),
    );
    return { lookup, existing: new Map(found.map((e) => [e.id_hash, e])) };
  }

  /**
   * What to do with each row of a batch: create, update, leave or refuse. Refusals are reported;
   * with `strict` (all-or-nothing after its check phase) a refusal means the ledger changed since
   * the check, and the import stops. `dedupe`: duplicates within the file are caught here.
   */
  private async decideAll(
    job: Job,
    rows: CheckedRow[],
    found: { lookup: RegionLookup; existing: Map<string, ElderRow> },
    options: { dedupe: boolean; strict: boolean },
  ): Promise<WritePlan> {
    const plan: WritePlan = { creates: [], updates: [] };
    const { dedupe, strict } = options;
    for (const row of rows) {
      const first = dedupe ? job.seen.get(row.idHash) : undefined;
      const outcome: Outcome =
        first !== undefined
          ? { kind: 'error', errors: [duplicateOf(first)] }
          : await this.decide(job, row, found.existing.get(row.idHash), found.lookup);
      if (outcome.kind === 'error') {
        if (strict) throw this.changedMeanwhile(row.rowNumber, outcome.errors[0]!.message);
        this.reject(job, row.rowNumber, outcome.errors, true);
        continue;
      }
      if (dedupe) job.seen.set(row.idHash, row.rowNumber);
      // Sealing (encryption) and search initials are done here, outside the write transaction.
      if (outcome.kind === 'create') {
        const { prepared } = outcome;
        const columns = {
          ...this.elders.columnsOf(prepared),
          ...this.elders.identityOf(prepared.data.idNumber, row.idHash),
        };
        plan.creates.push({ row, prepared, columns });
      } else if (outcome.kind === 'update') {
        plan.updates.push({ row, ...outcome, columns: this.elders.columnsOf(outcome.prepared) });
      } else job.counts.unchanged += 1;
    }
    return plan;
  }

  /**
   * Writes a decided batch in the caller's transaction: never half a row. A row lost to someone
   * else's write meanwhile is reported — or, with `strict`, stops the import.
   */
  private async apply(job: Job, plan: WritePlan, db: Executor, strict: boolean): Promise<void> {
    const actor = job.ctx.actor;
    const entries: AuditInsert[] = [];
    const entry = (elderId: string, village: string, detail: Record<string, unknown>) =>
      entries.push({
        actorId: actor.userId,
        actorUsername: actor.username,
        action: 'elder.import',
        entity: 'elder',
        entityId: elderId,
        regionCode: village,
        requestId: job.ctx.requestId,
        ip: job.ctx.ip,
        detail: { importId: job.id, ...detail },
      });
    const lost: { row: CheckedRow; message: string }[] = [];

    const newRows = plan.creates.map((c) => ({
      id: uuidv7(),
      ...c.columns,
      status: 'active' as const,
      status_since: c.prepared.recordDate,
      created_by: actor.userId,
      updated_by: actor.userId,
    }));
    const inserted = await insertElders(db, newRows);
    const statuses = [];
    for (const [i, c] of plan.creates.entries()) {
      const r = newRows[i]!;
      if (!inserted.has(r.id)) {
        lost.push({
          row: c.row,
          message: '该身份证号在导入期间已被他人登记，请重新导入以更新该记录',
        });
        continue;
      }
      statuses.push({
        id: uuidv7(),
        elder_id: r.id,
        county_code: r.county_code,
        status: 'active' as const,
        effective_date: c.prepared.recordDate,
        village_code: r.village_code,
        note: '摸底导入',
        recorded_by: actor.userId,
      });
      entry(r.id, r.village_code, {
        row: c.row.rowNumber,
        created: true,
        categories: c.prepared.evaluation.categories,
        tier: c.prepared.evaluation.tier.effective,
      });
    }
    await insertStatuses(db, statuses);

    const patched = await updateEldersIfVersion(
      db,
      plan.updates.map((u) => {
        const c = u.columns;
        return {
          id: u.existing.id,
          version: u.existing.version,
          patch: {
            name: c.name,
            name_initials: c.name_initials,
            gender: c.gender,
            birth_date: c.birth_date,
            phone_enc: c.phone_enc,
            phone_masked: c.phone_masked,
            categories: c.categories,
            tier: c.tier,
            contradiction_count: c.contradiction_count,
            data: c.data,
            evaluation: c.evaluation,
            updated_by: actor.userId,
          },
        };
      }),
    );
    const changed: Record<string, number> = {};
    const updatedLines: { row: number; message: string }[] = [];
    for (const u of plan.updates) {
      if (!patched.has(u.existing.id)) {
        lost.push({ row: u.row, message: '该记录在导入期间被他人修改，请重新导入' });
        continue;
      }
      entry(u.existing.id, u.existing.village_code, { row: u.row.rowNumber, fields: u.fields });
      for (const f of u.fields) changed[f] = (changed[f] ?? 0) + 1;
      updatedLines.push({
        row: u.row.rowNumber,
        message: `已更新：${u.fields.map((f) => FIELD_LABELS[f]).join('、')}`,
      });
    }
    await insertAuditEntries(db, entries);
    // New elders are due from their record date; updated ones may have a new tier (which the
    // schedule applies to every period).
    const rollups = this.elders.rollups;
    if (rollups) {
      const byDate = new Map<string, string[]>();
      for (const [i, c] of plan.creates.entries()) {
        const id = newRows[i]!.id;
        if (!inserted.has(id)) continue;
        byDate.set(c.prepared.recordDate, [...(byDate.get(c.prepared.recordDate) ?? []), id]);
      }
      for (const [date, ids] of byDate) await rollups.replanElders(ids, date, db);
      const retiered = plan.updates
        .filter((u) => patched.has(u.existing.id))
        .map((u) => u.existing.id);
      await rollups.replanElders(retiered, ROLLUP_EPOCH, db);
    }
    if (lost.length > 0 && strict) {
      throw this.changedMeanwhile(lost[0]!.row.rowNumber, lost[0]!.message);
    }
    // Counted once written (the transaction may still roll back: then the import fails).
    job.counts.created += statuses.length;
    job.counts.updated += updatedLines.length;
    for (const [f, n] of Object.entries(changed)) job.changed[f] = (job.changed[f] ?? 0) + n;
    for (const l of updatedLines) {
      this.line(job, { kind: 'updated', row_number: l.row, column_name: null, message: l.message });
    }
    for (const l of lost) {
      this.reject(job, l.row.rowNumber, [{ column: 'idNumber', message: l.message }], true);
    }
  }

  /** All-or-nothing on the embedded database: the ledger changed between the check and the write. */
  private changedMeanwhile(rowNumber: number, message: string): AppError {
    return conflict(
      'write_conflict',
      `第 ${rowNumber} 行：${message}。导入已停止，此前的批次已写入；请重新导入（已写入的记录会计为未变化）`,
    );
  }

  /** Why an existing record of the person stops the row: outside the jurisdiction, or another village. */
  private misplaced(job: Job, row: CheckedRow, village: string): CellError[] | undefined {
    if (!isWithinJurisdiction(village, job.ctx.actor.jurisdiction)) {
      return [
        { column: 'idNumber', message: '该身份证号已在您辖区以外登记，请联系上级民政部门核实' },
      ];
    }
    if (village !== row.data.villageCode) {
      return [
        {
          column: 'villageCode',
          message: `该老人已登记在村(居) ${village}，与本行的居住村(居)代码不同；村(居)之间迁移请在台账中办理“迁出”`,
        },
      ];
    }
    return undefined;
  }

  /** The ledger's checks of a record (prepare), as cell errors; undefined when it passes. */
  private async prepareErrors(
    job: Job,
    data: ElderData,
    lookup: RegionLookup,
  ): Promise<CellError[] | undefined> {
    const r = await this.tryPrepare(job, data, lookup);
    return 'errors' in r ? r.errors : undefined;
  }

  private async tryPrepare(
    job: Job,
    data: ElderData,
    lookup: RegionLookup,
  ): Promise<{ prepared: PreparedElder } | { errors: CellError[] }> {
    try {
      return { prepared: await this.elders.prepare(job.ctx, data, lookup) };
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 400) throw e;
      const details = e.details ?? [{ field: e.field ?? 'name', message: e.message }];
      return {
        errors: details.map((d) => ({
          column: columnOfPath(splitPath(d.field), [1, 2, 3]),
          message: d.message,
        })),
      };
    }
  }

  /** What to do with one row: create, update, leave, or refuse (with the cells at fault). */
  private async decide(
    job: Job,
    row: CheckedRow,
    existing: ElderRow | undefined,
    lookup: RegionLookup,
  ): Promise<Outcome> {
    let data = row.data;
    let before: ElderData | undefined;
    if (existing) {
      const misplaced = this.misplaced(job, row, existing.village_code);
      if (misplaced) return { kind: 'error', errors: misplaced };
      const opened = {
        ...openData(existing.data, this.vault),
        idNumber: row.data.idNumber,
        ...(existing.phone_enc ? { phone: this.vault.decrypt(existing.phone_enc) } : {}),
      };
      const current = ElderFields.safeParse(opened);
      before = current.success ? current.data : (opened as unknown as ElderData);
      const merged = ElderFields.safeParse(mergeImported(before, row.data));
      if (!merged.success) {
        return {
          kind: 'error',
          errors: (validationError(merged.error, 'body').details ?? []).map((d) => ({
            column: columnOfPath(splitPath(d.field), [1, 2, 3]),
            message: d.message,
          })),
        };
      }
      data = merged.data;
    }
    const r = await this.tryPrepare(job, data, lookup);
    if ('errors' in r) return { kind: 'error', errors: r.errors };
    if (!existing || !before) return { kind: 'create', prepared: r.prepared };
    const fields = changedFields(before, r.prepared.data);
    return fields.length === 0
      ? { kind: 'unchanged' }
      : { kind: 'update', prepared: r.prepared, existing, fields };
  }

  /** Whether region codes exist, from a cache filled per batch (no query inside the batch). */
  private async regionLookup(job: Job, db: Executor, rows: CheckedRow[]): Promise<RegionLookup> {
    const wanted = new Set<string>();
    for (const r of rows) {
      for (const code of [
        r.data.villageCode,
        r.data.idNumber.slice(0, 2),
        r.data.idNumber.slice(0, 6),
      ]) {
        if (!job.regions.has(code)) wanted.add(code);
      }
    }
    if (wanted.size > 0) {
      const found = new Set((await findRegions(db, [...wanted])).map((r) => r.code));
      for (const code of wanted) job.regions.set(code, found.has(code));
    }
    return (code) => job.regions.get(code) ?? false;
  }

  private reject(job: Job, rowNumber: number, errors: CellError[], demote: boolean): void {
    job.counts.invalid += 1;
    if (demote) job.counts.valid -= 1;
    for (const e of errors) {
      this.line(job, {
        kind: 'error',
        row_number: rowNumber,
        column_name: columnOf(e.column).header,
        message: e.message,
      });
    }
  }

  private line(
    job: Job,
    line: Omit<Insertable<ImportReportLinesTable>, 'import_id' | 'seq'>,
  ): void {
    job.seq += 1;
    job.lines.push({ ...line, import_id: job.id, seq: job.seq });
  }

  private async flushLines(job: Job): Promise<void> {
    if (job.lines.length === 0) return;
    const lines = job.lines;
    job.lines = [];
    await insertReportLines(this.db, lines);
  }

  private assertOpen(): void {
    if (this.closing)
      throw new AppError(503, 'interrupted', '服务正在停止，导入已中止；请重新导入');
  }

  private async save(job: Job): Promise<void> {
    await updateImport(this.db, job.id, {
      phase: job.phase,
      rows_read: job.counts.rowsRead,
      valid_rows: job.counts.valid,
      invalid_rows: job.counts.invalid,
      created_count: job.counts.created,
      updated_count: job.counts.updated,
      unchanged_count: job.counts.unchanged,
      skipped_count: job.counts.skipped,
      changed_fields: JSON.stringify(job.changed),
      report_lines: job.seq,
    });
    job.onProgress?.({
      phase: job.phase,
      rowsRead: job.counts.rowsRead,
      valid: job.counts.valid,
      invalid: job.counts.invalid,
      created: job.counts.created,
      updated: job.counts.updated,
      unchanged: job.counts.unchanged,
      elapsedMs: performance.now() - job.started,
    });
  }

  private async finish(
    job: Job,
    status: 'done' | 'failed',
    failure?: { code: string; message: string },
  ): Promise<void> {
    await this.flushLines(job);
    await this.save(job);
    await updateImport(this.db, job.id, {
      status,
      failure: failure ? JSON.stringify(failure) : null,
      finished_at: new Date(),
    });
    await audit(this.db, job.ctx, {
      action: 'elder.import',
      entity: 'import',
      entityId: job.id,
      regionCode: job.ctx.actor.jurisdiction,
      detail: {
        status,
        mode: job.mode,
        ...job.counts,
        changedFields: job.changed,
        ...(failure ? { failure: failure.code } : {}),
      },
    });
  }

  // ------------------------------------------------------------------------------------------
  // Reading

  private async findOwn(ctx: RequestContext, id: string): Promise<ImportRow> {
    if (!isUuid(id)) throw notFound('导入记录');
    const row = await findImport(this.db, id);
    // Visible to those whose jurisdiction covers the uploader's.
    if (!row || !isWithinJurisdiction(row.jurisdiction, ctx.actor.jurisdiction)) {
      throw notFound('导入记录');
    }
    return row;
  }

  private statusOf(row: ImportRow): ImportDto['status'] {
    if (
      row.status === 'running' &&
      !this.running.has(row.id) &&
      Date.now() - row.updated_at.getTime() > STALE_MS
    ) {
      return 'failed';
    }
    return row.status;
  }

  private present(
    row: ImportRow,
    errors: { row_number: number | null; column_name: string | null; message: string }[],
    errorCount: number,
  ): ImportDto {
    const status = this.statusOf(row);
    const failure =
      row.failure ??
      (status === 'failed' && row.status === 'running'
        ? { code: 'interrupted', message: '导入中断（服务已停止或重启），请重新导入' }
        : null);
    return {
      id: row.id,
      status,
      phase: row.phase,
      mode: row.mode,
      modeLabel: IMPORT_MODE_LABELS[row.mode],
      ...(row.file_name ? { fileName: row.file_name } : {}),
      uploadedBy: row.created_by_username,
      progress: { rowsRead: row.rows_read, valid: row.valid_rows, invalid: row.invalid_rows },
      summary: {
        created: row.created_count,
        updated: row.updated_count,
        unchanged: row.unchanged_count,
        skipped: row.skipped_count,
        changedFields: Object.entries(row.changed_fields)
          .map(([field, count]) => ({
            field,
            label: FIELD_LABELS[field as keyof ElderData] ?? field,
            count,
          }))
          .sort((a, b) => b.count - a.count),
      },
      errors: errors.map((e) => ({
        row: e.row_number,
        column: e.column_name,
        message: `${e.row_number ? `第 ${e.row_number} 行` : ''}${e.column_name ? `“${e.column_name}”` : ''}：${e.message}`,
      })),
      errorCount,
      ...(failure ? { failure } : {}),
      reportAvailable: status !== 'running' && row.report_lines > 0,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
    };
  }

  private async writeReport(row: ImportRow, stream: Writable): Promise<void> {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
    const sheets = [
      {
        kind: 'error' as const,
        name: '错误',
        headers: ['行号', '列', '说明'],
        widths: [8, 24, 90],
      },
      { kind: 'updated' as const, name: '更新明细', headers: ['行号', '说明'], widths: [8, 90] },
    ];
    for (const s of sheets) {
      const sheet = workbook.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
      sheet.columns = s.headers.map((header, i) => ({ header, width: s.widths[i] }));
      sheet.getRow(1).font = { bold: true };
      sheet.getRow(1).commit();
      if (s.kind === 'error' && row.failure) {
        sheet.addRow([null, '（整个文件）', row.failure.message]).commit();
      }
      for (let after = 0; ;) {
        const page = await listReportLines(this.db, row.id, s.kind, after, 2000);
        for (const l of page) {
          sheet
            .addRow(
              s.kind === 'error'
                ? [l.row_number, l.column_name, l.message]
                : [l.row_number, l.message],
            )
            .commit();
        }
        if (page.length < 2000) break;
        after = page[page.length - 1]!.seq;
      }
      sheet.commit();
    }
    await workbook.commit();
  }
}

const written = (c: Counts) => c.created + c.updated + c.unchanged;

const duplicateOf = (first: number): CellError => ({
  column: 'idNumber',
  message: `与第 ${first} 行的身份证号相同：同一位老人只能填写一行`,
});

/**
 * At most one task in flight: `push` waits for the previous task, then starts the next and
 * returns; its failure surfaces at the next `push` or at `drain`.
 */
class OneAhead {
  private inflight: Promise<void> | undefined;

  async push(task: () => Promise<void>): Promise<void> {
    await this.drain();
    const p = task();
    p.catch(() => undefined); // observed at drain
    this.inflight = p;
  }

  async drain(): Promise<void> {
    const p = this.inflight;
    this.inflight = undefined;
    await p;
  }
}

/** 'supporters.1.awaySince' → ['supporters', 1, 'awaySince']. */
function splitPath(field: string): (string | number)[] {
  return field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Writes a line, waiting when the stream asks to. */
async function writeLine(out: fs.WriteStream, line: string): Promise<void> {
  if (!out.write(line)) await once(out, 'drain');
}
