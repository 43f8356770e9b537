import type { FindingSeverity, FindingStatus, FindingType } from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import type { FindingRow } from '../visits/visits.repository.js';

/** A finding with its elder's name and its visit's date. */
export type FindingListRow = FindingRow & { elder_name: string; visited_at: Date };

/** Filters of the region list; `jurisdiction` is always applied. */
export interface FindingFilter {
  jurisdiction: string;
  region?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: FindingSeverity | undefined;
  type?: FindingType | undefined;
  limit: number;
  offset: number;
}

function withElder(db: Executor) {
  return db
    .selectFrom('findings as f')
    .innerJoin('elders as e', 'e.id', 'f.elder_id')
    .innerJoin('visits as v', 'v.id', 'f.visit_id');
}

/**
 * A page of the findings of a region that match the filters — 紧急 first, then newest — with how
 * many match in all and how many of those are 紧急.
 */
export async function listFindings(
  db: Executor,
  f: FindingFilter,
): Promise<{ rows: FindingListRow[]; total: number; emergencies: number }> {
  let q = withElder(db).where('f.village_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('f.village_code', 'like', `${f.region}%`);
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.severity) q = q.where('f.severity', '=', f.severity);
  if (f.type) q = q.where('f.type', '=', f.type);
  const [rows, count] = await Promise.all([
    q
      .selectAll('f')
      .select(['e.name as elder_name', 'v.visited_at'])
      .orderBy(sql`f.severity = 'emergency'`, 'desc')
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.countAll<string>().filterWhere('f.severity', '=', 'emergency').as('emergencies'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n), emergencies: Number(count.emergencies) };
}

/** An elder's findings, newest first. */
export function findingsOfElder(db: Executor, elderId: string): Promise<FindingListRow[]> {
  return withElder(db)
    .selectAll('f')
    .select(['e.name as elder_name', 'v.visited_at'])
    .where('f.elder_id', '=', elderId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(500)
    .execute();
}
