import { sql, type RawBuilder } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';

/** A window to store, as planned (its visit state is computed by `refreshWindows`). */
export interface WindowRow {
  elder_id: string;
  county_code: string;
  village_code: string;
  window_start: string;
  window_end: string;
  period_key: string;
  short: boolean;
  counted_methods: string[];
  entry_grace_hours: number;
  tier: string;
  categories: string[];
}

/**
 * The dimensions of a compliance row `c` (SQL): all, its tier and each category — as
 * `rollupDimensions` in the domain.
 */
function dimensionsSql(c: string): string {
  return `unnest(array['all', 'tier:' || ${c}.tier] || array(select 'category:' || x from unnest(${c}.categories) x))`;
}
const dimensionsOf = (c: string) => sql.raw(dimensionsSql(c));

/**
 * Adds the contributions in `deltas` (a CTE with village_code, window_start, window_end, dim and
 * the five counts) to the village rollup, creating rows as needed; rows are locked in key order
 * so concurrent writers never deadlock.
 */
function rollupUpsertSql(deltas: string): string {
  return `
    insert into village_rollup as r (village_code, window_start, window_end, dimension, planned,
      short, on_time, late, short_visited)
    select village_code, window_start, window_end, dim, planned, short, on_time, late,
      short_visited
    from ${deltas}
    order by village_code, window_start, window_end, dim
    on conflict (village_code, window_start, window_end, dimension) do update set
      planned = r.planned + excluded.planned,
      short = r.short + excluded.short,
      on_time = r.on_time + excluded.on_time,
      late = r.late + excluded.late,
      short_visited = r.short_visited + excluded.short_visited`;
}
const addToRollup = (deltas: string) => sql.raw(rollupUpsertSql(deltas));

/**
 * Stores planned windows that are not stored yet (an elder's window is its start) and adds them,
 * unvisited, to the village rollup; returns the elder ids and starts inserted. One statement.
 */
export async function insertWindows(
  db: Executor,
  rows: WindowRow[],
): Promise<{ elder_id: string; window_start: Date }[]> {
  if (rows.length === 0) return [];
  const result = await sql<{ elder_id: string; window_start: Date }>`
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(elder_id uuid,
        county_code text, village_code text, window_start timestamptz, window_end timestamptz,
        period_key text, short boolean, counted_methods text[], entry_grace_hours integer,
        tier text, categories text[])
    ), ins as (
      insert into compliance (elder_id, county_code, village_code, window_start, window_end,
        period_key, short, counted_methods, entry_grace_hours, tier, categories)
      select elder_id, county_code, village_code, window_start, window_end, period_key, short,
        counted_methods, entry_grace_hours, tier, categories
      from x order by elder_id, window_start
      on conflict (elder_id, window_start) do nothing
      returning *
    ), deltas as (
      select i.village_code, i.window_start, i.window_end, d.dim, count(*)::int as planned,
        count(*) filter (where i.short)::int as short, 0 as on_time, 0 as late,
        0 as short_visited
      from ins i cross join lateral ${dimensionsOf('i')} as d(dim)
      group by 1, 2, 3, 4
    ), roll as (${addToRollup('deltas')})
    select elder_id, window_start from ins`.execute(db);
  return result.rows;
}

/**
 * Removes the windows of these elders whose deadline is after `from` (they are planned again) and
 * takes them out of the village rollup. One statement.
 */
export async function deleteWindows(db: Executor, elderIds: string[], from: Date): Promise<number> {
  if (elderIds.length === 0) return 0;
  const result = await sql<{ n: number }>`
    with del as (
      delete from compliance c
      where c.elder_id = any(${elderIds}::uuid[]) and c.window_end > ${from}
      returning *
    ), deltas as (
      select d0.village_code, d0.window_start, d0.window_end, d.dim, -count(*)::int as planned,
        -(count(*) filter (where d0.short))::int as short,
        -(count(*) filter (where d0.visit_id is not null and not d0.late))::int as on_time,
        -(count(*) filter (where d0.visit_id is not null and d0.late))::int as late,
        -(count(*) filter (where d0.short and d0.visit_id is not null))::int as short_visited
      from del d0 cross join lateral ${dimensionsOf('d0')} as d(dim)
      group by 1, 2, 3, 4
    ), roll as (${addToRollup('deltas')})
    select count(*)::int as n from del`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/**
 * Recomputes, from the visits themselves, which visit satisfies each selected window (the
 * earliest counting one by visit time, then id), and moves the village rollup by the difference.
 * Idempotent: a window already right is not touched. `keys` is a query yielding the windows'
 * (elder_id, window_start); they are locked through the primary key, in key order.
 */
async function refresh(db: Executor, keys: RawBuilder<unknown>): Promise<number> {
  const result = await sql<{ n: number }>`
    with target as (
      select c.* from (${keys}) k
      join compliance c on c.elder_id = k.elder_id and c.window_start = k.window_start
      order by c.elder_id, c.window_start
      for update of c
    ), best as (
      select t.*, b.id as new_visit, b.visited_at as new_at,
        coalesce(b.entered_at > t.window_end + make_interval(hours => t.entry_grace_hours), false)
          as new_late
      from target t left join lateral (
        select v.id, v.visited_at, v.entered_at from visits v
        where v.elder_id = t.elder_id and v.visited_at >= t.window_start
          and v.visited_at < t.window_end and v.method = any(t.counted_methods)
          and not v.unverified
        order by v.visited_at, v.id
        limit 1) b on true
    ), changed as (
      select * from best
      where new_visit is distinct from visit_id or (new_visit is not null and new_late <> late)
    ), upd as (
      update compliance c set visit_id = ch.new_visit, visited_at = ch.new_at, late = ch.new_late
      from changed ch
      where c.elder_id = ch.elder_id and c.window_start = ch.window_start
      returning c.elder_id
    ), deltas as (
      select ch.village_code, ch.window_start, ch.window_end, d.dim, 0 as planned, 0 as short,
        sum((ch.new_visit is not null and not ch.new_late)::int
          - (ch.visit_id is not null and not ch.late)::int)::int as on_time,
        sum((ch.new_visit is not null and ch.new_late)::int
          - (ch.visit_id is not null and ch.late)::int)::int as late,
        sum((ch.short and ch.new_visit is not null)::int
          - (ch.short and ch.visit_id is not null)::int)::int as short_visited
      from changed ch cross join lateral ${dimensionsOf('ch')} as d(dim)
      group by 1, 2, 3, 4
    ), roll as (${addToRollup('deltas')})
    select (select count(*) from upd)::int as n`.execute(db);
  return result.rows[0]?.n ?? 0;
}

/** Refreshes the windows of these elders that overlap [from, to). */
export function refreshElderWindows(
  db: Executor,
  elderIds: string[],
  from: Date,
  to: Date,
): Promise<number> {
  if (elderIds.length === 0) return Promise.resolve(0);
  return refresh(
    db,
    sql`select elder_id, window_start from compliance
      where elder_id = any(${elderIds}::uuid[]) and window_end > ${from} and window_start < ${to}`,
  );
}

/**
 * The safety net: refreshes the windows a visit entered in [since, until) should have improved
 * but did not (a window planned in the instant the visit was written, each unseen by the other).
 * Finding them reads one window per visit and locks nothing; only those are refreshed, so on a
 * busy server a round that finds nothing wrong writes nothing and blocks no recording.
 */
export async function refreshWindowsOfVisitsSince(
  db: Executor,
  since: Date,
  until: Date,
): Promise<number> {
  const { rows } = await sql<{ elder_id: string; window_start: Date }>`
    select distinct w.elder_id, w.window_start from visits v
    cross join lateral (
      select c.elder_id, c.window_start, c.window_end, c.counted_methods, c.visit_id,
        c.visited_at
      from compliance c
      where c.elder_id = v.elder_id and c.window_start <= v.visited_at
      order by c.window_start desc
      limit 1) w
    where v.entered_at >= ${since} and v.entered_at < ${until}
      and v.visited_at < w.window_end and not v.unverified
      and v.method = any(w.counted_methods)
      and (w.visit_id is null or (v.visited_at, v.id) < (w.visited_at, w.visit_id))`.execute(db);
  if (rows.length === 0) return 0;
  return refresh(
    db,
    sql`select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as k(elder_id uuid, window_start timestamptz)`,
  );
}

/**
 * The CTEs that apply newly written visits to the rollup inside the statement that writes them
 * (`visits` names a CTE with id, elder_id, visited_at, entered_at, method): a window not yet
 * satisfied, or satisfied by a later visit, takes the new one; the village rollup moves by the
 * difference. Rows are locked in key order; the values come from the locking read, so a
 * concurrent writer's change is seen. An elder's regular windows never overlap (the schedule
 * engine's invariant), so a visit's window is the last one starting at or before it, found
 * through the primary key: a join on the range instead was planned as two scans of the whole
 * table (the planner cannot know a batch holds a few visits), 100 ms on 100,000 windows.
 */
export function applyVisitsCtes(visits: string): RawBuilder<unknown> {
  return sql.raw(`
    rc_keys as (
      select distinct w.elder_id, w.window_start from ${visits} nv
      cross join lateral (
        select c2.elder_id, c2.window_start, c2.window_end from compliance c2
        where c2.elder_id = nv.elder_id and c2.window_start <= nv.visited_at
        order by c2.window_start desc
        limit 1) w
      where nv.visited_at < w.window_end
    ), rc_locked as (
      select c.* from rc_keys k
      join compliance c on c.elder_id = k.elder_id and c.window_start = k.window_start
      order by c.elder_id, c.window_start
      for update of c
    ), rc_cand as (
      select distinct on (l.elder_id, l.window_start) l.*, nv.id as new_visit,
        nv.visited_at as new_at,
        nv.entered_at > l.window_end + make_interval(hours => l.entry_grace_hours) as new_late
      from rc_locked l join ${visits} nv on nv.elder_id = l.elder_id
        and l.window_start <= nv.visited_at and nv.visited_at < l.window_end
      where nv.method = any(l.counted_methods)
        and (l.visit_id is null or (nv.visited_at, nv.id) < (l.visited_at, l.visit_id))
      order by l.elder_id, l.window_start, nv.visited_at, nv.id
    ), rc_upd as (
      update compliance c set visit_id = x.new_visit, visited_at = x.new_at, late = x.new_late
      from rc_cand x
      where c.elder_id = x.elder_id and c.window_start = x.window_start
      returning c.elder_id
    ), rc_deltas as (
      select x.village_code, x.window_start, x.window_end, d.dim, 0 as planned, 0 as short,
        sum((not x.new_late)::int - (x.visit_id is not null and not x.late)::int)::int as on_time,
        sum(x.new_late::int - (x.visit_id is not null and x.late)::int)::int as late,
        sum((x.short and x.visit_id is null)::int)::int as short_visited
      from rc_cand x cross join lateral ${dimensionsSql('x')} as d(dim)
      group by 1, 2, 3, 4
    ), rc_roll as (${rollupUpsertSql('rc_deltas')}
    )`);
}

/** Whether the month is planned for the region or a region enclosing it. */
export async function isMonthPlanned(db: Executor, region: string, month: string) {
  const prefixes = [2, 4, 6, 9, 12]
    .filter((n) => n <= region.length)
    .map((n) => region.slice(0, n));
  const row = await db
    .selectFrom('rollup_months')
    .select('month')
    .where('month', '=', month)
    .where('region_code', 'in', prefixes)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records that a month is planned for a region. */
export async function markMonthPlanned(db: Executor, region: string, month: string) {
  await db
    .insertInto('rollup_months')
    .values({ region_code: region, month })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The months planned for the region, a region enclosing it, or one within it. */
export async function plannedMonthsTouching(db: Executor, region: string): Promise<string[]> {
  const prefixes = [2, 4, 6, 9, 12]
    .filter((n) => n <= region.length)
    .map((n) => region.slice(0, n));
  const rows = await db
    .selectFrom('rollup_months')
    .select('month')
    .distinct()
    .where((eb) =>
      eb.or([
        eb('region_code', 'in', prefixes),
        eb('region_code', 'like', `${escapeLike(region)}%`),
      ]),
    )
    .execute();
  return rows.map((r) => r.month);
}

/** A village rollup row as read. */
export interface RollupReadRow {
  child: string;
  dimension: string;
  window_start: Date;
  window_end: Date;
  planned: number;
  short: number;
  on_time: number;
  late: number;
  short_visited: number;
}

/**
 * The rollup of a region's windows whose deadline falls in (from, to], summed per child region
 * (the first `childLength` digits of the village), dimension and window span.
 */
export async function readRollup(
  db: Executor,
  p: { region: string; childLength: number; from: Date; to: Date; dimensions: string[] },
): Promise<RollupReadRow[]> {
  const { rows } = await sql<RollupReadRow>`
    select substr(village_code, 1, ${p.childLength}) as child, dimension, window_start, window_end,
      sum(planned)::int as planned, sum(short)::int as short, sum(on_time)::int as on_time,
      sum(late)::int as late, sum(short_visited)::int as short_visited
    from village_rollup
    where dimension = any(${p.dimensions}::text[]) and window_end > ${p.from}
      and window_end <= ${p.to} and village_code like ${`${escapeLike(p.region)}%`}
    group by 1, 2, 3, 4`.execute(db);
  return rows;
}

/**
 * How many elders have a window with a deadline in (from, to] in each child region (the first
 * `childLength` digits of the village at the window's start), and in the whole region (child
 * null; an elder who moved between children counts once there).
 */
export async function eldersWithWindows(
  db: Executor,
  p: { region: string; childLength: number; from: Date; to: Date },
): Promise<{ child: string | null; elders: number }[]> {
  const { rows } = await sql<{ child: string | null; elders: number }>`
    select child, count(distinct elder_id)::int as elders
    from (
      select substr(village_code, 1, ${p.childLength}) as child, elder_id from compliance
      where village_code like ${`${escapeLike(p.region)}%`} and window_end > ${p.from}
        and window_end <= ${p.to}) w
    group by grouping sets ((child), ())`.execute(db);
  return rows;
}

/** Windows of a region with a deadline in (from, to] and no visit: the elders not visited. */
export function unvisitedWindows(
  db: Executor,
  p: { region: string; from: Date; to: Date; limit: number; offset: number },
) {
  return db
    .selectFrom('compliance as c')
    .innerJoin('elders as e', 'e.id', 'c.elder_id')
    .select([
      'c.elder_id',
      'e.name',
      'c.village_code',
      'c.window_start',
      'c.window_end',
      'c.short',
      'c.tier',
    ])
    .where('c.visit_id', 'is', null)
    .where('c.village_code', 'like', `${escapeLike(p.region)}%`)
    .where('c.window_end', '>', p.from)
    .where('c.window_end', '<=', p.to)
    .orderBy('c.village_code')
    .orderBy('c.window_end')
    .orderBy('c.elder_id')
    .limit(p.limit)
    .offset(p.offset)
    .execute();
}

/** The stored windows in a region overlapping [from, to) (for the verifier). */
export function windowsOfRegion(db: Executor, region: string, from: Date, to: Date) {
  return db
    .selectFrom('compliance')
    .selectAll()
    .where('village_code', 'like', `${escapeLike(region)}%`)
    .where('window_end', '>', from)
    .where('window_start', '<', to)
    .execute();
}
