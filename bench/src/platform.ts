/**
 * Platform benchmark (issue 2): first boot (migrations + national regions), region-tree reads,
 * login, and HTTP responsiveness while the embedded database runs a long query. Runs on PGlite,
 * and on PostgreSQL when BENCH_DATABASE_URL is set (a database it may drop and recreate).
 */
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '@tanfang/server/app.js';
import { migrate } from '@tanfang/server/db/migrate.js';
import { openPglite, openPostgres, type Database } from '@tanfang/server/db/database.js';
import { loadDemoIfNew } from '@tanfang/server/demo.js';
import { loadBundledRegions } from '@tanfang/server/modules/regions/regions.loader.js';
import { createServices } from '@tanfang/server/services.js';
import { Vault } from '@tanfang/server/crypto.js';
import { randomBytes } from 'node:crypto';
import { percentile, report, timeIt, type Row } from './report.js';

const PASSWORD = 'bench-password-2026';

async function freshPostgres(url: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists tanfang_bench with (force)');
  await admin.query('create database tanfang_bench');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/tanfang_bench';
  return u.toString();
}

async function benchOne(kind: string, open: () => Promise<Database>): Promise<Row[]> {
  const rows: Row[] = [];
  const t0 = performance.now();
  const database = await open();
  await migrate(database);
  const loaded = await loadBundledRegions(database.db);
  const boot = performance.now() - t0;
  rows.push({
    what: `first boot: migrate + load ${loaded} regions`,
    database: kind,
    n: 1,
    p50: boot,
    p95: boot,
    unit: 'ms',
  });
  await loadDemoIfNew(database.db, PASSWORD);
  const app = await buildApp(
    createServices(database, { sessionHours: 12 }, new Vault(randomBytes(32))),
    {
      trustProxy: false,
      sessionHours: 12,
      secureCookies: 'false',
      logLevel: 'silent',
      webDir: '/nonexistent',
    },
  );
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'demo-city', password: PASSWORD },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

  const children = await timeIt(200, (i) =>
    get(`/api/regions/${['2106', '210624', '210624101'][i % 3]}/children`),
  );
  rows.push({
    what: 'GET /api/regions/:code/children',
    database: kind,
    n: 200,
    p50: percentile(children, 50),
    p95: percentile(children, 95),
    unit: 'ms',
  });
  const one = await timeIt(200, () => get('/api/regions/210624101201'));
  rows.push({
    what: 'GET /api/regions/:code (with path)',
    database: kind,
    n: 200,
    p50: percentile(one, 50),
    p95: percentile(one, 95),
    unit: 'ms',
  });
  const search = await timeIt(100, () => get(`/api/regions?q=${encodeURIComponent('村')}`));
  rows.push({
    what: 'GET /api/regions?q= (name search)',
    database: kind,
    n: 100,
    p50: percentile(search, 50),
    p95: percentile(search, 95),
    unit: 'ms',
  });
  const logins = await timeIt(30, () =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'demo-admin', password: PASSWORD },
    }),
  );
  rows.push({
    what: 'POST /api/auth/login (argon2id)',
    database: kind,
    n: 30,
    p50: percentile(logins, 50),
    p95: percentile(logins, 95),
    unit: 'ms',
  });

  // Responsiveness: health requests while a 2 s query runs.
  const slow = sql`select pg_sleep(2)`.execute(database.db);
  const during: number[] = [];
  const until = performance.now() + 1500;
  while (performance.now() < until) {
    const t = performance.now();
    await app.inject({ method: 'GET', url: '/api/health' });
    during.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await slow;
  rows.push({
    what: 'GET /api/health during a 2 s query',
    database: kind,
    n: during.length,
    p50: percentile(during, 50),
    p95: percentile(during, 95),
    unit: 'ms',
  });
  await app.close();
  await database.close();
  return rows;
}

const rows = await benchOne('PGlite', () => openPglite({ dataDir: undefined }));
const url = process.env['BENCH_DATABASE_URL'];
if (url) {
  const benchUrl = await freshPostgres(url);
  rows.push(...(await benchOne('PostgreSQL 15', () => openPostgres(benchUrl))));
}
report('Platform (issue 2)', rows, [
  'Issue 2 names no speed target; these are baselines. The login time is argon2id (19 MiB, t=2) by design.',
  'The health row shows the HTTP thread stays free while the embedded database is busy (PGlite runs in a worker thread).',
]);
