import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { AssignmentsTable, EldersTable } from '../../db/schema.js';

/** An assignment row. */
export type AssignmentRow = Selectable<AssignmentsTable>;

/** An assignment with the columns of its visitor that responses name. */
export type AssignmentWithVisitor = AssignmentRow & {
  visitor_name: string;
  visitor_type: string;
  visitor_phone_masked: string | null;
};

/** What assignment rules need to know of an elder. */
export type ElderBrief = Pick<
  Selectable<EldersTable>,
  'id' | 'name' | 'village_code' | 'county_code' | 'status'
>;

/** An elder as the assignment list shows them. */
export type ElderListRow = Pick<
  Selectable<EldersTable>,
  'id' | 'name' | 'gender' | 'birth_date' | 'village_code' | 'tier' | 'categories' | 'status'
>;

/** Filters of the assignment list; `jurisdiction` is always applied, only active elders. */
export interface ElderAssignmentFilter {
  jurisdiction: string;
  region?: string | undefined;
  tier?: string | undefined;
  /** A name part (Chinese) or pinyin initials (ASCII letters). */
  q?: string | undefined;
  /** Only elders this visitor currently visits (any role). */
  visitorId?: string | undefined;
  /** true: only elders with no current primary visitor; false: only those with one. */
  unassigned?: boolean | undefined;
  today: string;
  limit: number;
  offset: number;
}

/** The current-on-`today` condition: started, and not ended by then. */
function currentOn(today: string) {
  return sql<boolean>`a.start_date <= ${today} and (a.end_date is null or a.end_date > ${today})`;
}

/** Assignments joined with their visitor's name, type and masked phone. */
function withVisitor(db: Executor) {
  return db
    .selectFrom('assignments as a')
    .innerJoin('visitors as v', 'v.id', 'a.visitor_id')
    .selectAll('a')
    .select([
      'v.name as visitor_name',
      'v.type as visitor_type',
      'v.phone_masked as visitor_phone_masked',
    ]);
}

/**
 * Locks elders (in id order, so concurrent requests queue rather than deadlock) for the rest of
 * the transaction, and returns those within `jurisdiction`.
 */
export function lockElders(
  db: Executor,
  ids: string[],
  jurisdiction: string,
): Promise<ElderBrief[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code', 'county_code', 'status'])
    .where('id', 'in', ids)
    .where('village_code', 'like', `${jurisdiction}%`)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Elders (any status) within `jurisdiction`, without locking them. */
export function findElders(
  db: Executor,
  ids: string[],
  jurisdiction: string,
): Promise<ElderBrief[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code', 'county_code', 'status'])
    .where('id', 'in', ids)
    .where('village_code', 'like', `${jurisdiction}%`)
    .orderBy('id')
    .execute();
}

/** The active elders of a village, optionally locking them. */
export function activeEldersOfVillage(
  db: Executor,
  villageCode: string,
  lock: boolean,
): Promise<ElderBrief[]> {
  const q = db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code', 'county_code', 'status'])
    .where('village_code', '=', villageCode)
    .where('status', '=', 'active')
    .orderBy('id');
  return lock ? q.forUpdate().execute() : q.execute();
}

/** The open assignments (no end date) of these elders, with their visitors. */
export function openAssignmentsOfElders(
  db: Executor,
  elderIds: string[],
): Promise<AssignmentWithVisitor[]> {
  if (elderIds.length === 0) return Promise.resolve([]);
  return withVisitor(db)
    .where('a.elder_id', 'in', elderIds)
    .where('a.end_date', 'is', null)
    .execute();
}

/** The open assignments (no end date) a visitor holds, with the visitor. */
export function openAssignmentsHeldBy(
  db: Executor,
  visitorId: string,
): Promise<AssignmentWithVisitor[]> {
  return withVisitor(db)
    .where('a.visitor_id', '=', visitorId)
    .where('a.end_date', 'is', null)
    .execute();
}

/**
 * Primary assignments of these elders that overlap [startDate, ∞): a non-empty interval that
 * has not ended by `startDate` (other than `except`, which are about to end).
 */
export function overlappingPrimaries(
  db: Executor,
  elderIds: string[],
  startDate: string,
  except: string[] = [],
): Promise<AssignmentRow[]> {
  if (elderIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('assignments')
    .selectAll()
    .where('elder_id', 'in', elderIds)
    .where('role', '=', 'primary')
    .where((eb) =>
      eb.or([
        eb('end_date', 'is', null),
        eb.and([eb('end_date', '>', startDate), eb('end_date', '>', eb.ref('start_date'))]),
      ]),
    );
  if (except.length > 0) q = q.where('id', 'not in', except);
  return q.execute();
}

/** Inserts assignments (one statement). */
export function insertAssignments(
  db: Executor,
  rows: Insertable<AssignmentsTable>[],
): Promise<AssignmentRow[]> {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('assignments').values(rows).returningAll().execute();
}

/** Ends open assignments on `endDate` (exclusive); returns those ended (already ended ones stay). */
export function endAssignments(
  db: Executor,
  ids: string[],
  end: { endDate: string; reason: string; by: string },
): Promise<AssignmentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .updateTable('assignments')
    .set({
      end_date: end.endDate,
      end_reason: end.reason,
      ended_at: new Date(),
      ended_by: end.by,
    })
    .where('id', 'in', ids)
    .where('end_date', 'is', null)
    .returningAll()
    .execute();
}

/**
 * Ends an elder's open assignments from a date (never before an assignment's own start), when the
 * elder dies, leaves, or moves to a village: on a move, assignments of visitors who also cover the
 * new village stay. Returns the ended rows.
 */
export function endAssignmentsOfElder(
  db: Executor,
  elderId: string,
  end: { endDate: string; reason: string; by: string; movedTo?: string },
): Promise<AssignmentRow[]> {
  let q = db
    .updateTable('assignments as a')
    .set({
      end_date: sql<string>`greatest(a.start_date, ${end.endDate}::date)`,
      end_reason: end.reason,
      ended_at: new Date(),
      ended_by: end.by,
    })
    .where('a.elder_id', '=', elderId)
    .where('a.end_date', 'is', null);
  if (end.movedTo) {
    const village = end.movedTo;
    q = q.where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('visitors as v')
            .select('v.id')
            .whereRef('v.id', '=', 'a.visitor_id')
            .where(sql<boolean>`${village} like v.region_code || '%'`),
        ),
      ),
    );
  }
  return q.returningAll().execute();
}

/** One assignment whose elder lies within `jurisdiction`, with its visitor and the elder's village. */
export function findAssignmentInJurisdiction(
  db: Executor,
  id: string,
  jurisdiction: string,
): Promise<(AssignmentWithVisitor & { village_code: string }) | undefined> {
  return withVisitor(db)
    .innerJoin('elders as e', 'e.id', 'a.elder_id')
    .select('e.village_code')
    .where('a.id', '=', id)
    .where('e.village_code', 'like', `${jurisdiction}%`)
    .executeTakeFirst();
}

/** Every assignment of an elder, newest first. */
export function assignmentHistory(db: Executor, elderId: string): Promise<AssignmentWithVisitor[]> {
  return withVisitor(db)
    .where('a.elder_id', '=', elderId)
    .orderBy('a.start_date', 'desc')
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

/** The assignments of these elders current on `today`, with their visitors. */
export function currentAssignmentsOfElders(
  db: Executor,
  elderIds: string[],
  today: string,
): Promise<AssignmentWithVisitor[]> {
  if (elderIds.length === 0) return Promise.resolve([]);
  return withVisitor(db)
    .where('a.elder_id', 'in', elderIds)
    .where(currentOn(today))
    .orderBy('a.start_date')
    .orderBy('a.id')
    .execute();
}

/** A page of active elders with the filters of the assignment list (by village, then name). */
export async function listElderAssignments(
  db: Executor,
  f: ElderAssignmentFilter,
): Promise<{ rows: ElderListRow[]; total: number }> {
  let q = db
    .selectFrom('elders as e')
    .where('e.village_code', 'like', `${f.jurisdiction}%`)
    .where('e.status', '=', 'active');
  if (f.region) q = q.where('e.village_code', 'like', `${f.region}%`);
  if (f.tier) q = q.where('e.tier', '=', f.tier as ElderListRow['tier']);
  if (f.q) {
    q = /^[a-z]+$/i.test(f.q)
      ? q.where('e.name_initials', 'like', `${escapeLike(f.q.toLowerCase())}%`)
      : q.where('e.name', 'like', `%${escapeLike(f.q)}%`);
  }
  if (f.visitorId) {
    const visitorId = f.visitorId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('assignments as a')
          .select(sql`1`.as('one'))
          .whereRef('a.elder_id', '=', 'e.id')
          .where('a.visitor_id', '=', visitorId)
          .where(currentOn(f.today)),
      ),
    );
  }
  if (f.unassigned !== undefined) {
    const unassigned = f.unassigned;
    q = q.where(({ exists, not, selectFrom }) => {
      const primary = exists(
        selectFrom('assignments as a')
          .select(sql`1`.as('one'))
          .whereRef('a.elder_id', '=', 'e.id')
          .where('a.role', '=', 'primary')
          .where(currentOn(f.today)),
      );
      return unassigned ? not(primary) : primary;
    });
  }
  const [rows, count] = await Promise.all([
    q
      .select([
        'e.id',
        'e.name',
        'e.gender',
        'e.birth_date',
        'e.village_code',
        'e.tier',
        'e.categories',
        'e.status',
      ])
      .orderBy('e.village_code')
      .orderBy('e.name')
      .orderBy('e.id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** The assignments a visitor holds that are current on `today` (for their worklist). */
export function openAssignmentsOfVisitor(
  db: Executor,
  visitorId: string,
  today: string,
): Promise<AssignmentRow[]> {
  return db
    .selectFrom('assignments as a')
    .selectAll('a')
    .where('a.visitor_id', '=', visitorId)
    .where(currentOn(today))
    .orderBy('a.elder_id')
    .execute();
}

/** The primary visitor of each elder on `today`: elder id → visitor (elders without one are absent). */
export async function currentPrimaryVisitors(
  db: Executor,
  elderIds: string[],
  today: string,
): Promise<
  Map<string, { visitorId: string; name: string; type: string; phone_masked: string | null }>
> {
  if (elderIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('visitors as v', 'v.id', 'a.visitor_id')
    .select(['a.elder_id', 'a.visitor_id', 'v.name', 'v.type', 'v.phone_masked'])
    .where('a.elder_id', 'in', elderIds)
    .where('a.role', '=', 'primary')
    .where(currentOn(today))
    .execute();
  return new Map(
    rows.map((r) => [
      r.elder_id,
      { visitorId: r.visitor_id, name: r.name, type: r.type, phone_masked: r.phone_masked },
    ]),
  );
}

/** Whether the visitor holds an assignment (primary or backup) of the elder current on `today`. */
export async function isAssigned(
  db: Executor,
  visitorId: string,
  elderId: string,
  today: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('assignments as a')
    .select('a.id')
    .where('a.visitor_id', '=', visitorId)
    .where('a.elder_id', '=', elderId)
    .where(currentOn(today))
    .executeTakeFirst();
  return row !== undefined;
}
