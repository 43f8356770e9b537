/**
 * Ledger list benchmark (issue 3): GET /api/elders filtered to one township, over 1,000,000
 * elders spread over the real villages of 辽宁 (PostgreSQL), and over a city-sized ledger on PGlite.
 * Target: p95 < 50 ms on PostgreSQL. Rows come from the seeded generator of province.ts (COPY on
 * PostgreSQL), so the load is quick; the list path measured is the real one (HTTP app,
 * authorisation, audit write, presenter).
 *
 * Run: BENCH_DATABASE_URL=postgres://… npm run bench   (PGlite runs always)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '@tanfang/server/app.js';
import { Vault } from '@tanfang/server/crypto.js';
import { openPglite, openPostgres, type Database } from '@tanfang/server/db/database.js';
import { migrate } from '@tanfang/server/db/migrate.js';
import { loadDemoIfNew } from '@tanfang/server/demo.js';
import { loadBundledRegions } from '@tanfang/server/modules/regions/regions.loader.js';
import { createServices } from '@tanfang/server/services.js';
import { generateElders } from './province.js';
import { percentile, report, timeIt, type Row } from './report.js';

const PASSWORD = 'bench-password-2026';
async function benchOne(kind: string, database: Database, n: number): Promise<Row[]> {
  const log = (s: string) => console.log(s);
  await migrate(database);
  await loadBundledRegions(database.db);
  await loadDemoIfNew(database.db, PASSWORD);
  log(`${kind}: 生成 ${n.toLocaleString()} 位老年人…`);
  const genMs = await generateElders(database, { elders: n, scope: '21' }, log);
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
  // demo-city sees 丹东 (2106): the townships measured are its 89.
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const townships = (
    await database.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'township')
      .where('code', 'like', '2106%')
      .orderBy('code')
      .execute()
  ).map((r) => r.code);
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const rows: Row[] = [
    {
      what: `generate ${n.toLocaleString()} elders (${database.kind === 'postgres' ? 'COPY' : 'INSERT … SELECT'})`,
      database: kind,
      n: 1,
      p50: genMs / 1000,
      p95: genMs / 1000,
      unit: 's',
    },
  ];
  const byTownship = await timeIt(200, (i) =>
    get(`/api/elders?region=${townships[i % townships.length]}&pageSize=20`),
  );
  rows.push({
    what: 'GET /api/elders?region=<township> (page 1 of 20)',
    database: kind,
    n: 200,
    p50: percentile(byTownship, 50),
    p95: percentile(byTownship, 95),
    unit: 'ms',
    target: kind.startsWith('PostgreSQL') ? 'p95 < 50 ms' : undefined,
  });
  const filtered = await timeIt(200, (i) =>
    get(
      `/api/elders?region=${townships[i % townships.length]}&category=living_alone&status=active`,
    ),
  );
  rows.push({
    what: '… + category=living_alone&status=active',
    database: kind,
    n: 200,
    p50: percentile(filtered, 50),
    p95: percentile(filtered, 95),
    unit: 'ms',
  });
  const search = await timeIt(200, (i) =>
    get(`/api/elders?region=${townships[i % townships.length]}&q=wxy`),
  );
  rows.push({
    what: '… + q=wxy (pinyin initials)',
    database: kind,
    n: 200,
    p50: percentile(search, 50),
    p95: percentile(search, 95),
    unit: 'ms',
  });
  const city = await timeIt(50, () => get('/api/elders?pageSize=20'));
  rows.push({
    what: 'GET /api/elders (whole city 丹东, page 1)',
    database: kind,
    n: 50,
    p50: percentile(city, 50),
    p95: percentile(city, 95),
    unit: 'ms',
  });
  await app.close();
  return rows;
}

const rows: Row[] = [];
const pgliteN = Number(process.env['BENCH_PGLITE_ELDERS'] ?? 100_000);
{
  const database = await openPglite({ dataDir: undefined });
  rows.push(...(await benchOne('PGlite', database, pgliteN)));
  await database.close();
}
const url = process.env['BENCH_DATABASE_URL'];
if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists tanfang_bench_ledger with (force)');
  await admin.query('create database tanfang_bench_ledger');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/tanfang_bench_ledger';
  const database = await openPostgres(u.toString());
  rows.push(
    ...(await benchOne(
      'PostgreSQL 15',
      database,
      Number(process.env['BENCH_ELDERS'] ?? 1_000_000),
    )),
  );
  await database.close();
}
report('Ledger list (issue 3)', rows, [
  `Elders spread evenly over the 16,727 real villages of 辽宁 (about 60 per village); PGlite holds ${pgliteN.toLocaleString()} (city size), PostgreSQL 1,000,000.`,
  'Each request is the real path: session, authorisation, the list and count queries, the audit-log write, and the presenter.',
]);
