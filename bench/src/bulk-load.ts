/**
 * Bulk loading of generated rows (lines of COPY text format, see province-rows.ts) into either
 * database, on one session of its own:
 * - PostgreSQL: `COPY … FROM STDIN` streamed with pg-copy-streams, with backpressure (pipeline).
 *   The session is a pg client of its own on the open database, reached through
 *   BENCH_DATABASE_URL (the bench scripts make every database they open from it).
 * - PGlite: `INSERT … SELECT` over the lines of a text parameter split in SQL, 20,000 a statement.
 *   PGlite has `COPY … FROM '/dev/blob'`, but our worker driver cannot pass it a blob, and measured
 *   in PGlite itself it was slower than this (100,000 visit rows in batches of 20,000: 14–34 s
 *   against 12–17 s, three runs each on a busy machine).
 * Foreign keys are not checked on the session (session_replication_role = replica: the generator
 * writes only rows that hold); secondary indexes can be dropped for the load and rebuilt after.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from '@tanfang/server/db/database.js';

/** A session that loads lines into tables. */
export interface BulkSession {
  kind: Database['kind'];
  /**
   * Loads the lines of `sources` into `table (columns)`; calls `progress` with the rows sent so
   * far. On PostgreSQL each source streams on a connection of its own, at the same time.
   */
  load(
    table: string,
    columns: readonly string[],
    sources: Iterable<string>[],
    progress: (rows: number) => void,
  ): Promise<number>;
  /** Runs one statement on the session. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** Lines joined into chunks of about `bytes` characters, each line ended by a newline. */
function* chunks(
  lines: Iterable<string>,
  bytes: number,
  counted: (rows: number) => void,
): Generator<string> {
  let part: string[] = [];
  let size = 0;
  let rows = 0;
  for (const line of lines) {
    part.push(line);
    size += line.length + 1;
    rows++;
    if (size >= bytes) {
      part.push('');
      yield part.join('\n');
      counted(rows);
      part = [];
      size = 0;
    }
  }
  if (part.length > 0) {
    part.push('');
    yield part.join('\n');
  }
  counted(rows);
}

/** Lines in groups of `n`, each group one string (lines separated by newlines). */
function* groups(lines: Iterable<string>, n: number): Generator<[string, number]> {
  let part: string[] = [];
  for (const line of lines) {
    part.push(line);
    if (part.length === n) {
      yield [part.join('\n'), n];
      part = [];
    }
  }
  if (part.length > 0) yield [part.join('\n'), part.length];
}

/** Opens a loading session on `database`. */
export async function openBulkSession(database: Database): Promise<BulkSession> {
  return database.kind === 'postgres' ? openCopySession(database) : openPgliteSession(database);
}

async function openCopySession(database: Database): Promise<BulkSession> {
  const base = process.env['BENCH_DATABASE_URL'];
  if (!base) throw new Error('COPY 需要 BENCH_DATABASE_URL（基准脚本用它连接数据库）');
  const where = 'select current_database() as db, pg_postmaster_start_time()::text as started';
  const open = (
    await database.db.executeQuery<{ db: string; started: string }>(CompiledQuery.raw(where))
  ).rows[0]!;
  const url = new URL(base);
  url.pathname = `/${open.db}`;
  const connect = async () => {
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query('set session_replication_role = replica');
    await client.query("set maintenance_work_mem = '1GB'");
    return client;
  };
  const client = await connect();
  const mine = (await client.query<{ db: string; started: string }>(where)).rows[0]!;
  if (mine.db !== open.db || mine.started !== open.started) {
    await client.end();
    throw new Error(`BENCH_DATABASE_URL 指向的不是已打开的数据库 ${open.db}`);
  }
  const copy = async (
    on: pg.Client,
    table: string,
    columns: readonly string[],
    lines: Iterable<string>,
    counted: (rows: number) => void,
  ) => {
    const stream = on.query(
      copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`, { highWaterMark: 1 << 20 }),
    );
    await pipeline(Readable.from(chunks(lines, 1 << 20, counted), { highWaterMark: 4 }), stream);
    return stream.rowCount;
  };
  return {
    kind: 'postgres',
    async load(table, columns, sources, progress) {
      const extra = await Promise.all(sources.slice(1).map(() => connect()));
      try {
        const sent = sources.map(() => 0);
        const counts = await Promise.all(
          sources.map((lines, k) =>
            copy(k === 0 ? client : extra[k - 1]!, table, columns, lines, (rows) => {
              sent[k] = rows;
              progress(sent.reduce((a, b) => a + b, 0));
            }),
          ),
        );
        return counts.reduce((a, b) => a + b, 0);
      } finally {
        await Promise.all(extra.map((c) => c.end()));
      }
    },
    async query<R>(text: string, params: unknown[] = []) {
      return (await client.query(text, params)).rows as R[];
    },
    close: () => client.end(),
  };
}

async function openPgliteSession(database: Database): Promise<BulkSession> {
  const query = async <R>(text: string, params: unknown[] = []) =>
    (await database.db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  await query('set session_replication_role = replica');
  await query("set maintenance_work_mem = '256MB'");
  return {
    kind: 'pglite',
    async load(table, columns, sources, progress) {
      const types = await query<{ name: string; type: string }>(
        `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
         where attrelid = $1::regclass and attnum > 0 and not attisdropped`,
        [table],
      );
      const typeOf = new Map(types.map((t) => [t.name, t.type]));
      const casts = columns.map((c, k) => `f[${k + 1}]::${typeOf.get(c) ?? 'text'}`);
      const insert = `insert into ${table} (${columns.join(', ')})
        select ${casts.join(', ')}
        from (select string_to_array(line, E'\\t', '\\N') as f
              from regexp_split_to_table($1, E'\\n') as line) as s`;
      let rows = 0;
      for (const lines of sources)
        for (const [text, n] of groups(lines, 20_000)) {
          await query(insert, [text]);
          rows += n;
          progress(rows);
        }
      return rows;
    },
    query,
    close: async () => {
      await query('reset session_replication_role');
      await query('reset maintenance_work_mem');
    },
  };
}

/** An index as its migration made it. */
export interface IndexDef {
  name: string;
  definition: string;
}

/**
 * Drops the indexes of `table` that back no constraint (primary keys and unique constraints stay,
 * so foreign keys keep their target) and returns their definitions, to be made again after a load.
 */
export async function dropSecondaryIndexes(
  session: BulkSession,
  table: string,
): Promise<IndexDef[]> {
  const defs = await session.query<IndexDef>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
     where i.schemaname = 'public' and i.tablename = $1
       and not exists (select 1 from pg_constraint c
                       where c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
     order by i.indexname`,
    [table],
  );
  for (const d of defs) await session.query(`drop index ${d.name}`);
  return defs;
}

/** Makes indexes again, one after the other (PostgreSQL builds each with parallel workers). */
export async function createIndexes(session: BulkSession, defs: IndexDef[]): Promise<void> {
  for (const d of defs) await session.query(d.definition);
}
