import {
  NEED_KIND_PATTERNS,
  regionCodePath,
  type FindingStatus,
  type FindingType,
} from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import { withinOrAbove } from '../policies/policies.repository.js';

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
 * The counting visits made in a region in [from, to), oldest first: a visit a spot check could
 * not verify does not count (as in the visit-rate rollup).
 */
export async function visitTimesOf(
  db: Executor,
  counties: readonly string[],
  region: string,
  from: Date,
  to: Date,
): Promise<CampaignVisitRow[]> {
  if (counties.length === 0) return [];
  return db
    .selectFrom('visits')
    .select([
      'elder_id',
      'method',
      sql<number>`(extract(epoch from visited_at) * 1000)::float8`.as('visitedAt'),
      sql<number>`(extract(epoch from entered_at) * 1000)::float8`.as('enteredAt'),
    ])
    .where('county_code', 'in', counties)
    .where('village_code', 'like', within(region))
    .where('visited_at', '>=', from)
    .where('visited_at', '<', to)
    .where('unverified', '=', false)
    .orderBy('visited_at')
    .execute();
}
