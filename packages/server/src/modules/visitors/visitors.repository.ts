import { regionCodePath } from '@tanfang/domain';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { VisitorsTable } from '../../db/schema.js';

/** A visitor row. */
export type VisitorRow = Selectable<VisitorsTable>;

/** Filters for the visitor list; `jurisdiction` is always applied. */
export interface VisitorFilter {
  jurisdiction: string;
  region?: string | undefined;
  q?: string | undefined;
  type?: string | undefined;
  status?: 'active' | 'left' | undefined;
  limit: number;
  offset: number;
}

/** One visitor whose region lies within `jurisdiction`. */
export function findVisitorInJurisdiction(
  db: Executor,
  id: string,
  jurisdiction: string,
): Promise<VisitorRow | undefined> {
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('id', '=', id)
    .where('region_code', 'like', `${jurisdiction}%`)
    .executeTakeFirst();
}

/**
 * Locks visitors (in id order, so concurrent requests take the locks in one order) for the rest of
 * the transaction, and returns those within `jurisdiction`.
 */
export function lockVisitors(
  db: Executor,
  ids: string[],
  jurisdiction: string,
): Promise<VisitorRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('visitors')
    .selectAll()
    .where('id', 'in', ids)
    .where('region_code', 'like', `${jurisdiction}%`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The visitor with this ID-number hash, anywhere. */
export function findVisitorByIdHash(
  db: Executor,
  idHash: string,
): Promise<Pick<VisitorRow, 'id' | 'name' | 'region_code'> | undefined> {
  return db
    .selectFrom('visitors')
    .select(['id', 'name', 'region_code'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

/** The visitor linked to this user account, anywhere. */
export function findVisitorByUserId(
  db: Executor,
  userId: string,
): Promise<Pick<VisitorRow, 'id' | 'name' | 'region_code'> | undefined> {
  return db
    .selectFrom('visitors')
    .select(['id', 'name', 'region_code'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

/** A page of visitors (by region, then name) with the total. */
export async function listVisitors(
  db: Executor,
  f: VisitorFilter,
): Promise<{ rows: VisitorRow[]; total: number }> {
  let q = db.selectFrom('visitors').where('region_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('region_code', 'like', `${f.region}%`);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.q) q = q.where('name', 'like', `%${escapeLike(f.q)}%`);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('region_code')
      .orderBy('name')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Inserts a visitor. */
export function insertVisitor(db: Executor, row: Insertable<VisitorsTable>): Promise<VisitorRow> {
  return db.insertInto('visitors').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates a visitor if its version is still `version`; undefined when someone saved first. */
export function updateVisitorIfVersion(
  db: Executor,
  id: string,
  version: number,
  patch: Updateable<VisitorsTable>,
): Promise<VisitorRow | undefined> {
  return db
    .updateTable('visitors')
    .set({ ...patch, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** The linked accounts of visitors, by user id. */
export async function findLinkedUsers(
  db: Executor,
  userIds: string[],
): Promise<Map<string, { id: string; username: string; display_name: string }>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name'])
    .where('id', 'in', userIds)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** How many elders each visitor currently visits, by role (current on `today`). */
export async function countCurrentAssignments(
  db: Executor,
  visitorIds: string[],
  today: string,
): Promise<Map<string, { primary: number; backup: number }>> {
  const counts = new Map(visitorIds.map((id) => [id, { primary: 0, backup: 0 }]));
  if (visitorIds.length === 0) return counts;
  const rows = await db
    .selectFrom('assignments')
    .select(['visitor_id', 'role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('visitor_id', 'in', visitorIds)
    .where('start_date', '<=', today)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', today)]))
    .groupBy(['visitor_id', 'role'])
    .execute();
  for (const r of rows) counts.get(r.visitor_id)![r.role] = Number(r.n);
  return counts;
}

/** The open assignments of a visitor (no end date): what must be reassigned before they leave. */
export async function countOpenAssignments(db: Executor, visitorId: string): Promise<number> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('visitor_id', '=', visitorId)
    .where('end_date', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The villages of the elders a visitor holds open assignments for (a region change must cover them). */
export async function openAssignmentVillages(
  db: Executor,
  visitorId: string,
): Promise<{ village_code: string; name: string }[]> {
  return db
    .selectFrom('assignments')
    .innerJoin('elders', 'elders.id', 'assignments.elder_id')
    .select(['elders.village_code', 'elders.name'])
    .where('assignments.visitor_id', '=', visitorId)
    .where('assignments.end_date', 'is', null)
    .orderBy('elders.village_code')
    .orderBy('elders.name')
    .execute();
}

/** The last end date of a visitor's assignments, if any ended. */
export async function lastAssignmentEnd(db: Executor, visitorId: string): Promise<string | null> {
  const row = await db
    .selectFrom('assignments')
    .select((eb) => eb.fn.max('end_date').as('last'))
    .where('visitor_id', '=', visitorId)
    .executeTakeFirst();
  return (row?.last as string | null | undefined) ?? null;
}

/**
 * Active accounts of role visitor within `within` whose area nests with `region` (one contains the
 * other), with the visitor each is linked to.
 */
export function linkableAccounts(db: Executor, within: string, region: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('visitors as v', 'v.user_id', 'u.id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.jurisdiction',
      'v.id as visitor_id',
      'v.name as visitor_name',
    ])
    .where('u.role', '=', 'visitor')
    .where('u.status', '=', 'active')
    .where('u.jurisdiction', 'like', `${escapeLike(within)}%`)
    .where((eb) =>
      eb.or([
        eb('u.jurisdiction', 'like', `${escapeLike(region)}%`),
        eb('u.jurisdiction', 'in', regionCodePath(region)),
      ]),
    )
    .orderBy('u.jurisdiction')
    .orderBy('u.username')
    .limit(500)
    .execute();
}

/** The active visitor linked to a user account (who a signed-in 探访人员 is). */
export async function visitorOfUser(
  db: Executor,
  userId: string,
): Promise<{ id: string; name: string; type: string; region_code: string } | undefined> {
  return db
    .selectFrom('visitors')
    .select(['id', 'name', 'type', 'region_code'])
    .where('user_id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}
