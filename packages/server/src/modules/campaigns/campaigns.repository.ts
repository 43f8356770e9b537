import type { CampaignRule } from '@tanfang/domain';
import { regionCodePath, withinHours } from '@tanfang/domain';
import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { CampaignsTable } from '../../db/schema.js';
import { withinOrAbove } from '../policies/policies.repository.js';

/** A campaign row. */
export type CampaignRow = Selectable<CampaignsTable>;

/** Where a campaign stands at a moment. */
export type CampaignState = 'scheduled' | 'in_force' | 'ended' | 'cancelled';

/** Which campaigns a list shows. */
export interface CampaignFilter {
  /** The region asked about: its campaigns and the ones above it. */
  region: string;
  /** The actor's jurisdiction: only campaigns within it or above it are visible. */
  jurisdiction: string;
  state?: CampaignState | undefined;
  /** The moment the state is judged at. */
  now: Date;
}

/** One campaign by id (anywhere; the caller checks visibility). */
export function findCampaign(db: Executor, id: string): Promise<CampaignRow | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Campaigns within or above the region, visible from the jurisdiction; latest start first. */
export function listCampaigns(db: Executor, f: CampaignFilter): Promise<CampaignRow[]> {
  let q = db
    .selectFrom('campaigns')
    .selectAll()
    .where(withinOrAbove('region_code', f.region))
    .where(withinOrAbove('region_code', f.jurisdiction));
  switch (f.state) {
    case undefined:
      break;
    case 'cancelled':
      q = q.where('status', '=', 'cancelled');
      break;
    case 'scheduled':
      q = q.where('status', '=', 'active').where('starts_at', '>', f.now);
      break;
    case 'in_force':
      q = q
        .where('status', '=', 'active')
        .where('starts_at', '<=', f.now)
        .where('ends_at', '>', f.now);
      break;
    case 'ended':
      q = q.where('status', '=', 'active').where('ends_at', '<=', f.now);
      break;
  }
  return q.orderBy('starts_at', 'desc').orderBy('name').orderBy('id').execute();
}

/** Inserts a campaign. */
export function insertCampaign(
  db: Executor,
  row: Insertable<CampaignsTable>,
): Promise<CampaignRow> {
  return db.insertInto('campaigns').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * Cancels a campaign that is active and has not ended by `at`; undefined when it was already
 * cancelled or has ended (the check and the change are one statement).
 */
export function cancelCampaign(
  db: Executor,
  id: string,
  by: string,
  at: Date,
): Promise<CampaignRow | undefined> {
  return db
    .updateTable('campaigns')
    .set({ status: 'cancelled', cancelled_at: at, cancelled_by: by })
    .where('id', '=', id)
    .where('status', '=', 'active')
    .where('ends_at', '>', at)
    .returningAll()
    .executeTakeFirst();
}

/** A campaign row as the schedule engine reads it. */
export function toCampaignRule(r: CampaignRow): CampaignRule {
  return {
    id: r.id,
    regionCode: r.region_code,
    name: r.name,
    kind: r.kind as CampaignRule['kind'],
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    withinHours: withinHours({ value: r.within_value, unit: r.within_unit }),
    tiers: r.tiers as CampaignRule['tiers'],
    categories: r.categories as CampaignRule['categories'],
    countedMethods: r.counted_methods as CampaignRule['countedMethods'],
    checklist: r.checklist as CampaignRule['checklist'],
  };
}

function activeOverlapping(db: Executor, fromIso: string, toIso: string) {
  return db
    .selectFrom('campaigns')
    .selectAll()
    .where('status', '=', 'active')
    .where('starts_at', '<', new Date(toIso))
    .where('ends_at', '>', new Date(fromIso))
    .orderBy('starts_at')
    .orderBy('id');
}

/**
 * The active (not cancelled) campaigns that may apply to elders in any of these regions — their
 * region is one of them or encloses one — and whose [startsAt, endsAt) overlaps [from, to).
 * One query.
 */
export async function listCampaignRulesFor(
  db: Executor,
  regionCodes: string[],
  fromIso: string,
  toIso: string,
): Promise<CampaignRule[]> {
  const codes = [...new Set(regionCodes.flatMap(regionCodePath))];
  if (codes.length === 0) return [];
  const rows = await activeOverlapping(db, fromIso, toIso)
    .where('region_code', 'in', codes)
    .execute();
  return rows.map(toCampaignRule);
}

/**
 * The active campaigns within `prefix` or enclosing it whose [startsAt, endsAt) overlaps
 * [from, to): all that may apply anywhere in a jurisdiction. One query.
 */
export async function listCampaignRulesWithin(
  db: Executor,
  prefix: string,
  fromIso: string,
  toIso: string,
): Promise<CampaignRule[]> {
  const rows = await activeOverlapping(db, fromIso, toIso)
    .where(withinOrAbove('region_code', prefix))
    .execute();
  return rows.map(toCampaignRule);
}
