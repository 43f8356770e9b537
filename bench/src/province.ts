/**
 * A deterministic province-sized data set (issue 7): elders over the real villages of a region,
 * part of them concentrated in one county; their status history (2% die during the year); visitors
 * (one per 50 elders of a village) and primary assignments; the 丹东 monthly rule for the province
 * and the 2022 national tiering for 沈阳; a heating-season campaign in 丹东; twelve months of visits
 * (95% of elders visited each month, 8% of them twice, 3% entered late, methods mixed) with the 丹东
 * form's answers; the findings those answers raise (about 3% of visits; 0.2% emergencies), with
 * deadlines and a status mix, and the disposal record of each one dealt with.
 *
 * The rows are made in JS (province-rows.ts: seeded, so the same spec gives byte-identical rows;
 * the seed is `DatasetSpec.seed`, default `DEFAULT_SEED` = 7) and streamed into the database
 * (bulk-load.ts: COPY FROM STDIN on PostgreSQL, INSERT … SELECT over split text on PGlite), with
 * the secondary indexes dropped during the load and rebuilt after. Ciphertext columns hold a
 * placeholder: the benchmarks never decrypt.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Database } from '@tanfang/server/db/database.js';
import {
  createIndexes,
  dropSecondaryIndexes,
  openBulkSession,
  type BulkSession,
} from './bulk-load.js';
import {
  ASSIGNMENT_COLUMNS,
  DISPOSAL_COLUMNS,
  ELDER_COLUMNS,
  FINDING_COLUMNS,
  FINDING_EVENT_COLUMNS,
  HEATING_CAMPAIGN,
  STATUS_HISTORY_COLUMNS,
  VISITOR_COLUMNS,
  VISIT_COLUMNS,
  assignmentLines,
  disposalLines,
  elderLines,
  findingEventLines,
  findingLines,
  layoutOf,
  statusHistoryLines,
  visitLines,
  visitorLines,
  type Layout,
} from './province-rows.js';

export { DEFAULT_SEED } from './province-rows.js';

/** Where and how many. */
export interface DatasetSpec {
  elders: number;
  /** Region prefix whose villages hold the elders (21 = 辽宁, 2106 = 丹东). */
  scope: string;
  /** A county that gets `focusShare` of the elders (the rest spread over every village). */
  focusCounty?: string;
  focusShare?: number;
  /** Months of visits, ending with `lastMonth`. */
  months: number;
  /** First day of the last month visited, e.g. 2026-11-01. */
  lastMonth: string;
  /** The generator's seed (default `DEFAULT_SEED`): the same spec and seed give the same rows. */
  seed?: number;
  /** Keep the secondary indexes during the load (to compare with dropping and rebuilding them). */
  keepIndexes?: boolean;
  /**
   * Connections the visits stream on at the same time on PostgreSQL, each with every n-th month
   * (default 2: the database parses while the other connection's rows are made).
   */
  copyStreams?: number;
}

/** Timings of each step, seconds. */
export type Timings = Record<string, number>;

/** How one table loaded. */
export interface TableLoad {
  table: string;
  rows: number;
  /** Streaming the rows in. */
  seconds: number;
  /** Rebuilding the secondary indexes dropped for the load. */
  indexSeconds: number;
}

let cached: { database: Database; key: string; layout: Layout } | undefined;

/** The layout of a spec over the villages in the database (kept for the next call). */
async function layoutFor(database: Database, spec: DatasetSpec): Promise<Layout> {
  // Where elders live and who visits them does not depend on the months.
  const key = JSON.stringify([
    spec.elders,
    spec.scope,
    spec.focusCounty,
    spec.focusShare,
    spec.seed,
  ]);
  if (cached?.database === database && cached.key === key) return { ...cached.layout, spec };
  const villages = async (prefix: string) =>
    (
      await database.db
        .selectFrom('regions')
        .select('code')
        .where('level', '=', 'village')
        .where('code', 'like', `${prefix}%`)
        .orderBy('code')
        .execute()
    ).map((r) => r.code);
  const layout = layoutOf(
    spec,
    await villages(spec.scope),
    spec.focusCounty ? await villages(spec.focusCounty) : [],
  );
  cached = { database, key, layout };
  return layout;
}

/** Loads one table, with its secondary indexes dropped meanwhile (unless kept); logs progress. */
async function loadTable(
  session: BulkSession,
  label: string,
  table: string,
  columns: readonly string[],
  sources: Iterable<string>[],
  keepIndexes: boolean,
  log: (s: string) => void,
): Promise<TableLoad> {
  const defs = keepIndexes ? [] : await dropSecondaryIndexes(session, table);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let last = t0;
  const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString();
  const rows = await session.load(table, columns, sources, (n) => {
    if (performance.now() - last < 5000) return;
    last = performance.now();
    log(`  ${label}：${n.toLocaleString()} 行（${rate(n, (last - t0) / 1000)} 行/秒）`);
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const t1 = performance.now();
  await createIndexes(session, defs);
  const indexSeconds = (performance.now() - t1) / 1000;
  log(
    `  ${label}（${table}）：${rows.toLocaleString()} 行，${seconds.toFixed(1)} 秒（${rate(rows, seconds)} 行/秒，Node 进程 CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} 秒）${defs.length ? `；重建 ${defs.length} 个索引 ${indexSeconds.toFixed(1)} 秒` : ''}`,
  );
  return { table, rows, seconds, indexSeconds };
}

async function withSession<T>(
  database: Database,
  fn: (session: BulkSession) => Promise<T>,
): Promise<T> {
  const session = await openBulkSession(database);
  try {
    return await fn(session);
  } finally {
    await session.close();
  }
}

async function loadElders(
  database: Database,
  spec: DatasetSpec,
  log: (s: string) => void,
): Promise<TableLoad> {
  const layout = await layoutFor(database, spec);
  return withSession(database, async (session) => {
    const load = await loadTable(
      session,
      '老年人',
      'elders',
      ELDER_COLUMNS,
      [elderLines(layout)],
      spec.keepIndexes ?? false,
      log,
    );
    await session.query('analyze elders');
    return load;
  });
}

/** Inserts `n` elders over the villages of a region; milliseconds taken. */
export async function generateElders(
  database: Database,
  spec: Pick<
    DatasetSpec,
    'elders' | 'scope' | 'focusCounty' | 'focusShare' | 'seed' | 'keepIndexes'
  >,
  log: (s: string) => void,
): Promise<number> {
  const t0 = performance.now();
  await loadElders(database, { months: 0, lastMonth: '2026-11-01', ...spec }, log);
  return performance.now() - t0;
}

/** The visit rules and the campaign of the data set (a handful of rows, in SQL). */
async function insertPolicies(database: Database, spec: DatasetSpec): Promise<void> {
  const db = database.db;
  const at = '2024-11-20T09:00:00+08:00';
  const policy = (
    id: string,
    region: string,
    name: string,
    tiers: string[],
    cadence: string,
    from: string,
  ) =>
    sql`
      with p as (insert into visit_policies (id, region_code, preset, created_at)
                 values (${id}::uuid, ${region}, 'bench', ${at}::timestamptz) returning id)
      insert into visit_policy_versions (policy_id, version, effective_from, name, tiers, categories, cadence,
                                         counted_methods, template_key, created_at)
      select id, 1, ${from}::date, ${name}, ${tiers}::text[], '{}', ${cadence}::jsonb,
             '{in_person,phone,video,other}', 'dandong-2023', ${at}::timestamptz from p`.execute(
      db,
    );
  await policy(
    '00000000-0000-7000-8000-000000000001',
    spec.scope.slice(0, 2),
    '特殊困难老年人每月探访',
    [],
    '{"kind":"monthly"}',
    '2024-12-01',
  );
  await policy(
    '00000000-0000-7000-8000-000000000002',
    '2101',
    '高风险对象每周探访',
    ['high_risk'],
    '{"kind":"weekly"}',
    '2025-06-01',
  );
  await policy(
    '00000000-0000-7000-8000-000000000003',
    '2101',
    '一般对象每季度探访',
    ['general'],
    '{"kind":"quarterly"}',
    '2025-06-01',
  );
  const c = HEATING_CAMPAIGN;
  await sql`insert into campaigns (id, region_code, name, kind, starts_at, ends_at, within_value, within_unit,
      tiers, categories, counted_methods, checklist, created_at)
    values ('00000000-0000-7000-8000-0000000000c1', ${c.region}, '供暖季入户走访', 'heating_season',
            ${c.startsAt}::timestamptz, ${c.endsAt}::timestamptz, 14, 'days', ${c.tiers}::text[], '{}',
            '{in_person,phone,video}', ${JSON.stringify(c.checklist)}::jsonb, '2026-10-25T09:00:00+08:00')`.execute(
    db,
  );
}

/** Months 0 … months - 1 dealt out to `n` streams. */
function monthsIn(months: number, n: number): number[][] {
  const out: number[][] = Array.from({ length: Math.max(1, Math.min(n, months)) }, () => []);
  for (let m = 0; m < months; m++) out[m % out.length]!.push(m);
  return out;
}

/** Everything after the elders; each table's load, and the time of each step. */
async function loadVisiting(
  database: Database,
  spec: DatasetSpec,
  log: (s: string) => void,
): Promise<{ tables: TableLoad[]; timings: Timings }> {
  const layout = await layoutFor(database, spec);
  const keep = spec.keepIndexes ?? false;
  const timings: Timings = {};
  const tables: TableLoad[] = [];
  await withSession(database, async (session) => {
    const load = async (
      label: string,
      table: string,
      columns: readonly string[],
      ...sources: Iterable<string>[]
    ) => {
      const t = await loadTable(session, label, table, columns, sources, keep, log);
      tables.push(t);
      return t;
    };
    const history = await load(
      '在册历史',
      'elder_status_history',
      STATUS_HISTORY_COLUMNS,
      statusHistoryLines(layout),
    );
    timings['在册历史'] = history.seconds + history.indexSeconds;
    const visitors = await load('探访人员', 'visitors', VISITOR_COLUMNS, visitorLines(layout));
    const assignments = await load(
      '分配',
      'assignments',
      ASSIGNMENT_COLUMNS,
      assignmentLines(layout),
    );
    timings['探访人员与分配'] =
      visitors.seconds + visitors.indexSeconds + assignments.seconds + assignments.indexSeconds;
    const t = performance.now();
    await insertPolicies(database, spec);
    timings['探访规则与专项'] = (performance.now() - t) / 1000;
    if (spec.months > 0) {
      const visits = await load(
        '探访记录',
        'visits',
        VISIT_COLUMNS,
        ...monthsIn(spec.months, spec.copyStreams ?? 2).map((months) =>
          (function* () {
            for (const m of months) yield* visitLines(layout, m);
          })(),
        ),
      );
      timings['探访记录'] = visits.seconds;
      timings['探访索引'] = visits.indexSeconds;
      const findings = await load('发现问题', 'findings', FINDING_COLUMNS, findingLines(layout));
      const events = await load(
        '问题处理过程',
        'finding_events',
        FINDING_EVENT_COLUMNS,
        findingEventLines(layout),
      );
      const disposals = await load(
        '处置记录',
        'finding_disposals',
        DISPOSAL_COLUMNS,
        disposalLines(layout),
      );
      timings['发现问题与处置'] = [findings, events, disposals].reduce(
        (s, t) => s + t.seconds + t.indexSeconds,
        0,
      );
    } else timings['探访记录'] = 0;
    // A database in use is vacuumed by autovacuum; the index-only scans need the visibility map.
    const v = performance.now();
    await session.query('vacuum analyze');
    timings['vacuum analyze'] = (performance.now() - v) / 1000;
    log(`  vacuum analyze：${timings['vacuum analyze'].toFixed(1)} 秒`);
  });
  return { tables, timings };
}

/**
 * Everything the schedule reads, after the elders: status history, visitors, assignments,
 * policies, a campaign, visits, findings and their disposals. Returns the time of each step.
 */
export async function generateVisiting(
  database: Database,
  spec: DatasetSpec,
  log: (s: string) => void,
): Promise<Timings> {
  return (await loadVisiting(database, spec, log)).timings;
}

/** The whole data set: each table's load, the vacuum, and the total, seconds. */
export async function loadProvince(
  database: Database,
  spec: DatasetSpec,
  log: (s: string) => void,
): Promise<{ tables: TableLoad[]; timings: Timings; seconds: number }> {
  const t0 = performance.now();
  const elders = await loadElders(database, spec, log);
  const { tables, timings } = await loadVisiting(database, spec, log);
  return { tables: [elders, ...tables], timings, seconds: (performance.now() - t0) / 1000 };
}

/** Rows of `table` (exact count). */
export async function countRows(database: Database, table: string): Promise<number> {
  const r = await database.db.executeQuery<{ n: number | string }>(
    CompiledQuery.raw(`select count(*)::int as n from ${table}`),
  );
  return Number(r.rows[0]!.n);
}
