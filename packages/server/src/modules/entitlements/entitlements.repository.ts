import type { Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { EntitlementDismissalsTable } from '../../db/schema.js';

/** A dismissal row. */
export type DismissalRow = Selectable<EntitlementDismissalsTable> & {
  dismissed_by_name: string | null;
};

/** What the entitlement rules read of an elder. */
export interface ElderForHints {
  id: string;
  name: string;
  county_code: string;
  village_code: string;
  birth_date: string;
  categories: string[];
  data: Record<string, unknown>;
}

/** An elder by id, anywhere (the caller checks the jurisdiction). */
export function findElderForHints(db: Executor, id: string): Promise<ElderForHints | undefined> {
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'county_code', 'village_code', 'birth_date', 'categories', 'data'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** An elder's dismissed hints, with who dismissed them. */
export function dismissalsOf(db: Executor, elderId: string): Promise<DismissalRow[]> {
  return db
    .selectFrom('entitlement_dismissals as d')
    .leftJoin('users as u', 'u.id', 'd.dismissed_by')
    .selectAll('d')
    .select('u.display_name as dismissed_by_name')
    .where('d.elder_id', '=', elderId)
    .execute();
}

/** Records (or replaces) the dismissal of a rule for an elder. */
export async function upsertDismissal(
  db: Executor,
  row: { elderId: string; countyCode: string; rule: string; reason: string; by: string },
): Promise<void> {
  await db
    .insertInto('entitlement_dismissals')
    .values({
      elder_id: row.elderId,
      county_code: row.countyCode,
      rule: row.rule,
      reason: row.reason,
      dismissed_by: row.by,
    })
    .onConflict((oc) =>
      oc.columns(['elder_id', 'rule']).doUpdateSet({
        reason: row.reason,
        dismissed_by: row.by,
        dismissed_at: new Date(),
      }),
    )
    .execute();
}
