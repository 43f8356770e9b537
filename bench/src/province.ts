/**
 * A deterministic province-sized data set, generated inside the database (INSERT … SELECT over
 * generate_series, so nothing crosses the wire): elders over the real villages of a region, with
 * part of them concentrated in one county; their status history (a few deaths during the year);
 * visitors (one per 50 elders of a village) and primary assignments; the 丹东 monthly rule for the
 * province and the 2022 national tiering for one city; a heating-season campaign; and twelve months
 * of visits (95% of elders visited each month, 8% of them twice, 3% entered late, methods mixed).
 * Visit times are 08:00–16:00 China time (00:00–08:00 UTC). Ciphertext columns hold a placeholder:
 * the benchmarks never decrypt.
 */
import { sql } from 'kysely';
import type { Database } from '@tanfang/server/db/database.js';

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
  recordDate: '2025-01-05',
});

/** Where and how many. */
export interface DatasetSpec {
  elders: number;
  /** Region prefix whose villages hold the elders (21 = 辽宁, 2106 = 丹东). */
  scope: string;
  /** A county that gets `focusShare` of the elders (the rest spread over every village). */
  focusCounty?: string;
  focusShare?: number;
  /** Months of visits, ending with the month before `lastMonth` inclusive. */
  months: number;
  /** First day of the last month visited, e.g. 2026-11-01. */
  lastMonth: string;
}

/** Timings of each step, seconds. */
export type Timings = Record<string, number>;

async function step(
  timings: Timings,
  name: string,
  log: (s: string) => void,
  fn: () => Promise<unknown>,
): Promise<void> {
  const t = performance.now();
  await fn();
  timings[name] = (performance.now() - t) / 1000;
  log(`  ${name}：${timings[name]!.toFixed(1)} 秒`);
}

/** Inserts `n` elders over the villages of a region, in chunks (the issue 3 layout when no focus). */
export async function generateElders(
  database: Database,
  spec: Pick<DatasetSpec, 'elders' | 'scope' | 'focusCounty' | 'focusShare'>,
  log: (s: string) => void,
): Promise<number> {
  const n = spec.elders;
  const focusN = spec.focusCounty ? Math.round(n * (spec.focusShare ?? 0)) : 0;
  const chunk = 100_000;
  const t0 = performance.now();
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await sql`
      with v as (select array_agg(code order by code) as a, count(*)::int as n from regions where level = 'village' and code like ${`${spec.scope}%`}),
      f as (select coalesce(array_agg(code order by code), array[]::text[]) as a, count(*)::int as n from regions where level = 'village' and code like ${`${spec.focusCounty ?? 'none'}%`}),
      nm as (select ${NAMES.map((x) => x[0])}::text[] as names, ${NAMES.map((x) => x[1])}::text[] as initials),
      g as (select i, case when i <= ${focusN}::int then f.a[(i % f.n) + 1] else v.a[(i % v.n) + 1] end as village
            from generate_series(${from}::int, ${to}::int) as i, v, f)
      insert into elders (id, county_code, village_code, name, name_initials, gender, birth_date, id_hash, id_enc, id_masked,
        phone_enc, phone_masked, categories, tier, status, status_since, contradiction_count, data, evaluation, version)
      select md5('elder' || i)::uuid,
             substr(g.village, 1, 6),
             g.village,
             nm.names[(i % 20) + 1], nm.initials[(i % 20) + 1],
             case when i % 2 = 0 then 'female' else 'male' end,
             date '1930-01-01' + (i % 10950),
             md5('id' || i), 'v1:bench', '210624********' || lpad((i % 10000)::text, 4, '0'),
             null, '139****' || lpad((i % 10000)::text, 4, '0'),
             case i % 5 when 0 then array['living_alone'] when 1 then array['left_behind', 'very_old'] when 2 then array['empty_nest'] else array[]::text[] end,
             case i % 7 when 0 then 'high_risk' when 1 then 'key' when 2 then 'key' else 'general' end,
             case when i % 50 = 0 then 'deceased' else 'active' end,
             case when i % 50 = 0 then date '2026-01-05' + (i % 300) else date '2025-01-05' end,
             i % 3, ${DATA}::jsonb, '{"findings":[],"contradictions":[],"tier":{"computed":"general","effective":"general","reasons":[]}}'::jsonb, 1
      from g, nm`.execute(database.db);
    log(
      `  已生成 ${to.toLocaleString()} / ${n.toLocaleString()} 位老年人（${((to / ((performance.now() - t0) / 1000)) | 0).toLocaleString()} 行/秒）`,
    );
  }
  await sql`analyze elders`.execute(database.db);
  return performance.now() - t0;
}

/**
 * Everything the schedule reads, after the elders: status history, visitors, assignments,
 * policies, a campaign, visits. Returns the time of each step.
 */
export async function generateVisiting(
  database: Database,
  spec: DatasetSpec,
  log: (s: string) => void,
): Promise<Timings> {
  const db = database.db;
  const timings: Timings = {};
  const fkOff = async () => sql`set session_replication_role = replica`.execute(db);
  const fkOn = async () => sql`set session_replication_role = origin`.execute(db);
  await step(timings, '在册历史', log, async () => {
    await sql`insert into elder_status_history (id, elder_id, county_code, status, effective_date, village_code, note)
      select md5('h1' || id)::uuid, id, county_code, 'active', date '2025-01-05', village_code, '登记入册' from elders`.execute(
      db,
    );
    await sql`insert into elder_status_history (id, elder_id, county_code, status, effective_date, village_code, note)
      select md5('h2' || id)::uuid, id, county_code, status, status_since, village_code, '去世'
      from elders where status <> 'active'`.execute(db);
  });
  await step(timings, '探访人员与分配', log, async () => {
    // One visitor per 50 elders of a village; each elder's primary visitor since 2025-01-05.
    await sql`create temporary table bench_groups as
      select id as elder_id, county_code, village_code,
             md5('visitor' || village_code || '-' || ((row_number() over (partition by village_code order by id) - 1) / 50))::uuid as visitor_id
      from elders`.execute(db);
    await sql`insert into visitors (id, region_code, name, type, phone_masked, status)
      select distinct visitor_id, village_code, '探访员', 'cadre', '139****0000', 'active' from bench_groups`.execute(
      db,
    );
    await sql`insert into assignments (id, elder_id, county_code, visitor_id, role, start_date)
      select md5('assign' || elder_id)::uuid, elder_id, county_code, visitor_id, 'primary', date '2025-01-05' from bench_groups`.execute(
      db,
    );
    await sql`drop table bench_groups`.execute(db);
  });
  await step(timings, '探访规则与专项', log, async () => {
    const policy = (
      id: string,
      region: string,
      name: string,
      tiers: string[],
      cadence: string,
      from: string,
    ) =>
      sql`
      with p as (insert into visit_policies (id, region_code, preset) values (${id}::uuid, ${region}, 'bench') returning id)
      insert into visit_policy_versions (policy_id, version, effective_from, name, tiers, categories, cadence, counted_methods, template_key)
      select id, 1, ${from}::date, ${name}, ${tiers}::text[], '{}', ${cadence}::jsonb, '{in_person,phone,video,other}', 'dandong-2023' from p`.execute(
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
    await sql`insert into campaigns (id, region_code, name, kind, starts_at, ends_at, within_value, within_unit, tiers, categories, counted_methods, checklist)
      values ('00000000-0000-7000-8000-0000000000c1', '2106', '供暖季入户走访', 'heating_season', '2026-11-01T00:00:00+08:00', '2027-03-31T00:00:00+08:00',
              14, 'days', '{high_risk,key}', '{}', '{in_person,phone,video}', '[{"key":"indoor_temperature","label":"室内温度是否适宜"}]')`.execute(
      db,
    );
  });
  await fkOff();
  await sql`drop index if exists visits_elder_time_idx`.execute(db);
  await sql`drop index if exists visits_county_time_idx`.execute(db);
  const t0 = performance.now();
  let total = 0;
  for (let m = 0; m < spec.months; m++) {
    const monthStart = sql<string>`(${spec.lastMonth}::date - make_interval(months => ${spec.months - 1 - m}))`;
    const r = await sql`
      insert into visits (id, elder_id, county_code, village_code, visitor_id, visited_at, entered_at, method, template_key, template_version, answers)
      select md5('visit' || e.id || '-' || ${m}::int || '-' || k)::uuid, e.id, e.county_code, e.village_code, a.visitor_id,
             (${monthStart} + (((h + k * 11) % 27) || ' days')::interval + ((h % 9) || ' hours')::interval) at time zone 'UTC',
             (${monthStart} + (((h + k * 11) % 27) || ' days')::interval + ((h % 9) || ' hours')::interval
               + case when h % 100 < 3 then interval '12 days' else interval '30 minutes' end) at time zone 'UTC',
             (array['in_person','in_person','phone','video'])[((h + k) % 4) + 1], 'dandong-2023', 1, '{}'
      from (select id, county_code, village_code, status, status_since, abs(hashtext(id::text || ${m}::int))::int as h from elders) e
      join assignments a on a.elder_id = e.id
      -- 8% of elders have a second visit in the month (a follow-up, or a campaign visit).
      cross join lateral generate_series(0, case when e.h % 100 < 8 then 1 else 0 end) as k
      where e.h % 100 < 95 and (e.status = 'active' or (${monthStart})::date < e.status_since)`.execute(
      db,
    );
    total += Number(r.numAffectedRows ?? 0);
    log(
      `  已生成 ${m + 1}/${spec.months} 个月的探访${total ? `，共 ${total.toLocaleString()} 条（${((total / ((performance.now() - t0) / 1000)) | 0).toLocaleString()} 行/秒）` : ''}`,
    );
  }
  timings['探访记录'] = (performance.now() - t0) / 1000;
  await step(timings, '探访索引', log, async () => {
    // As the migration makes them (see 20261122100000_visiting.sql).
    await sql`create index visits_elder_time_idx on visits (elder_id, visited_at) include (id, entered_at, method)`.execute(
      db,
    );
    await sql`create index visits_county_time_idx on visits (county_code, visited_at) include (elder_id, entered_at, method, village_code)`.execute(
      db,
    );
  });
  await fkOn();
  // A database in use is vacuumed by autovacuum; the index-only scans need the visibility map.
  await step(timings, 'vacuum analyze', log, () => sql`vacuum analyze`.execute(db));
  return timings;
}
