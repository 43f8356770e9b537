import type { Executor } from '../../context.js';
import type { FindingRow } from '../visits/visits.repository.js';

/** A finding with its elder's name and its visit's date. */
export type FindingListRow = FindingRow & { elder_name: string; visited_at: Date };

/** Filters of the region list; `jurisdiction` is always applied. */
export interface FindingFilter {
  jurisdiction: string;
  region?: string | undefined;
  status?: string | undefined;
  limit: number;
  offset: number;
}

function withElder(db: Executor) {
  return db
    .selectFrom('findings as f')
    .innerJoin('elders as e', 'e.id', 'f.elder_id')
    .innerJoin('visits as v', 'v.id', 'f.visit_id');
}

/** A page of findings of a region, newest first, with the total. */
export async function listFindings(
  db: Executor,
  f: FindingFilter,
): Promise<{ rows: FindingListRow[]; total: number }> {
  let q = withElder(db).where('f.village_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('f.village_code', 'like', `${f.region}%`);
  if (f.status) q = q.where('f.status', '=', f.status);
  const [rows, count] = await Promise.all([
    q
      .selectAll('f')
      .select(['e.name as elder_name', 'v.visited_at'])
      .orderBy('f.created_at', 'desc')
      .orderBy('f.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
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
