import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { FindingsTable, VisitRevisionsTable, VisitsTable } from '../../db/schema.js';

/** A visit row. */
type VisitRow = Selectable<VisitsTable>;

/** An earlier version of a visit, with the name of who replaced it and of its visitor. */
export type VisitRevisionRow = Selectable<VisitRevisionsTable> & {
  amended_by_name: string | null;
  visitor_name: string | null;
  visitor_type: string | null;
};

/**
 * A visit, locked for the rest of the transaction: two corrections of one visit are serialised,
 * so the second sees the first's revision and is refused as stale.
 */
export function lockVisit(db: Executor, id: string): Promise<VisitRow | undefined> {
  return db.selectFrom('visits').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** The date the elder was registered (first entry into the ledger), `YYYY-MM-DD`. */
export async function registrationDate(db: Executor, elderId: string): Promise<string | null> {
  const row = await db
    .selectFrom('elder_status_history')
    .select((eb) => eb.fn<string>('to_char', ['effective_date', eb.val('YYYY-MM-DD')]).as('date'))
    .where('elder_id', '=', elderId)
    .orderBy((eb) => eb.case().when('status', '=', 'active').then(0).else(1).end())
    .orderBy('effective_date')
    .limit(1)
    .executeTakeFirst();
  return row?.date ?? null;
}

/** Ids of the photos and signatures attached to a visit. */
export async function attachmentIdsOfVisit(db: Executor, visitId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('attachments')
    .select('id')
    .where('visit_id', '=', visitId)
    .execute();
  return new Set(rows.map((r) => r.id));
}

/** The (type, title) of each finding a visit has raised so far, as `type|title`. */
export async function raisedFindingKeys(db: Executor, visitId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('findings')
    .select(['type', 'title'])
    .where('visit_id', '=', visitId)
    .execute();
  return new Set(rows.map((r) => `${r.type}|${r.title}`));
}

/** A new version of a visit's content, replacing the one at `expectedRevision`. */
export interface AmendedContent {
  visited_at: Date;
  method: VisitRow['method'];
  answers: string;
  emergency: boolean;
  emergency_note: string | null;
  amended_at: Date;
  amended_by: string;
}

/**
 * Keeps the version being replaced, then writes the new one with the revision raised by one
 * (only if the visit is still at `expectedRevision`), and the findings the new version raises.
 * Run it in the transaction that locked the visit. Returns the updated visit, or undefined when
 * the revision moved on meanwhile.
 */
export async function writeAmendment(
  db: Executor,
  p: {
    previous: Insertable<VisitRevisionsTable>;
    visitId: string;
    expectedRevision: number;
    content: AmendedContent;
    findings: Insertable<FindingsTable>[];
  },
): Promise<VisitRow | undefined> {
  await db.insertInto('visit_revisions').values(p.previous).execute();
  const updated = await db
    .updateTable('visits')
    .set((eb) => ({ ...p.content, revision: eb('revision', '+', 1) }))
    .where('id', '=', p.visitId)
    .where('revision', '=', p.expectedRevision)
    .returningAll()
    .executeTakeFirst();
  if (updated && p.findings.length > 0)
    await db.insertInto('findings').values(p.findings).execute();
  return updated;
}

/** The earlier versions of a visit, oldest first, with who replaced each and its visitor. */
export function revisionsOfVisit(
  db: Executor,
  elderId: string,
  visitId: string,
): Promise<VisitRevisionRow[]> {
  return db
    .selectFrom('visit_revisions as r')
    .leftJoin('users as u', 'u.id', 'r.amended_by')
    .leftJoin('visitors as v', 'v.id', 'r.visitor_id')
    .selectAll('r')
    .select([
      'u.display_name as amended_by_name',
      'v.name as visitor_name',
      'v.type as visitor_type',
    ])
    .where('r.elder_id', '=', elderId)
    .where('r.visit_id', '=', visitId)
    .orderBy('r.revision')
    .execute();
}

/** A visit its author may still amend, with the elder's name and its village's. */
export type AmendableVisitRow = VisitRow & { elder_name: string; village_name: string | null };

/**
 * The visits `userId` entered at or after `since` in villages under `jurisdiction`, newest entered
 * first, at most `limit`. With `assignedTo`, only those of elders assigned to that visitor on
 * `today` (a visitor amends only for the elders they visit).
 */
export function amendableVisitsOf(
  db: Executor,
  p: {
    userId: string;
    since: Date;
    jurisdiction: string;
    assignedTo?: { visitorId: string; today: string };
    limit: number;
  },
): Promise<AmendableVisitRow[]> {
  let q = db
    .selectFrom('visits as v')
    .innerJoin('elders as e', 'e.id', 'v.elder_id')
    .leftJoin('regions as r', 'r.code', 'v.village_code')
    .selectAll('v')
    .select(['e.name as elder_name', 'r.name as village_name'])
    .where('v.entered_by', '=', p.userId)
    .where('v.entered_at', '>=', p.since)
    .where('v.village_code', 'like', `${p.jurisdiction}%`);
  const assigned = p.assignedTo;
  if (assigned)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('assignments as a')
          .select('a.id')
          .whereRef('a.elder_id', '=', 'v.elder_id')
          .where('a.visitor_id', '=', assigned.visitorId)
          .where('a.start_date', '<=', assigned.today)
          .where((eb) =>
            eb.or([eb('a.end_date', 'is', null), eb('a.end_date', '>', assigned.today)]),
          ),
      ),
    );
  return q.orderBy('v.entered_at', 'desc').orderBy('v.id', 'desc').limit(p.limit).execute();
}
