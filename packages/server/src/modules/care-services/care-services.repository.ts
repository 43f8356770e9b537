import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { CareServicesTable } from '../../db/schema.js';

/** A care service row. */
export type CareServiceRow = Selectable<CareServicesTable>;

/** A care service with its elder's name and who recorded it. */
export type CareServiceView = CareServiceRow & {
  elder_name: string;
  created_by_name: string | null;
};

/** Who may see which services: staff by the elder's village, a provider its own. */
export type CareServiceScope = { jurisdiction: string } | { providerId: string };

/** Filters of a care-service list. */
export interface CareServiceFilter {
  scope: CareServiceScope;
  region?: string | undefined;
  satisfaction?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  elderId?: string | undefined;
  referralId?: string | undefined;
  limit: number;
  offset: number;
}

function views(db: Executor) {
  return db
    .selectFrom('care_services as c')
    .innerJoin('elders as e', 'e.id', 'c.elder_id')
    .leftJoin('users as u', 'u.id', 'c.created_by')
    .selectAll('c')
    .select(['e.name as elder_name', 'u.display_name as created_by_name']);
}

/** One care service by id, anywhere. */
export function findCareService(db: Executor, id: string): Promise<CareServiceView | undefined> {
  return views(db).where('c.id', '=', id).executeTakeFirst();
}

/** A page of care services, latest served first, with the total. */
export async function listCareServices(
  db: Executor,
  f: CareServiceFilter,
): Promise<{ rows: CareServiceView[]; total: number }> {
  let q = views(db);
  q =
    'providerId' in f.scope
      ? q.where('c.provider_id', '=', f.scope.providerId)
      : q.where('c.village_code', 'like', `${f.scope.jurisdiction}%`);
  if (f.region) q = q.where('c.village_code', 'like', `${f.region}%`);
  if (f.satisfaction) q = q.where('c.satisfaction', '=', f.satisfaction as 'satisfied');
  if (f.from) q = q.where('c.served_on', '>=', f.from);
  if (f.to) q = q.where('c.served_on', '<=', f.to);
  if (f.elderId) q = q.where('c.elder_id', '=', f.elderId);
  if (f.referralId) q = q.where('c.referral_id', '=', f.referralId);
  const [rows, count] = await Promise.all([
    q
      .orderBy('c.served_on', 'desc')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Inserts a care service unless its id exists; true when inserted. */
export async function insertCareServiceIfNew(
  db: Executor,
  row: Insertable<CareServicesTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('care_services')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
