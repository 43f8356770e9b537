import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { SerializedDbError, WorkerRequest, WorkerResponse } from './pglite-protocol.js';

/**
 * The worker script. A worker thread runs plain Node, which cannot execute TypeScript: when this
 * module itself runs from source (under vitest), the compiled worker in dist/ is used.
 */
function workerUrl(): URL {
  const beside = new URL('./pglite-worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.ts')) return beside;
  const built = new URL('../../dist/db/pglite-worker.js', import.meta.url);
  if (!existsSync(built))
    throw new Error('packages/server/dist is missing: run `npm run build` first');
  return built;
}

/** A database error with the SQLSTATE `code`, as pg's DatabaseError has it. */
export class DbError extends Error {
  override name = 'DbError';
  code: string | undefined;
  detail: string | undefined;
  constraint: string | undefined;
  constructor(e: SerializedDbError) {
    super(e.message);
    this.code = e.code;
    this.detail = e.detail;
    this.constraint = e.constraint;
  }
}

type Pending = {
  resolve: (value: { rows: Record<string, unknown>[]; affectedRows: number } | Uint8Array) => void;
  reject: (error: Error) => void;
};

/** The main thread's handle on the PGlite worker. Requests are answered in order. */
export class PgliteClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (message: WorkerResponse) => this.onMessage(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', (code) => {
      if (!this.closed) this.failAll(new Error(`嵌入式数据库线程意外退出 (exit ${code})`));
    });
  }

  /** Starts the worker and opens the database in `dataDir` (in memory when undefined). */
  static async start(dataDir: string | undefined, loadDump?: Uint8Array): Promise<PgliteClient> {
    const worker = new Worker(workerUrl(), {
      workerData: { dataDir, loadDump },
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerResponse) => {
        if (message.type === 'ready') {
          worker.off('message', onMessage);
          resolve();
        } else if (message.type === 'fatal') {
          worker.off('message', onMessage);
          reject(new DbError(message.error));
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new PgliteClient(worker);
  }

  /** Runs one parameterised statement. */
  async query(
    sql: string,
    params: readonly unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; affectedRows: number }> {
    return (await this.send({ type: 'query', id: 0, sql, params: [...params] })) as {
      rows: Record<string, unknown>[];
      affectedRows: number;
    };
  }

  /** Runs a script of several statements (simple protocol, no parameters). */
  async exec(sql: string): Promise<void> {
    await this.send({ type: 'exec', id: 0, sql });
  }

  /** Dumps the whole data directory as a tarball (used for test templates). */
  async dump(): Promise<Uint8Array> {
    return (await this.send({ type: 'dump', id: 0 })) as Uint8Array;
  }

  /** Closes the database (flushing it) and stops the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.send({ type: 'close', id: 0 });
    this.closed = true;
    await this.worker.terminate();
  }

  private send(
    request: WorkerRequest,
  ): Promise<{ rows: Record<string, unknown>[]; affectedRows: number } | Uint8Array> {
    if (this.closed) return Promise.reject(new Error('数据库已关闭'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private onMessage(message: WorkerResponse): void {
    if (message.type === 'ready' || message.type === 'fatal') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'error') pending.reject(new DbError(message.error));
    else if (message.type === 'dump') pending.resolve(message.bytes);
    else pending.resolve({ rows: message.rows, affectedRows: message.affectedRows });
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

/**
 * A Kysely driver over the PGlite worker. PGlite is a single session, so one connection is
 * handed out at a time; a transaction holds it from BEGIN to COMMIT/ROLLBACK.
 */
export class PgliteDriver implements Driver {
  private queue: Promise<void> = Promise.resolve();
  private readonly connection: PgliteConnection;

  constructor(private readonly client: PgliteClient) {
    this.connection = new PgliteConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${level}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.connection.release;
    this.connection.release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.client.close();
  }
}

class PgliteConnection implements DatabaseConnection {
  release: (() => void) | undefined;
  constructor(private readonly client: PgliteClient) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query(compiled.sql, compiled.parameters);
    const kind = compiled.query?.kind;
    const isWrite =
      kind === 'InsertQueryNode' || kind === 'UpdateQueryNode' || kind === 'DeleteQueryNode';
    return {
      rows: result.rows as R[],
      ...(isWrite ? { numAffectedRows: BigInt(result.affectedRows) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported on the embedded database');
  }
}
