import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { PgliteClient, PgliteDriver } from './pglite-client.js';
import type { DB } from './schema.js';
import { OID, identity, parseInt8 } from './types.js';

/** An open database: the embedded PGlite or a PostgreSQL server, behind one Kysely. */
export interface Database {
  kind: 'pglite' | 'postgres';
  db: Kysely<DB>;
  /** Where the data lives, for messages (a directory, or the server URL without password). */
  location: string;
  /** Runs a multi-statement script on one session, in the simple query protocol. */
  script(sql: string): Promise<void>;
  /** Dumps the embedded database (PGlite only), for test templates. */
  dump?: () => Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Raised when the data directory is held by another process. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(readonly dataDir: string) {
    super(
      `数据目录 ${dataDir} 正被另一个 tanfang 进程使用 (data directory is locked by another process)。` +
        `请先停止那个进程，或用 TANFANG_DATA_DIR 指定另一个目录。`,
    );
  }
}

/** Raised when the PostgreSQL server cannot be reached or refuses us. */
export class DatabaseConnectError extends Error {
  override name = 'DatabaseConnectError';
}

/** Options for opening the embedded database. */
export interface PgliteOptions {
  /** The data directory; undefined for an in-memory database (tests). */
  dataDir: string | undefined;
  /** A dump to start from (tests). */
  loadDump?: Uint8Array;
}

/** Opens the embedded database in `dataDir`, holding a lock so that no second process can. */
export async function openPglite(options: PgliteOptions): Promise<Database> {
  let releaseLock: (() => Promise<void>) | undefined;
  let pgdata: string | undefined;
  if (options.dataDir) {
    const dataDir = options.dataDir;
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      releaseLock = await lockfile.lock(dataDir, {
        lockfilePath: path.join(dataDir, 'tanfang.lock'),
        stale: 15_000,
        update: 5_000,
        retries: 0,
        realpath: false,
        onCompromised: (error) => {
          console.error(`数据目录锁失效，为保护数据立即退出：${error.message}`);
          process.exit(70);
        },
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new DataDirLockedError(dataDir);
      throw error;
    }
    pgdata = path.join(dataDir, 'pglite');
  }
  let client: PgliteClient;
  try {
    client = await PgliteClient.start(pgdata, options.loadDump);
  } catch (error) {
    await releaseLock?.();
    throw error;
  }
  const driver = new PgliteDriver(client);
  const db = new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresDialect({ pool: {} as pg.Pool }).createAdapter(),
      createDriver: () => driver,
      createIntrospector: (k) => new PostgresDialect({ pool: {} as pg.Pool }).createIntrospector(k),
      createQueryCompiler: () => new PostgresDialect({ pool: {} as pg.Pool }).createQueryCompiler(),
    },
  });
  return {
    kind: 'pglite',
    db,
    location: options.dataDir ?? 'memory://',
    async script(sql) {
      // Through the driver's queue, so a script never interleaves with a transaction.
      await driver.acquireConnection();
      try {
        await client.exec(sql);
      } catch (error) {
        await client.exec('rollback').catch(() => undefined);
        throw error;
      } finally {
        await driver.releaseConnection();
      }
    },
    dump: () => client.dump(),
    async close() {
      await db.destroy();
      await releaseLock?.();
    },
  };
}

function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === OID.INT8) return parseInt8;
  if (oid === OID.NUMERIC || oid === OID.DATE) return identity;
  return pg.types.getTypeParser(oid, format ?? 'text');
}

/**
 * Marks a statement to be prepared once per PostgreSQL connection and then only executed: its
 * text must start with this comment (`sql\`${PREPARED} select …\``) and never change. For the hot
 * path's batch statements, whose planning costs as much as running them (the recording-facts
 * statement 0.4 ms to plan, the visits write 0.9 ms, on a warm connection, for ~1.5 and ~2.5 ms
 * of execution). PGlite ignores the comment.
 */
export const PREPARED = '/* prepared */';

const names = new Map<string, string>();
/** The statement name of a text: stable per text, so two texts never share a name. */
function statementName(text: string): string | undefined {
  let name = names.get(text);
  if (!name) {
    // A marked text that varied would prepare without end: past a few dozen, stop preparing.
    if (names.size >= 64) return undefined;
    name = `tf_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** Makes a pool client run statements marked PREPARED as named (prepared) statements. */
function preparing(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && text.startsWith(PREPARED) && typeof args[2] !== 'function') {
      const name = statementName(text);
      if (name) return query({ name, text, values });
    }
    return query(...args);
  };
}

/** The URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(invalid url)';
  }
}

/** Opens a PostgreSQL server at `url` and checks that it answers. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // No JIT compilation: our statements are short and index-driven, but their estimated costs
    // (a batch from jsonb_to_recordset is guessed at 100 rows, each with subqueries) pass the JIT
    // thresholds as tables grow, and compiling then costs 50–80 ms per statement — measured: the
    // recording-facts statement of 100 visits 89–109 ms with JIT, 21 ms without; city-scale
    // dashboard queries 0.5–0.9 s more (docs/perf.md).
    options: '-c jit=off',
    types: { getTypeParser: getTypeParser as typeof pg.types.getTypeParser },
  });
  pool.on('error', (error) => console.error(`PostgreSQL 连接错误：${error.message}`));
  pool.on('connect', preparing);
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseConnectError(
      `无法连接 PostgreSQL (DATABASE_URL=${redactUrl(url)})：${(error as Error).message}`,
    );
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    location: redactUrl(url),
    async script(sql) {
      const client = await pool.connect();
      try {
        await client.query(sql);
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => db.destroy(),
  };
}
