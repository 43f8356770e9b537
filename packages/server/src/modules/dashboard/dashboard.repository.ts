import {
  NEED_KIND_PATTERNS,
  regionCodePath,
  type FindingStatus,
  type FindingType,
  type Tier,
} from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import { withinOrAbove } from '../policies/policies.repository.js';
import type { CountElderRow } from '../schedule/schedule.repository.js';

/** A region and a span of instants [from, to). */
export interface RegionSpan {
  region: string;
  from: Date;
  to: Date;
}

const within = (region: string) => `${escapeLike(region)}%`;

/** Of these months, those planned for the region or a region enclosing it (one query). */
export async function plannedMonthsOf(
  db: Executor,
  region: string,
  months: string[],
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('rollup_months')
    .select('month')
    .distinct()
    .where('month', 'in', months)
    .where('region_code', 'in', regionCodePath(region))
    .execute();
  return new Set(rows.map((r) => r.month));
}

/** The presets of the rules applying to a region (its own, above it and within it). */
export async function presetsApplying(db: Executor, region: string): Promise<string[]> {
  const rows = await db
    .selectFrom('visit_policies')
    .select('preset')
    .distinct()
    .where('preset', 'is not', null)
    .where(withinOrAbove('region_code', region))
    .execute();
  return rows.flatMap((r) => (r.preset ? [r.preset] : []));
}

/** Findings raised in a region and span, counted by type and status. */
export async function findingCounts(
  db: Executor,
  p: RegionSpan,
): Promise<{ type: FindingType; status: FindingStatus; n: number }[]> {
  const rows = await db
    .selectFrom('findings')
    .select(['type', 'status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('village_code', 'like', within(p.region))
    .where('created_at', '>=', p.from)
    .where('created_at', '<', p.to)
    .groupBy(['type', 'status'])
    .execute();
  return rows.map((r) => ({
    type: r.type as FindingType,
    status: r.status as FindingStatus,
    n: Number(r.n),
  }));
}

/**
 * Of the findings raised in a region and span, those past their deadline at `at` with what the
 * deadline asks not done — as `deadlineMet` in the domain and the findings list's 逾期 filter.
 */
export async function overdueFindings(db: Executor, p: RegionSpan, at: Date): Promise<number> {
  const row = await db
    .selectFrom('findings as f')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('f.village_code', 'like', within(p.region))
    .where('f.created_at', '>=', p.from)
    .where('f.created_at', '<', p.to)
    .where('f.deadline_at', '<', at)
    .where('f.status', 'in', ['open', 'in_progress', 'referred'])
    .where((w) =>
      w.or([
        w.and([w('f.deadline_action', '=', 'acknowledge'), w('f.acknowledged_at', 'is', null)]),
        w.and([w('f.deadline_action', '=', 'refer'), w('f.status', '<>', 'referred')]),
        w('f.deadline_action', '=', 'handle'),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Emergency counts of one month (YYYY-MM, China time), or of the whole span (`month` null). */
export interface EmergencyStatsRow {
  month: string | null;
  count: number;
  acknowledged: number;
  within_deadline: number;
  decided: number;
  median_seconds: number | null;
  p90_seconds: number | null;
}

/**
 * Emergencies raised in a region and span: per month and in all, how many, how many answered,
 * answered by the deadline before any escalation (an escalation moves `deadline_at` on), decided
 * at `at` (answered or past the deadline), and the median and 90th percentile of the response.
 */
export async function emergencyStats(
  db: Executor,
  p: RegionSpan,
  at: Date,
): Promise<EmergencyStatsRow[]> {
  const { rows } = await sql<EmergencyStatsRow>`
    with e as (
      select to_char((f.created_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM') as month,
        f.created_at, f.acknowledged_at, f.escalated_at, f.deadline_at,
        least(f.acknowledged_at, f.resolved_at, f.closed_at) as answered_at
      from findings f
      where (f.type = 'emergency' or f.severity = 'emergency')
        and f.village_code like ${within(p.region)}
        and f.created_at >= ${p.from} and f.created_at < ${p.to}
    )
    select month, count(*)::int as count,
      count(acknowledged_at)::int as acknowledged,
      count(*) filter (where escalated_at is null and answered_at <= deadline_at)::int
        as within_deadline,
      count(*) filter (where answered_at is not null or deadline_at <= ${at})::int as decided,
      percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - created_at))
        filter (where acknowledged_at is not null) as median_seconds,
      percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - created_at))
        filter (where acknowledged_at is not null) as p90_seconds
    from e
    group by grouping sets ((month), ())
    order by month nulls first`.execute(db);
  return rows.map((r) => ({
    ...r,
    median_seconds: r.median_seconds === null ? null : Number(r.median_seconds),
    p90_seconds: r.p90_seconds === null ? null : Number(r.p90_seconds),
  }));
}

/** The SQL that reads a need's kind from its words (NEED_KIND_PATTERNS, first match wins). */
function needKindSql(text: string) {
  const cases = NEED_KIND_PATTERNS.map(
    ([kind, pattern]) => sql`when ${sql.raw(text)} ~ ${pattern} then ${kind}`,
  );
  return sql<string>`case ${sql.join(cases, sql` `)} else 'other' end`;
}

/** Needs (findings of type 服务需求) raised in a region and span, by the kind their words ask for. */
export async function needsByKind(
  db: Executor,
  p: RegionSpan,
): Promise<{ kind: string; n: number }[]> {
  const { rows } = await sql<{ kind: string; n: number }>`
    select ${needKindSql(`(f.title || ' ' || f.source || ' ' || coalesce(f.description, ''))`)}
      as kind, count(*)::int as n
    from findings f
    where f.type = 'need' and f.village_code like ${within(p.region)}
      and f.created_at >= ${p.from} and f.created_at < ${p.to}
    group by 1`.execute(db);
  return rows;
}

/** Referrals made in a region and span, by the provider kind asked for, and how many completed. */
export async function referralsByKind(
  db: Executor,
  p: RegionSpan,
): Promise<{ kind: string; n: number; completed: number }[]> {
  const rows = await db
    .selectFrom('referrals')
    .select((eb) => [
      'kind',
      eb.fn.countAll<string>().as('n'),
      eb.fn.countAll<string>().filterWhere('status', '=', 'completed').as('completed'),
    ])
    .where('village_code', 'like', within(p.region))
    .where('created_at', '>=', p.from)
    .where('created_at', '<', p.to)
    .groupBy('kind')
    .execute();
  return rows.map((r) => ({ kind: r.kind, n: Number(r.n), completed: Number(r.completed) }));
}

/** A visit's times for counting a campaign, with its elder. */
export interface CampaignVisitRow {
  elder_id: string;
  method: 'in_person' | 'phone' | 'video' | 'other';
  visitedAt: number;
  enteredAt: number;
}

/**
 * Of a campaign's windows ([start + n·w, start + (n + 1)·w), n < `windows`), how many elders were
 * visited in each (by a counted method, up to `now`, not 未核实) — over the elders present in
 * the region all along: active there since `since` or before, and selected by the campaign. One
 * statement, nothing per elder sent back; a hash join (the planner would probe the visits index
 * once per elder; JIT is off on every connection, see db/database.ts).
 */
export async function campaignWindowsVisited(
  db: Executor,
  p: {
    /** The counties of the region (the visits' index leads with the county). */
    counties: readonly string[];
    region: string;
    since: string;
    selectors: { tiers: readonly Tier[]; categories: readonly string[] };
    start: Date;
    windowMs: number;
    windows: number;
    now: Date;
    methods: readonly string[];
  },
): Promise<{ elders: number; visited: Map<number, number> }> {
  const tiers =
    p.selectors.tiers.length > 0 ? sql`and e.tier = any(${[...p.selectors.tiers]}::text[])` : sql``;
  const categories =
    p.selectors.categories.length > 0
      ? sql`and e.categories && ${[...p.selectors.categories]}::text[]`
      : sql``;
  const end = new Date(p.start.getTime() + p.windows * p.windowMs);
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_nestloop = off`.execute(trx);
    const { rows } = await sql<{ n: number; visited: number }>`
      with el as materialized (
        select e.id from elders e
        where e.village_code like ${within(p.region)} and e.status = 'active'
          and e.status_since <= ${p.since} ${tiers} ${categories}
      )
      select floor(extract(epoch from v.visited_at - ${p.start}::timestamptz) * 1000
          / ${p.windowMs})::int as n,
        count(distinct v.elder_id)::int as visited
      from visits v join el on el.id = v.elder_id
      where v.county_code = any(${[...p.counties]}::text[])
        and v.village_code like ${within(p.region)}
        and v.visited_at >= ${p.start} and v.visited_at < ${end} and v.visited_at <= ${p.now}
        and not v.unverified and v.method = any(${[...p.methods]}::text[])
      group by 1`.execute(trx);
    const { rows: count } = await sql<{ n: number }>`
      select count(*)::int as n from elders e
      where e.village_code like ${within(p.region)} and e.status = 'active'
        and e.status_since <= ${p.since} ${tiers} ${categories}`.execute(trx);
    return { elders: count[0]?.n ?? 0, visited: new Map(rows.map((r) => [r.n, r.visited])) };
  });
}

/** The counting visits (not 未核实) of some elders in [from, to), oldest first. */
export async function visitTimesOfElders(
  db: Executor,
  elderIds: readonly string[],
  from: Date,
  to: Date,
): Promise<CampaignVisitRow[]> {
  if (elderIds.length === 0) return [];
  return db
    .selectFrom('visits')
    .select([
      'elder_id',
      'method',
      sql<number>`(extract(epoch from visited_at) * 1000)::float8`.as('visitedAt'),
      sql<number>`(extract(epoch from entered_at) * 1000)::float8`.as('enteredAt'),
    ])
    .where('elder_id', 'in', [...elderIds])
    .where('visited_at', '>=', from)
    .where('visited_at', '<', to)
    .where('unverified', '=', false)
    .orderBy('visited_at')
    .execute();
}

/**
 * The elders of a region a campaign may ask for (by tier and categories, empty = all) who were not
 * there all along: registered or back since `since`, or whose status changed since then, and
 * those who left the region since then — `countEldersInRegion`'s elders less those
 * `campaignWindowsVisited` counts.
 */
export async function campaignElders(
  db: Executor,
  region: string,
  since: string,
  selectors: { tiers: readonly Tier[]; categories: readonly string[] },
): Promise<CountElderRow[]> {
  const like = within(region);
  const select = () => {
    let q = db
      .selectFrom('elders as e')
      .select(['e.id', 'e.village_code', 'e.tier', 'e.categories', 'e.status', 'e.status_since']);
    if (selectors.tiers.length > 0) q = q.where('e.tier', 'in', [...selectors.tiers]);
    if (selectors.categories.length > 0)
      q = q.where(sql<boolean>`e.categories && ${[...selectors.categories]}::text[]`);
    return q;
  };
  const [here, left] = await Promise.all([
    select()
      .where('e.village_code', 'like', like)
      // Not present all along: came since, or left the 在册 state since.
      .where((eb) =>
        eb.or([
          eb.and([eb('e.status', '=', 'active'), eb('e.status_since', '>', since)]),
          eb.and([eb('e.status', '<>', 'active'), eb('e.status_since', '>=', since)]),
        ]),
      )
      .execute(),
    select()
      .where(
        'e.id',
        'in',
        db
          .selectFrom('elder_status_history as h')
          .select('h.elder_id')
          .where('h.village_code', 'like', like)
          .where('h.effective_date', '>=', since)
          .where('h.status', '<>', 'active'),
      )
      .execute(),
  ]);
  const seen = new Set(here.map((r) => r.id));
  return [...here, ...left.filter((r) => !seen.has(r.id))];
}
