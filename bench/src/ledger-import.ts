/**
 * Census import benchmark (issue 3): a deterministic 100,000-row 摸底登记 .xlsx, uploaded through
 * the HTTP API and imported end to end (parse, validate, encrypt, write) on PGlite and, when
 * BENCH_DATABASE_URL is set, on PostgreSQL (a scratch database it drops and recreates). Each
 * database runs in a child process of its own, so its peak RSS is its own. Target: ≥ 3,000 rows/s
 * with memory under 500 MB.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { idCheckCharacter, uuidv7 } from '@tanfang/domain';
import { buildApp } from '@tanfang/server/app.js';
import { Vault } from '@tanfang/server/crypto.js';
import { migrate } from '@tanfang/server/db/migrate.js';
import { openPglite, openPostgres, type Database } from '@tanfang/server/db/database.js';
import { hashPassword } from '@tanfang/server/modules/auth/passwords.js';
import { XLSX_TYPE, writeLedgerWorkbook } from '@tanfang/server/modules/imports/ledger-sheet.js';
import type { ImportDto } from '@tanfang/server/modules/imports/imports.service.js';
import { loadBundledRegions } from '@tanfang/server/modules/regions/regions.loader.js';
import { insertUser } from '@tanfang/server/modules/users/users.repository.js';
import { createServices } from '@tanfang/server/services.js';
import { report, type Row } from './report.js';

const ROWS = Number(process.env['BENCH_IMPORT_ROWS'] ?? 100_000);
const SCOPE = '2106'; // 丹东市
const PASSWORD = 'bench-password-2026';

/** mulberry32: a small deterministic generator. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕';
const GIVEN = '秀英桂兰玉珍淑芬凤兰秀兰秀珍玉兰桂英建国志强德福长海明'.split('');

/** The rows of the sheet, in the template's order (Chinese labels, as a census office fills it). */
function* censusRows(villages: string[]): Generator<(string | number | null)[]> {
  const rnd = random(20261122);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const used = new Set<string>();
  for (let i = 0; i < ROWS; i++) {
    const village = villages[i % villages.length]!;
    let id: string;
    do {
      const year = 1925 + Math.floor(rnd() * 40);
      const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
      const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
      const seq = String(Math.floor(rnd() * 1000)).padStart(3, '0');
      const first17 = `${village.slice(0, 6)}${year}${month}${day}${seq}`;
      id = first17 + idCheckCharacter(first17);
    } while (used.has(id));
    used.add(id);
    const phone = `139${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
    const name = pick(SURNAMES.split('')) + pick(GIVEN) + (rnd() < 0.6 ? pick(GIVEN) : '');
    const disabled = rnd() < 0.15;
    const children = Math.floor(rnd() * 4);
    const childCells: (string | null)[] = [];
    for (let c = 1; c <= 3; c++) {
      if (c > children) {
        childCells.push(null, null, null, null, null);
        continue;
      }
      const away = rnd() < 0.7;
      childCells.push(
        pick(SURNAMES.split('')) + pick(GIVEN) + pick(GIVEN),
        `138${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
        away ? pick(['大连市', '沈阳市', '北京市', '天津市', '丹东市振兴区']) : null,
        away
          ? `20${String(10 + Math.floor(rnd() * 16))}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}`
          : null,
        away ? pick(['每年春节', '每月一次', '半年一次']) : null,
      );
    }
    const caregiver = rnd() < 0.3;
    yield [
      name,
      id,
      pick(['汉族', '满族', '朝鲜族', '回族']),
      '辽宁省丹东市',
      village,
      `${1 + Math.floor(rnd() * 9)}组${1 + Math.floor(rnd() * 80)}号`,
      rnd() < 0.9 ? '是' : '否',
      phone,
      pick(SURNAMES.split('')) + pick(GIVEN) + pick(GIVEN),
      `137${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
      disabled ? '是' : '否',
      disabled ? `${id}4${1 + Math.floor(rnd() * 4)}` : null,
      disabled ? 1 + Math.floor(rnd() * 4) : null,
      pick(['健康', '健康', '部分失能', '失能']),
      rnd() < 0.5 ? pick(['高血压', '糖尿病', '脑梗后遗症', '冠心病、高血压']) : null,
      pick(['良好', '一般', '一般', '贫困']),
      pick(['养老金', '养老金、子女赡养', '劳动收入', '社会救助、养老金']),
      pick(['无', '无', '无', '低保', '特困']),
      200 + Math.floor(rnd() * 3000),
      rnd() < 0.95 ? '是' : '否',
      rnd() < 0.95 ? '是' : '否',
      rnd() < 0.9 ? '是' : '否',
      rnd() < 0.2 ? pick(['独居', '空巢', '计划生育特殊家庭']) : null,
      ...childCells,
      caregiver ? pick(SURNAMES.split('')) + pick(GIVEN) + pick(GIVEN) : null,
      caregiver ? pick(['邻居', '侄子', '村干部']) : null,
      caregiver ? `136${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}` : null,
      caregiver ? '本村' : null,
      `2026-${String(1 + Math.floor(rnd() * 10)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
    ];
  }
}

async function freshPostgres(url: string): Promise<string> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('drop database if exists tanfang_bench_import with (force)');
  await admin.query('create database tanfang_bench_import');
  await admin.end();
  const u = new URL(url);
  u.pathname = '/tanfang_bench_import';
  return u.toString();
}

/** One child: imports the file twice (new records, then all unchanged) on one database. */
async function child(kind: 'pglite' | 'postgres', file: string): Promise<void> {
  let database: Database;
  let dataDir: string | undefined;
  if (kind === 'pglite') {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-bench-import-'));
    database = await openPglite({ dataDir });
  } else {
    database = await openPostgres(await freshPostgres(process.env['BENCH_DATABASE_URL']!));
  }
  await migrate(database);
  await loadBundledRegions(database.db);
  const user = await insertUser(database.db, {
    id: uuidv7(),
    username: 'bench-county',
    display_name: '压测',
    role: 'admin',
    jurisdiction: SCOPE,
    phone: null,
    password_hash: await hashPassword(PASSWORD),
  });
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
    payload: { username: user.username, password: PASSWORD },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const csrf = (login.json() as { csrfToken: string }).csrfToken;
  // A real HTTP server, the file streamed from disk as a browser would upload it.
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const upload = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/imports/elders?mode=all_or_nothing',
          headers: {
            cookie,
            'x-csrf-token': csrf,
            'content-type': XLSX_TYPE,
            'content-length': fs.statSync(file).size,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      fs.createReadStream(file).pipe(req);
    });

  const baseMb = process.memoryUsage().rss / 2 ** 20;
  const results: {
    what: string;
    rate: number;
    seconds: number;
    peakMb: number;
    baseMb: number;
    dto: ImportDto;
  }[] = [];
  for (const what of ['new records', 're-import, unchanged'] as const) {
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 100);
    const t0 = performance.now();
    const started = await upload();
    if (started.status !== 202) throw new Error(`upload: ${started.status} ${started.body}`);
    const id = (JSON.parse(started.body) as { id: string }).id;
    let dto: ImportDto;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      dto = (
        await app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: { cookie } })
      ).json() as ImportDto;
      if (dto.status !== 'running') break;
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    if (dto.status !== 'done' || dto.progress.invalid > 0) {
      throw new Error(`import ${what}: ${JSON.stringify(dto).slice(0, 2000)}`);
    }
    results.push({ what, rate: ROWS / seconds, seconds, peakMb: peak / 2 ** 20, baseMb, dto });
  }
  await app.close();
  await database.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write(
    `RESULT ${JSON.stringify(results.map(({ dto: _, ...r }) => ({ ...r, summary: _.summary })))}\n`,
  );
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-bench-file-'));
  const file = path.join(dir, `census-${ROWS}.xlsx`);
  const setup = await openPglite({ dataDir: undefined });
  await migrate(setup);
  await loadBundledRegions(setup.db);
  const villages = (
    await setup.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'village')
      .where('code', 'like', `${SCOPE}%`)
      .orderBy('code')
      .execute()
  ).map((r) => r.code);
  await setup.close();
  const t0 = performance.now();
  const n = await writeLedgerWorkbook(fs.createWriteStream(file), censusRows(villages));
  const generated = (performance.now() - t0) / 1000;
  const size = fs.statSync(file).size;
  console.log(
    `生成 ${n} 行（${villages.length} 个村）：${(size / 2 ** 20).toFixed(1)} MB，用时 ${generated.toFixed(1)} s`,
  );

  const rows: Row[] = [];
  const kinds: ('pglite' | 'postgres')[] = ['pglite'];
  if (process.env['BENCH_DATABASE_URL']) kinds.push('postgres');
  for (const kind of kinds) {
    const script = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, [script, '--child', kind, file], {
      encoding: 'utf8',
      env: process.env,
      maxBuffer: 64 * 2 ** 20,
    });
    process.stderr.write(r.stderr);
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (r.status !== 0 || !line) throw new Error(`${kind} run failed (${r.status}):\n${r.stdout}`);
    const label = kind === 'pglite' ? 'PGlite' : 'PostgreSQL 15';
    const results = JSON.parse(line.slice(7)) as {
      what: string;
      rate: number;
      seconds: number;
      peakMb: number;
      baseMb: number;
    }[];
    for (const res of results) {
      rows.push({
        what: `import ${n.toLocaleString('en-US')} rows .xlsx, ${res.what} (rows/s end to end; ${res.seconds.toFixed(1)} s)`,
        database: label,
        n: 1,
        p50: res.rate,
        p95: res.rate,
        unit: 'rows/s',
        target: '≥ 3000',
      });
      rows.push({
        what: `peak RSS during that import (${Math.round(res.baseMb)} MB before it: app and database loaded)`,
        database: label,
        n: 1,
        p50: res.peakMb,
        p95: res.peakMb,
        unit: 'MB',
        target: '< 500',
      });
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  report('Census import (issue 3)', rows, [
    `A deterministic ${n.toLocaleString('en-US')}-row 摸底登记 file (${(size / 2 ** 20).toFixed(1)} MB, every column used as a census office would, ${villages.length} villages of 丹东市), uploaded with POST /api/imports/elders?mode=all_or_nothing and polled until done: upload checks, parse (exceljs streaming reader), schema and ledger rules, ID-number hash and AES-GCM encryption, writes of 500 rows per statement with status history and audit entries.`,
    'The sheet is parsed and schema-checked in a worker thread. On PostgreSQL the import is one pass in one transaction, each batch written while the next is parsed. On PGlite (one session shared with the HTTP server) all-or-nothing checks every row first (the valid ones spilled to a temporary file), then writes in per-batch transactions, so the two phases add up.',
    'Targets: PostgreSQL meets the speed target, PGlite does not (its writes of elders with six indexes, status history and audit rows are the bound: about 100–200 ms per 500-row batch in the WASM database). Memory is over 500 MB on both. On PGlite the database worker holds 600–950 MB before any import. On PostgreSQL the import adds about 360 MB to the app at rest: about 125 MB is the parsing worker’s heap, the rest is the main thread’s heap between collections. RSS does not grow with the number of rows.',
    'Measured on a 2-core machine shared with another engineer’s browser tests (load average 2–3); between runs the rates varied by about ±15%.',
    'The file is uploaded over a real HTTP connection (streamed from disk) to the app listening on a local port.',
    'Peak RSS is the resident memory of the importing process (HTTP app, the sheet-parsing worker thread and, on PGlite, the database worker thread included), sampled every 100 ms; the figure before the import shows what the app and its database hold at rest.',
  ]);
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1] as 'pglite' | 'postgres', args[2]!);
else await main();
