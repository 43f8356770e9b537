/**
 * Visit-rate benchmark (issue 7): the rate of 辽宁 with its 14 cities for one month, and of a
 * county with its townships, read from the rollup over 1,000,000 elders and about 12,000,000
 * visits on PostgreSQL; PGlite at city size (100,000 elders, about 1,200,000 visits). Also the
 * first planning of the month (once per month, ahead of its first reader) and the recount of
 * `verify-rollups`. Targets (PostgreSQL): province p50 < 100 ms; county p50 < 20 ms. The
 * measured path is the real one: HTTP app, session, authorisation, the rollup read, the audit
 * write.
 *
 * Run: BENCH_DATABASE_URL=postgres://… npm run bench:rollups -w bench
 *      (BENCH_REUSE=1 uses the schedule benchmark's data set, tanfang_bench_schedule, when present)
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
import { percentile, report, timeIt, type Row } from './report.js';

const PASSWORD = 'bench-password-2026';
const COUNTY = '210624'; // 宽甸满族自治县
const MONTH = '2026-10';

async function benchOne(
  kind: string,
  database: Database,
  spec: DatasetSpec,
  reuse: boolean,
  region: string,
): Promise<Row[]> {
  const log = (s: string) => console.log(s);
  await migrate(database);
  if (!reuse) {
    await loadBundledRegions(database.db);
    await loadDemoIfNew(database.db, PASSWORD);
    log(`${kind}: 生成 ${spec.elders.toLocaleString()} 位老年人与 ${spec.months} 个月的探访…`);
    await generateElders(database, spec, log);
    await generateVisiting(database, spec, log);
  } else log(`${kind}: 沿用已生成的数据`);
  // Measured from nothing: the rollup of an earlier run is dropped (BENCH_KEEP_ROLLUP=1 keeps
  // it, to measure the reads again without planning the month anew).
  const keep = reuse && process.env['BENCH_KEEP_ROLLUP'] === '1';
  if (!keep) {
    await database.db.deleteFrom('rollup_months').execute();
    await database.db.deleteFrom('village_rollup').execute();
    await database.db.deleteFrom('compliance').execute();
  }
  await database.db.deleteFrom('sessions').execute();
  const services = createServices(database, { sessionHours: 12 }, new Vault(randomBytes(32)));
  const app = await buildApp(services, {
    trustProxy: false,
    sessionHours: 12,
    secureCookies: 'false',
    logLevel: 'silent',
    webDir: '/nonexistent',
  });
  const elders = Number(
    (
      await database.db
        .selectFrom('elders')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  log(`${kind}: 首次汇总 ${region} ${MONTH}（${elders.toLocaleString()} 位老年人）…`);
  const t0 = performance.now();
  await services.rollups.ensurePlanned(region, MONTH);
  const planS = (performance.now() - t0) / 1000;
  const windows = Number(
    (
      await database.db
        .selectFrom('compliance')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  // A province-wide reader (审计人员 of 辽宁).
  await database.db.deleteFrom('users').where('username', '=', 'bench-auditor').execute();
  await database.db
    .insertInto('users')
    .values({
      id: '00000000-0000-7000-8000-300000000000',
      username: 'bench-auditor',
      display_name: '辽宁省审计',
      role: 'auditor',
      jurisdiction: '21',
      phone: null,
      password_hash: await hashPassword(PASSWORD),
    })
    .execute();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'bench-auditor', password: PASSWORD },
  });
  if (login.statusCode !== 200) throw new Error(`登录失败：${login.body}`);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const get = async (url: string) => {
    const r = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error(`${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    return r;
  };
  const rows: Row[] = keep
    ? []
    : [
        {
          what: `first planning of ${MONTH} for ${region} (${elders.toLocaleString()} elders → ${windows.toLocaleString()} windows, visits read from raw)`,
          database: kind,
          n: 1,
          p50: planS,
          p95: planS,
          unit: 's',
        },
      ];
  const top = region.length === 2 ? region : region.slice(0, 4);
  const first = (await get(`/api/visit-rate?region=${top}&period=${MONTH}`)).json() as {
    rows: unknown[];
    total: { due: number; rate: number | null };
  };
  const province = await timeIt(50, () => get(`/api/visit-rate?region=${top}&period=${MONTH}`), 2);
  rows.push({
    what: `GET /api/visit-rate ${top === '21' ? '辽宁' : top} (${first.rows.length} child regions, ${first.total.due.toLocaleString()} due, rate ${((first.total.rate ?? 0) * 100).toFixed(1)}%)`,
    database: kind,
    n: 50,
    p50: percentile(province, 50),
    p95: percentile(province, 95),
    p99: percentile(province, 99),
    unit: 'ms',
    target: kind.startsWith('PostgreSQL') ? 'p50 < 100 ms' : undefined,
  });
  const county = await timeIt(
    100,
    () => get(`/api/visit-rate?region=${COUNTY}&period=${MONTH}`),
    2,
  );
  const countyBody = (await get(`/api/visit-rate?region=${COUNTY}&period=${MONTH}`)).json() as {
    rows: unknown[];
  };
  rows.push({
    what: `GET /api/visit-rate 宽甸县 (${countyBody.rows.length} townships)`,
    database: kind,
    n: 100,
    p50: percentile(county, 50),
    p95: percentile(county, 95),
    p99: percentile(county, 99),
    unit: 'ms',
    target: kind.startsWith('PostgreSQL') ? 'p50 < 20 ms' : undefined,
  });
  const byCategory = await timeIt(20, () =>
    get(`/api/visit-rate?region=${top}&period=${MONTH}&by=category`),
  );
  rows.push({
    what: `GET /api/visit-rate ${top} by category`,
    database: kind,
    n: 20,
    p50: percentile(byCategory, 50),
    p95: percentile(byCategory, 95),
    unit: 'ms',
  });
  const v0 = performance.now();
  const drift = await services.rollups.verify(COUNTY, MONTH);
  const verifyS = (performance.now() - v0) / 1000;
  rows.push({
    what: `verify-rollups 宽甸县 ${MONTH}: recount from raw visits — ${drift.length} differences`,
    database: kind,
    n: 1,
    p50: verifyS,
    p95: verifyS,
    unit: 's',
  });
  await app.close();
  return rows;
}

const rows: Row[] = [];
if (process.env['BENCH_SKIP_PGLITE'] !== '1') {
  const database = await openPglite({ dataDir: undefined });
  rows.push(
    ...(await benchOne(
      'PGlite',
      database,
      {
        elders: Number(process.env['BENCH_PGLITE_ELDERS'] ?? 100_000),
        scope: '2106',
        focusCounty: COUNTY,
        focusShare: 0.3,
        months: 12,
        lastMonth: '2026-11-01',
      },
      false,
      '2106',
    )),
  );
  await database.close();
}
const url = process.env['BENCH_DATABASE_URL'];
if (url) {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
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
      '21',
    )),
  );
  await database.close();
}
report('Visit rate from the rollup (issue 7)', rows, [
  'The data set of the schedule benchmark: PostgreSQL 1,000,000 elders over the real villages of 辽宁 (100,000 in 宽甸县) with twelve months of visits; PGlite 100,000 elders in 丹东.',
  `The rollup is dropped first, so the first row is the month's planning from nothing (once per month; the server does it ahead of the first reader). Then ${MONTH}'s rate of the province (cities), of 宽甸县 (townships) and by category, through the HTTP app as a province-wide 审计人员, after two warm-up requests; and a recount of 宽甸县 from raw visits.`,
]);
