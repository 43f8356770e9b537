import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { describeEachDatabase } from '../test/harness.js';
import { DataDirLockedError, PREPARED, openPglite } from './database.js';
import { migrate } from './migrate.js';

const CLI = fileURLToPath(new URL('../../bin/tanfang.js', import.meta.url));

describeEachDatabase('the database layer', (env) => {
  it('returns the same value types on both databases', async () => {
    const { rows } = await sql<{ n: number; d: string; t: Date; j: { a: number }; num: string }>`
      select count(*) as n, date '2026-11-22' as d, timestamptz '2026-11-22 08:00:00+08' as t,
             '{"a":1}'::jsonb as j, 1.50::numeric as num from regions where code = '21'`.execute(
      env().database.db,
    );
    expect(rows[0]).toEqual({
      n: 1,
      d: '2026-11-22',
      t: new Date('2026-11-22T00:00:00Z'),
      j: { a: 1 },
      num: '1.50',
    });
  });

  it('prepares a statement marked PREPARED once per PostgreSQL connection, with the same results', async () => {
    const { database } = env();
    await database.db.transaction().execute(async (trx) => {
      const marked = (code: string) =>
        sql<{ name: string }>`${sql.raw(PREPARED)} select name from regions where code = ${code}`
          .execute(trx)
          .then((r) => r.rows);
      expect(await marked('21')).toEqual([{ name: '辽宁省' }]);
      expect(await marked('2106')).toEqual([{ name: '丹东市' }]);
      const { rows } = await sql<{ statement: string }>`
        select statement from pg_prepared_statements where name like 'tf\_%'`.execute(trx);
      // PGlite runs it unprepared; a PostgreSQL connection keeps it, once, for the next call.
      if (database.kind === 'postgres') {
        expect(rows).toHaveLength(1);
        expect(rows[0]!.statement).toContain('select name from regions where code = $1');
      } else expect(rows).toEqual([]);
    });
  });

  it('applies each migration once, however often it runs', async () => {
    expect(await migrate(env().database)).toEqual([]);
    const applied = await env().database.db.selectFrom('schema_migrations').selectAll().execute();
    expect(applied.map((m) => m.name)).toContain('platform');
  });

  it('rolls a failed transaction back whole', async () => {
    const db = env().database.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx
          .insertInto('regions')
          .values({ code: '99', name: '测试省', level: 'province', parent_code: null })
          .execute();
        await trx
          .insertInto('regions')
          .values({ code: '99', name: '重复', level: 'province', parent_code: null })
          .execute();
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await db.selectFrom('regions').selectAll().where('code', '=', '99').execute()).toEqual(
      [],
    );
  });
});

describe('the embedded database', () => {
  it('keeps the HTTP thread free while a long query runs', async () => {
    const database = await openPglite({ dataDir: undefined });
    try {
      const order: string[] = [];
      const slow = sql`select pg_sleep(1.5)`.execute(database.db).then(() => order.push('query'));
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push('timer');
          resolve();
        }, 50),
      );
      await slow;
      expect(order).toEqual(['timer', 'query']);
    } finally {
      await database.close();
    }
  });

  it('refuses a second opener of the same data directory, naming it, and loses nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-lock-'));
    const first = await openPglite({ dataDir: dir });
    try {
      await migrate(first);
      await first.db
        .insertInto('regions')
        .values({ code: '98', name: '锁测试', level: 'province', parent_code: null })
        .execute();
      await expect(openPglite({ dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
      // A real second process, through the CLI:
      const second = spawnSync(process.execPath, [CLI, 'user', 'list'], {
        env: { ...process.env, TANFANG_DATA_DIR: dir, DATABASE_URL: '' },
        encoding: 'utf8',
      });
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(`数据目录 ${dir} 正被另一个 tanfang 进程使用`);
    } finally {
      await first.close();
    }
    const reopened = await openPglite({ dataDir: dir });
    try {
      const row = await reopened.db
        .selectFrom('regions')
        .selectAll()
        .where('code', '=', '98')
        .executeTakeFirst();
      expect(row?.name).toBe('锁测试');
    } finally {
      await reopened.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
