/**
 * Schedule benchmark (issue 4): a visitor's worklist (50 elders) and a county's due/overdue for a
 * month, over 1,000,000 elders and about 12,000,000 visits on PostgreSQL (100,000 of the elders
 * in 宽甸县), and at city size on PGlite (100,000 elders in 丹东, about 1,200,000 visits).
 * Targets (PostgreSQL): worklist p99 < 20 ms; county month < 1 s. The measured path is the real
 * one: HTTP app, session, authorisation, queries, the schedule engine, the audit write.
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
import { hashPassword } from '@tanfang/server/modules/auth/passwords.js';
import { loadBundledRegions } from '@tanfang/server/modules/regions/regions.loader.js';
import { createServices } from '@tanfang/server/services.js';
import { generateElders, generateVisiting, type DatasetSpec } from './province.js';
import { visitorAccount } from './accounts.js';
import { percentile, report, timeIt, type Row } from './report.js';

const PASSWORD = 'bench-password-2026';
const COUNTY = '210624'; // 宽甸满族自治县: demo-county's jurisdiction
const VISITOR_USERS = 20;

async function benchOne(
  kind: string,
  database: Database,
  spec: DatasetSpec,
  reuse: boolean,
): Promise<Row[]> {
  const log = (s: string) => console.log(s);
  let genS = 0;
  let timings: Record<string, number> = {};
  if (!reuse) {
    await migrate(database);
    await loadBundledRegions(database.db);
    await loadDemoIfNew(database.db, PASSWORD);
    log(`${kind}: 生成 ${spec.elders.toLocaleString()} 位老年人与 ${spec.months} 个月的探访…`);
    const t0 = performance.now();
    await generateElders(database, spec, log);
    timings = await generateVisiting(database, spec, log);
    genS = (performance.now() - t0) / 1000;
  } else {
    log(`${kind}: 沿用已生成的数据（BENCH_REUSE=1）`);
    await database.db.deleteFrom('sessions').execute();
  }
  const visits = Number(
    (
      await database.db
        .selectFrom('visits')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  // Visitor accounts for the first visitors of the county's villages (50 elders each).
  const hash = await hashPassword(PASSWORD);
  const visitors = await database.db
    .selectFrom('visitors')
    .select(['id', 'region_code'])
    .where('region_code', 'like', `${COUNTY}%`)
    .orderBy('region_code')
    .orderBy('id')
    .limit(VISITOR_USERS * 2)
    .execute();
  const chosen = visitors.filter((_, i) => i % 2 === 0).slice(0, VISITOR_USERS);
  // (Made again when reusing: the data set may come from another benchmark, e.g. rollups.ts.)
  for (const [i, v] of chosen.entries()) {
    await visitorAccount(database, {
      id: `00000000-0000-7000-8000-${String(100000000000 + i)}`,
      username: `bench-visitor-${i}`,
      displayName: `探访员${i}`,
      visitor: v,
      passwordHash: hash,
    });
  }
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
  const login = async (username: string) => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
    });
    if (r.statusCode !== 200) throw new Error(`登录失败 ${username}: ${r.body}`);
    return String(r.headers['set-cookie']).split(';')[0]!;
  };
  const cookies: string[] = [];
  for (let i = 0; i < chosen.length; i++) cookies.push(await login(`bench-visitor-${i}`));
  const countyCookie = await login('demo-county');
  const get = async (url: string, cookie: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    return r;
  };
  const sample = await get('/api/worklist', cookies[0]!);
  const elders = (sample.json() as { elders: number }).elders;
  const rows: Row[] = [];
  if (!reuse)
    rows.push({
      what: `generate ${spec.elders.toLocaleString()} elders + ${visits.toLocaleString()} visits (${database.kind === 'postgres' ? 'COPY' : 'INSERT … SELECT'}; visits ${timings['探访记录']!.toFixed(0)} s)`,
      database: kind,
      n: 1,
      p50: genS,
      p95: genS,
      unit: 's',
    });
  const worklist = await timeIt(500, (i) => get('/api/worklist', cookies[i % cookies.length]!));
  rows.push({
    what: `GET /api/worklist (one visitor, ${elders} elders)`,
    database: kind,
    n: 500,
    p50: percentile(worklist, 50),
    p95: percentile(worklist, 95),
    p99: percentile(worklist, 99),
    unit: 'ms',
    target: kind.startsWith('PostgreSQL') ? 'p99 < 20 ms' : undefined,
  });
  const countyElders = Number(
    (
      await database.db
        .selectFrom('elders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('county_code', '=', COUNTY)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const summary = await timeIt(
    10,
    () => get(`/api/schedule/summary?region=${COUNTY}&period=2026-10`, countyCookie),
    1,
  );
  rows.push({
    what: `GET /api/schedule/summary (county, ${countyElders.toLocaleString()} elders, one month)`,
    database: kind,
    n: 10,
    p50: percentile(summary, 50),
    p95: percentile(summary, 95),
    unit: 'ms',
    target: kind.startsWith('PostgreSQL') ? '< 1 s' : undefined,
  });
  const townships = (
    await database.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'township')
      .where('code', 'like', `${COUNTY}%`)
      .orderBy('code')
      .execute()
  ).map((r) => r.code);
  const township = await timeIt(
    20,
    (i) => get(`/api/worklist?region=${townships[i % townships.length]}`, countyCookie),
    1,
  );
  rows.push({
    what: 'GET /api/worklist?region=<township> (overdue by visitor, unassigned)',
    database: kind,
    n: 20,
    p50: percentile(township, 50),
    p95: percentile(township, 95),
    unit: 'ms',
  });
  await app.close();
  return rows;
}

const rows: Row[] = [];
const pgliteN = Number(process.env['BENCH_PGLITE_ELDERS'] ?? 100_000);
if (process.env['BENCH_SKIP_PGLITE'] !== '1') {
  const database = await openPglite({ dataDir: undefined });
  rows.push(
    ...(await benchOne(
      'PGlite',
      database,
      {
        elders: pgliteN,
        scope: '2106',
        focusCounty: COUNTY,
        focusShare: 0.3,
        months: 12,
        lastMonth: '2026-11-01',
      },
      false,
    )),
  );
  await database.close();
}
const url = process.env['BENCH_DATABASE_URL'];
if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // BENCH_REUSE=1 measures again on the data of an earlier run (generation takes minutes).
  const exists =
    (await admin.query("select 1 from pg_database where datname = 'tanfang_bench_schedule'"))
      .rowCount === 1;
  const reuse = process.env['BENCH_REUSE'] === '1' && exists;
  if (!reuse) {
    await admin.query('drop database if exists tanfang_bench_schedule with (force)');
    await admin.query('create database tanfang_bench_schedule');
  }
  await admin.end();
  const u = new URL(url);
  u.pathname = '/tanfang_bench_schedule';
  const database = await openPostgres(u.toString());
  rows.push(
    ...(await benchOne(
      'PostgreSQL 15',
      database,
      {
        elders: Number(process.env['BENCH_ELDERS'] ?? 1_000_000),
        scope: '21',
        focusCounty: COUNTY,
        focusShare: 0.1,
        months: 12,
        lastMonth: '2026-11-01',
      },
      reuse,
    )),
  );
  await database.close();
}
report('Schedule: worklists and due/overdue (issue 4)', rows, [
  `PostgreSQL: 1,000,000 elders over the 16,727 real villages of 辽宁, 100,000 of them in 宽甸县 (${COUNTY}); PGlite: ${pgliteN.toLocaleString()} elders in 丹东, 30% in 宽甸县. Twelve months of visits (Dec 2025 – Nov 2026): 95% of elders each month, 8% of those twice, 3% entered 12 days late; 2% of elders died during the year.`,
  'Policies: 丹东 monthly for the province, 沈阳 weekly (高风险) and quarterly (一般); a heating-season campaign in 丹东. One visitor per 50 elders of a village, each elder with a primary visitor.',
  'Worklist: 20 visitor accounts of 宽甸 villages in turn, 500 requests. Summary: demo-county, 2026-10, 10 runs after one warm-up (which plans the month in the visit-rate rollup when it is not yet; the summary reads the rollup since 2026-12-06, the schedule engine before). Each request is the real path (session, authorisation, queries, audit write).',
]);
