import type { EmergencyFilter, EscalationLevel } from '@tanfang/domain';
import { OPEN_FINDING_STATUSES } from '@tanfang/domain';
import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { DB, FindingsTable } from '../../db/schema.js';
import { mergedOverridesSql, type DeadlineOverrides } from '../findings/deadlines.repository.js';
import type { FindingRow } from '../visits/visits.repository.js';

type F = ExpressionBuilder<DB & { f: FindingsTable }, 'f'>;

/** A finding of emergency type or severity (the partial indexes' predicate). */
const emergencyOnly = (w: F) =>
  w.or([w('f.type', '=', 'emergency'), w('f.severity', '=', 'emergency')]);

const isClosed = (w: F) => w('f.status', 'in', ['resolved', 'closed']);

/** The predicate of a list filter (无: every emergency). */
function stateFilter(state: EmergencyFilter, w: F) {
  switch (state) {
    case 'active':
      return w('f.status', 'in', OPEN_FINDING_STATUSES);
    case 'open':
      return w.and([
        w('f.status', 'in', OPEN_FINDING_STATUSES),
        w('f.acknowledged_at', 'is', null),
      ]);
    case 'acknowledged':
      return w.and([
        w('f.status', 'in', OPEN_FINDING_STATUSES),
        w('f.acknowledged_at', 'is not', null),
      ]);
    case 'closed':
      return isClosed(w);
  }
}

/** Inserts an emergency unless its id exists (a retry); returns whether it was inserted. */
export async function insertFindingIfNew(
  db: Executor,
  row: Insertable<FindingsTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('findings')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** An emergency in a list, with the names it mentions. */
export type EmergencyRow = FindingRow & {
  elder_name: string;
  created_by_name: string | null;
  acknowledged_by_name: string | null;
};

/** The emergencies of a region: a page (open ones first, then newest) and the counts per state. */
export async function listEmergencies(
  db: Executor,
  f: {
    jurisdiction: string;
    region?: string | undefined;
    state?: EmergencyFilter | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ rows: EmergencyRow[]; total: number; counts: Record<EmergencyFilter, number> }> {
  let base = db
    .selectFrom('findings as f')
    .where(emergencyOnly)
    .where('f.village_code', 'like', `${escapeLike(f.jurisdiction)}%`);
  if (f.region) base = base.where('f.village_code', 'like', `${escapeLike(f.region)}%`);
  const state = f.state;
  const page = state ? base.where((w) => stateFilter(state, w)) : base;
  const [rows, count] = await Promise.all([
    page
      .innerJoin('elders as e', 'e.id', 'f.elder_id')
      .leftJoin('users as cb', 'cb.id', 'f.created_by')
      .leftJoin('users as ab', 'ab.id', 'f.acknowledged_by')
      .selectAll('f')
      .select([
        'e.name as elder_name',
        'cb.display_name as created_by_name',
        'ab.display_name as acknowledged_by_name',
      ])
      // Waiting for a response first, then being handled, then done; newest first within each.
      .orderBy(
        sql`case when f.status in ('resolved', 'closed') then 2
                 when f.acknowledged_at is null then 0 else 1 end`,
      )
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base
      .select((eb) => [
        eb.fn.countAll<string>().as('all'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) => stateFilter('active', w as unknown as F))
          .as('active'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) => stateFilter('open', w as unknown as F))
          .as('open'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) => stateFilter('acknowledged', w as unknown as F))
          .as('acknowledged'),
        eb.fn
          .countAll<string>()
          .filterWhere((w) => stateFilter('closed', w as unknown as F))
          .as('closed'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const counts = {
    active: Number(count.active),
    open: Number(count.open),
    acknowledged: Number(count.acknowledged),
    closed: Number(count.closed),
  };
  return { rows, total: state ? counts[state] : Number(count.all), counts };
}

/** Response-time statistics of one group of emergencies. */
export interface ResponseStatsRow {
  group_code: string;
  count: number;
  acknowledged: number;
  escalated: number;
  median_seconds: number | null;
  p90_seconds: number | null;
}

/**
 * Response times of the emergencies raised in [from, to) in a region, grouped by the first
 * `groupLength` digits of the village code (the region's children; the region itself when
 * `groupLength` is its own length): count, acknowledged, escalated, median and 90th percentile.
 */
export async function responseStats(
  db: Executor,
  p: { region: string; groupLength: number; from: Date; to: Date },
): Promise<ResponseStatsRow[]> {
  const { rows } = await sql<ResponseStatsRow>`
    select left(f.village_code, ${p.groupLength}) as group_code,
      count(*)::int as count,
      count(f.acknowledged_at)::int as acknowledged,
      count(*) filter (where f.escalated_at is not null)::int as escalated,
      percentile_cont(0.5) within group (
        order by extract(epoch from f.acknowledged_at - f.created_at))
        filter (where f.acknowledged_at is not null) as median_seconds,
      percentile_cont(0.9) within group (
        order by extract(epoch from f.acknowledged_at - f.created_at))
        filter (where f.acknowledged_at is not null) as p90_seconds
    from findings f
    where (f.type = 'emergency' or f.severity = 'emergency')
      and f.village_code like ${`${escapeLike(p.region)}%`}
      and f.created_at >= ${p.from} and f.created_at < ${p.to}
    group by 1
    order by 1`.execute(db);
  return rows.map((r) => ({
    ...r,
    median_seconds: r.median_seconds === null ? null : Number(r.median_seconds),
    p90_seconds: r.p90_seconds === null ? null : Number(r.p90_seconds),
  }));
}

/** An emergency due to escalate, locked by this transaction. */
export interface DueEscalation {
  id: string;
  elder_id: string;
  county_code: string;
  village_code: string;
  type: string;
  severity: string;
  title: string;
  escalation_level: EscalationLevel;
  deadline_at: Date;
  elder_name: string;
  /** The deadlines the village's regions set (merged). */
  overrides: DeadlineOverrides;
}

/**
 * Unacknowledged, unfinished emergencies below the top of the ladder whose deadline has passed
 * at `now`, oldest deadline first — locked, skipping rows another transaction holds, so two
 * tickers (two server processes) never escalate one emergency twice.
 */
export async function lockDueEscalations(
  db: Executor,
  now: Date,
  limit: number,
): Promise<DueEscalation[]> {
  const { rows } = await sql<DueEscalation>`
    select f.id, f.elder_id, f.county_code, f.village_code, f.type, f.severity, f.title,
      f.escalation_level, f.deadline_at,
      (select name from elders e where e.id = f.elder_id) as elder_name,
      ${mergedOverridesSql(sql`f.village_code`)} as overrides
    from findings f
    where f.acknowledged_at is null
      and f.status in ('open', 'in_progress', 'referred')
      and (f.type = 'emergency' or f.severity = 'emergency')
      and f.deadline_at <= ${now}
      and f.escalation_level <> 'county'
    order by f.deadline_at
    limit ${limit}
    for update of f skip locked`.execute(db);
  return rows.map((r) => ({ ...r, overrides: r.overrides ?? {} }));
}

/** Moves an emergency up the ladder with its new deadline. */
export async function escalateFinding(
  db: Executor,
  id: string,
  level: EscalationLevel,
  at: Date,
  deadline: Date,
): Promise<void> {
  await db
    .updateTable('findings')
    .set({ escalation_level: level, escalated_at: at, deadline_at: deadline, updated_at: at })
    .where('id', '=', id)
    .execute();
}
