import { regionCodePath } from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';

const within = (region: string) => `${escapeLike(region)}%`;

/** A stored configuration, with the name of who last set it. */
export interface ScorecardConfigRow {
  region_code: string;
  year: number;
  indicators: unknown;
  updated_at: Date;
  updated_by_name: string | null;
}

/** The configurations of a year set for a region, the regions enclosing it and those within it. */
export function configsAround(
  db: Executor,
  region: string,
  year: number,
): Promise<ScorecardConfigRow[]> {
  return db
    .selectFrom('scorecard_configs as c')
    .leftJoin('users as u', 'u.id', 'c.updated_by')
    .select([
      'c.region_code',
      'c.year',
      'c.indicators',
      'c.updated_at',
      'u.display_name as updated_by_name',
    ])
    .where('c.year', '=', year)
    .where((eb) =>
      eb.or([
        eb('c.region_code', 'in', regionCodePath(region)),
        eb('c.region_code', 'like', within(region)),
      ]),
    )
    .execute();
}

/** Sets a region's configuration for a year (replacing the one it had). */
export async function upsertConfig(
  db: Executor,
  row: { region_code: string; year: number; indicators: string; updated_by: string; at: Date },
): Promise<void> {
  await db
    .insertInto('scorecard_configs')
    .values({
      region_code: row.region_code,
      year: row.year,
      indicators: row.indicators,
      updated_by: row.updated_by,
      updated_at: row.at,
    })
    .onConflict((oc) =>
      oc.columns(['region_code', 'year']).doUpdateSet({
        indicators: row.indicators,
        updated_by: row.updated_by,
        updated_at: row.at,
      }),
    )
    .execute();
}

/** An elder in the ledger as completeness reads it. */
export interface LedgerFactsRow {
  id: string;
  village_code: string;
  categories: string[];
  has_phone: boolean;
  data: unknown;
}

/** A page of the active elders of a region, by id after `after`. */
export function activeLedgerPage(
  db: Executor,
  region: string,
  after: string | null,
  limit: number,
): Promise<LedgerFactsRow[]> {
  let q = db
    .selectFrom('elders')
    .select([
      'id',
      'village_code',
      'categories',
      sql<boolean>`phone_enc is not null`.as('has_phone'),
      'data',
    ])
    .where('village_code', 'like', within(region))
    .where('status', '=', 'active');
  if (after) q = q.where('id', '>', after);
  return q.orderBy('id').limit(limit).execute();
}

/** Counts of one region (its code cut to the length grouped by). */
export interface GroupCounts {
  group_code: string;
  numerator: number;
  denominator: number;
}

/**
 * Findings raised in [from, to) in a region, per group: those whose outcome is decided at `at`
 * (what the deadline asks is done, or the deadline has passed) and of them those done by the
 * deadline. What the deadline asks (as `deadlineMet` in the domain): 响应 — an acknowledgement
 * before any escalation (an escalation moves `deadline_at` on); 转介 — the first referral; 处置 —
 * resolving; resolving or closing meets any of them. Findings without a deadline are left out.
 */
export async function followUpCounts(
  db: Executor,
  p: { region: string; groupLength: number; from: Date; to: Date; at: Date },
): Promise<GroupCounts[]> {
  const { rows } = await sql<GroupCounts>`
    with f as (
      select left(f.village_code, ${p.groupLength}) as group_code, f.deadline_at,
        f.deadline_action, f.escalated_at,
        case f.deadline_action
          when 'acknowledge' then least(f.acknowledged_at, f.resolved_at, f.closed_at)
          when 'refer' then least(f.resolved_at, f.closed_at,
            (select min(e.at) from finding_events e
             where e.finding_id = f.id and e.to_status = 'referred'))
          else least(f.resolved_at, f.closed_at)
        end as met_at
      from findings f
      where f.village_code like ${within(p.region)} and f.deadline_at is not null
        and f.created_at >= ${p.from} and f.created_at < ${p.to}
    )
    select group_code,
      count(*) filter (where met_at <= deadline_at
        and not (deadline_action = 'acknowledge' and escalated_at is not null))::int as numerator,
      count(*) filter (where met_at is not null or deadline_at <= ${p.at})::int as denominator
    from f
    group by 1
    order by 1`.execute(db);
  return rows;
}
