import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { FindingsTable, VisitsTable } from '../../db/schema.js';

/** A visit row. */
export type VisitRow = Selectable<VisitsTable>;
/** A finding row. */
export type FindingRow = Selectable<FindingsTable>;

/** What recording a visit needs to know of the elder. */
export interface ElderForVisit {
  id: string;
  name: string;
  county_code: string;
  village_code: string;
  tier: string;
  categories: string[];
  status: string;
  status_since: string;
}

/** An elder by id (anywhere; the caller checks the jurisdiction). */
export function findElderForVisit(db: Executor, id: string): Promise<ElderForVisit | undefined> {
  return db
    .selectFrom('elders')
    .select([
      'id',
      'name',
      'county_code',
      'village_code',
      'tier',
      'categories',
      'status',
      'status_since',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The date the elder was registered (登记入册): the first `active` entry of their status history,
 * or else its earliest entry.
 */
export async function registrationDate(db: Executor, elderId: string): Promise<string | null> {
  const row = await db
    .selectFrom('elder_status_history')
    .select('effective_date')
    .where('elder_id', '=', elderId)
    .orderBy(sql`case when status = 'active' then 0 else 1 end`)
    .orderBy('effective_date')
    .limit(1)
    .executeTakeFirst();
  return row?.effective_date ?? null;
}

/** Whether the visitor holds an assignment (primary or backup) of the elder current on `today`. */
export async function isAssigned(
  db: Executor,
  visitorId: string,
  elderId: string,
  today: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('assignments')
    .select('id')
    .where('visitor_id', '=', visitorId)
    .where('elder_id', '=', elderId)
    .where('start_date', '<=', today)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', today)]))
    .executeTakeFirst();
  return row !== undefined;
}

/** A visitor by id. */
export function findVisitorBrief(db: Executor, id: string) {
  return db
    .selectFrom('visitors')
    .select(['id', 'name', 'type', 'region_code', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Visitors by id: id → name and type. */
export async function visitorsByIds(
  db: Executor,
  ids: string[],
): Promise<Map<string, { id: string; name: string; type: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('visitors')
    .select(['id', 'name', 'type'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** One visit (anywhere; the caller checks the jurisdiction). */
export function findVisit(db: Executor, id: string): Promise<VisitRow | undefined> {
  return db.selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Inserts a visit unless its id exists; false when it did (a retry, or a parallel retry that won
 * the race: PostgreSQL waits for that one to commit, so nothing is doubled and nothing fails).
 */
export async function insertVisitIfNew(
  db: Executor,
  row: Insertable<VisitsTable>,
): Promise<boolean> {
  const inserted = await db
    .insertInto('visits')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Attachments by id (no content). */
export function findAttachmentsMeta(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'elder_id', 'visit_id', 'kind', 'mime', 'size', 'sha256'])
    .where('id', 'in', ids)
    .execute();
}

/** Attaches uploaded files to a visit; the number attached. */
export async function attachToVisit(
  db: Executor,
  ids: string[],
  visitId: string,
  elderId: string,
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('attachments')
    .set({ visit_id: visitId })
    .where('id', 'in', ids)
    .where('elder_id', '=', elderId)
    .where('visit_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Inserts the findings of a visit. */
export async function insertFindings(
  db: Executor,
  rows: Insertable<FindingsTable>[],
): Promise<void> {
  if (rows.length > 0) await db.insertInto('findings').values(rows).execute();
}

/** An elder's visits in [from, to), newest first (at most 500). */
export function visitsOfElder(
  db: Executor,
  elderId: string,
  from: Date | null,
  to: Date | null,
): Promise<VisitRow[]> {
  let q = db.selectFrom('visits').selectAll().where('elder_id', '=', elderId);
  if (from) q = q.where('visited_at', '>=', from);
  if (to) q = q.where('visited_at', '<', to);
  return q.orderBy('visited_at', 'desc').orderBy('id', 'desc').limit(500).execute();
}

/** The attachments of these visits (no content). */
export function attachmentsOfVisits(db: Executor, visitIds: string[]) {
  if (visitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'visit_id', 'kind', 'mime', 'size', 'sha256'])
    .where('visit_id', 'in', visitIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The findings of these visits. */
export function findingsOfVisits(db: Executor, visitIds: string[]): Promise<FindingRow[]> {
  if (visitIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('findings')
    .selectAll()
    .where('visit_id', 'in', visitIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The elder's in-person visits with a location (the reference for far_location), oldest first. */
export function locatedInPersonVisits(db: Executor, elderId: string) {
  return db
    .selectFrom('visits')
    .select(['id', 'visited_at', 'location'])
    .where('elder_id', '=', elderId)
    .where('method', '=', 'in_person')
    .where('location', 'is not', null)
    .orderBy('visited_at')
    .execute();
}
