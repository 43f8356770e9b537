/**
 * Ledger list benchmark (issue 3): GET /api/elders filtered to one township, over 1,000,000
 * elders spread over the real villages of 辽宁 (PostgreSQL), and over a city-sized ledger on PGlite.
 * Target: p95 < 50 ms on PostgreSQL. Rows are generated in SQL (deterministic), so the load is
 * quick; the list path measured is the real one (HTTP app, authorisation, audit write, presenter).
 *
 * Run: BENCH_DATABASE_URL=postgres://… npm run bench   (PGlite runs always)
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '@tanfang/server/app.js';
import { Vault } from '@tanfang/server/crypto.js';
import { openPglite, openPostgres, type Database } from '@tanfang/server/db/database.js';
import { migrate } from '@tanfang/server/db/migrate.js';
import { loadDemoIfNew } from '@tanfang/server/demo.js';
import { loadBundledRegions } from '@tanfang/server/modules/regions/regions.loader.js';
import { createServices } from '@tanfang/server/services.js';
import { percentile, report, timeIt, type Row } from './report.js';

const PASSWORD = 'bench-password-2026';
const NAMES: [string, string][] = [
  ['王秀英', 'wxy'],
  ['李桂兰', 'lgl'],
  ['张玉兰', 'zyl'],
  ['刘淑珍', 'lsz'],
  ['陈凤英', 'cfy'],
  ['杨秀兰', 'yxl'],
  ['赵玉珍', 'zyz'],
  ['黄桂英', 'hgy'],
  ['周淑兰', 'zsl'],
  ['吴玉英', 'wyy'],
  ['徐振华', 'xzh'],
  ['孙德明', 'sdm'],
  ['马国庆', 'mgq'],
  ['朱建国', 'zjg'],
  ['胡长海', 'hch'],
  ['郭永福', 'gyf'],
  ['何桂芝', 'hgz'],
  ['高凤兰', 'gfl'],
  ['林宝山', 'lbs'],
  ['罗淑芬', 'lsf'],
];
const DATA = JSON.stringify({
  name: '',
  ethnicity: '满族',
  registeredAddress: '辽宁省',
  addressDetail: '一组',
  livesAtRegisteredPlace: true,
  categories: [],
  health: 'healthy',
  livingSituation: 'fair',
  incomeSources: ['pension'],
  assistance: 'none',
  monthlyHouseholdIncome: 1200,
  benefits: [{ kind: 'pension', monthlyAmount: 180 }],
  livingConditions: { safeWater: true, safeElectricity: true, safeHousing: true },
  householdMembers: [],
  supporters: [
    {
      kind: 'child',
      name: '李明',
      workPlace: '大连市',
      awaySince: '2020-03',
      returnFrequency: '每年春节',
    },
  ],
  help: [],
  recordDate: '2026-01-05',
});

/** Inserts `n` elders over the villages of province 21, in chunks, deterministically. */
async function generate(database: Database, n: number, log: (s: string) => void): Promise<number> {
  const chunk = 100_000;
  const t0 = performance.now();
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await sql`
      with v as (select array_agg(code order by code) as a, count(*)::int as n from regions where level = 'village' and code like '21%'),
      nm as (select ${NAMES.map((x) => x[0])}::text[] as names, ${NAMES.map((x) => x[1])}::text[] as initials)
      insert into elders (id, county_code, village_code, name, name_initials, gender, birth_date, id_hash, id_enc, id_masked,
        phone_enc, phone_masked, categories, tier, status, status_since, contradiction_count, data, evaluation, version)
      select md5('elder' || i)::uuid,
             substr(v.a[(i % v.n) + 1], 1, 6),
             v.a[(i % v.n) + 1],
             nm.names[(i % 20) + 1], nm.initials[(i % 20) + 1],
             case when i % 2 = 0 then 'female' else 'male' end,
             date '1930-01-01' + (i % 10950),
             md5('id' || i), 'v1:bench', '210624********' || lpad((i % 10000)::text, 4, '0'),
             null, '139****' || lpad((i % 10000)::text, 4, '0'),
             case i % 5 when 0 then array['living_alone'] when 1 then array['left_behind', 'very_old'] when 2 then array['empty_nest'] else array[]::text[] end,
             case i % 7 when 0 then 'high_risk' when 1 then 'key' when 2 then 'key' else 'general' end,
             case when i % 50 = 0 then 'deceased' else 'active' end,
             date '2026-01-05', i % 3, ${DATA}::jsonb, '{"findings":[],"contradictions":[],"tier":{"computed":"general","effective":"general","reasons":[]}}'::jsonb, 1
      from generate_series(${from}::int, ${to}::int) as i, v, nm`.execute(database.db);
    log(
      `  已生成 ${to.toLocaleString()} / ${n.toLocaleString()}（${((to / ((performance.now() - t0) / 1000)) | 0).toLocaleString()} 行/秒）`,
    );
  }
  await sql`analyze elders`.execute(database.db);
  return performance.now() - t0;
}

async function benchOne(kind: string, database: Database, n: number): Promise<Row[]> {
  const log = (s: string) => console.log(s);
  await migrate(database);
  await loadBundledRegions(database.db);
  await loadDemoIfNew(database.db, PASSWORD);
  log(`${kind}: 生成 ${n.toLocaleString()} 位老年人…`);
  const genMs = await generate(database, n, log);
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
      what: `generate ${n.toLocaleString()} elders (SQL)`,
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
