import type { FindingSeverity, FindingStatus, FindingType } from '@tanfang/domain';
import { OPEN_FINDING_STATUSES, regionCodePath } from '@tanfang/domain';
import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { FindingDisposalsTable, FindingEventsTable, FindingsTable } from '../../db/schema.js';
import type { FindingRow } from '../visits/visits.repository.js';

/** A finding with its elder's name, its visit's date (null without a visit) and its owner. */
export type FindingListRow = FindingRow & {
  elder_name: string;
  visited_at: Date | null;
  owner_name: string | null;
};

/** A finding with the names of everyone it mentions. */
export type FindingDetailRow = FindingListRow & {
  acknowledged_by_name: string | null;
  created_by_name: string | null;
};

/** Filters of the region list; `jurisdiction` is always applied. */
export interface FindingFilter {
  jurisdiction: string;
  region?: string | undefined;
  status?: FindingStatus | undefined;
  severity?: FindingSeverity | undefined;
  type?: FindingType | undefined;
  /** Only those past their deadline at this moment with what it asks for not done. */
  overdueAt?: Date | undefined;
  limit: number;
  offset: number;
}

/** Findings with their elder, their visit if any (an emergency may have none) and owner. */
function withElder(db: Executor) {
  return db
    .selectFrom('findings as f')
    .innerJoin('elders as e', 'e.id', 'f.elder_id')
    .leftJoin('visits as v', 'v.id', 'f.visit_id')
    .leftJoin('users as o', 'o.id', 'f.owner_id');
}

/**
 * A page of the findings of a region that match the filters — 紧急 first, then newest — with how
 * many match in all and how many of those are 紧急.
 */
export async function listFindings(
  db: Executor,
  f: FindingFilter,
): Promise<{ rows: FindingListRow[]; total: number; emergencies: number }> {
  let q = withElder(db).where('f.village_code', 'like', `${escapeLike(f.jurisdiction)}%`);
  if (f.region) q = q.where('f.village_code', 'like', `${escapeLike(f.region)}%`);
  if (f.status) q = q.where('f.status', '=', f.status);
  if (f.severity) q = q.where('f.severity', '=', f.severity);
  if (f.type) q = q.where('f.type', '=', f.type);
  if (f.overdueAt) {
    // What deadlineMet (domain) says is not yet done, past the deadline.
    const at = f.overdueAt;
    q = q
      .where('f.deadline_at', '<', at)
      .where('f.status', 'in', OPEN_FINDING_STATUSES)
      .where((w) =>
        w.or([
          w.and([w('f.deadline_action', '=', 'acknowledge'), w('f.acknowledged_at', 'is', null)]),
          w.and([w('f.deadline_action', '=', 'refer'), w('f.status', '<>', 'referred')]),
          w('f.deadline_action', '=', 'handle'),
        ]),
      );
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll('f')
      .select(['e.name as elder_name', 'v.visited_at', 'o.display_name as owner_name'])
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
    .select(['e.name as elder_name', 'v.visited_at', 'o.display_name as owner_name'])
    .where('f.elder_id', '=', elderId)
    .orderBy('f.created_at', 'desc')
    .orderBy('f.id', 'desc')
    .limit(500)
    .execute();
}

/** One finding with the names it mentions (anywhere; the caller checks the jurisdiction). */
export function findFindingDetail(db: Executor, id: string): Promise<FindingDetailRow | undefined> {
  return withElder(db)
    .leftJoin('users as ab', 'ab.id', 'f.acknowledged_by')
    .leftJoin('users as cb', 'cb.id', 'f.created_by')
    .selectAll('f')
    .select([
      'e.name as elder_name',
      'v.visited_at',
      'o.display_name as owner_name',
      'ab.display_name as acknowledged_by_name',
      'cb.display_name as created_by_name',
    ])
    .where('f.id', '=', id)
    .executeTakeFirst();
}

/** A finding row, locked for the rest of the transaction (its changes are serialised). */
export function lockFindingRow(db: Executor, id: string): Promise<FindingRow | undefined> {
  return db.selectFrom('findings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a finding (and its `updated_at`). */
export async function updateFinding(
  db: Executor,
  id: string,
  set: Updateable<FindingsTable>,
): Promise<void> {
  await db
    .updateTable('findings')
    .set({ ...set, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** A step to record. */
export type NewFindingEvent = Omit<Insertable<FindingEventsTable>, 'detail'> & {
  detail?: Record<string, unknown> | null;
};

/** Records steps of findings. */
export async function insertFindingEvents(db: Executor, rows: NewFindingEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('finding_events')
    .values(rows.map((r) => ({ ...r, detail: r.detail ? JSON.stringify(r.detail) : null })))
    .execute();
}

/** A step of a finding. */
export type FindingEventRow = Selectable<FindingEventsTable>;

/** A finding's steps, oldest first. */
export function eventsOfFinding(db: Executor, findingId: string): Promise<FindingEventRow[]> {
  return db
    .selectFrom('finding_events')
    .selectAll()
    .where('finding_id', '=', findingId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** A disposal record with the name of who wrote it. */
export type DisposalRow = Selectable<FindingDisposalsTable> & { created_by_name: string | null };

/** A finding's disposal records, oldest first. */
export function disposalsOfFinding(db: Executor, findingId: string): Promise<DisposalRow[]> {
  return db
    .selectFrom('finding_disposals as d')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .selectAll('d')
    .select('u.display_name as created_by_name')
    .where('d.finding_id', '=', findingId)
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute();
}

/** How many disposal records a finding has. */
export async function countDisposals(db: Executor, findingId: string): Promise<number> {
  const row = await db
    .selectFrom('finding_disposals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('finding_id', '=', findingId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Writes a disposal record. */
export async function insertDisposal(
  db: Executor,
  row: Insertable<FindingDisposalsTable>,
): Promise<void> {
  await db.insertInto('finding_disposals').values(row).execute();
}

/** A member of staff who may own a finding. */
export interface StaffRow {
  id: string;
  display_name: string;
  role: string;
  jurisdiction: string;
  on_duty: boolean;
}

/**
 * Active village, township and county staff whose jurisdiction is the village or encloses it:
 * those who may own a finding there, village first.
 */
export function staffOfVillage(db: Executor, villageCode: string): Promise<StaffRow[]> {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'jurisdiction', 'on_duty'])
    .where('status', '=', 'active')
    .where('role', 'in', ['village', 'township', 'county'])
    .where('jurisdiction', 'in', regionCodePath(villageCode))
    .orderBy(sql`length(jurisdiction)`, 'desc')
    .orderBy('display_name')
    .limit(200)
    .execute();
}

/** The display name of a user (who acted), if the user exists. */
export async function displayNameOf(db: Executor, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.display_name ?? null;
}
