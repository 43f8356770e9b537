import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type { ChecklistItem, VisitLocation } from '@tanfang/domain';
import type { FindingsTable, VisitsTable } from '../../db/schema.js';
import { toRow, type AuditInsert } from '../audit/audit.repository.js';

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

/** Attachments by id (no content). */
export function findAttachmentsMeta(db: Executor, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['id', 'elder_id', 'visit_id', 'kind', 'mime', 'size', 'sha256'])
    .where('id', 'in', ids)
    .execute();
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

/** Everything recording a visit checks, read in one round trip. */
export interface RecordingFacts {
  elder: ElderForVisit | null;
  /** The date the elder was registered (as `registrationDate`). */
  registered: string | null;
  /** The elder of a visit already stored under this id (a retry), if any. */
  existingElderId: string | null;
  /** The signed-in visitor's own record, and whether they visit the elder today. */
  own: { id: string; name: string; type: string; assigned: boolean } | null;
  /** The visitor staff named. */
  named: { id: string; name: string; type: string; status: string; region_code: string } | null;
  /** Campaigns in force at the visit for the elder's village (selectors and checklist). */
  campaigns: { tiers: string[]; categories: string[]; checklist: ChecklistItem[] }[];
  /** Locations of the elder's last 50 in-person visits before this one. */
  earlier: VisitLocation[];
}

/** The facts `POST /api/visits` checks, in one statement (the hot path of recording). */
export async function recordingFacts(
  db: Executor,
  p: {
    elderId: string;
    visitId: string;
    userId: string;
    visitorId: string | null;
    today: string;
    visitedAt: Date;
  },
): Promise<RecordingFacts> {
  const { rows } = await sql<{
    elder: ElderForVisit | null;
    registered: string | null;
    existing_elder_id: string | null;
    own: RecordingFacts['own'];
    named: RecordingFacts['named'];
    campaigns: RecordingFacts['campaigns'];
    earlier: VisitLocation[];
  }>`
    select
      (select row_to_json(e) from (
         select id, name, county_code, village_code, tier, categories, status,
                to_char(status_since, 'YYYY-MM-DD') as status_since
         from elders where id = ${p.elderId}::uuid) e) as elder,
      (select to_char(effective_date, 'YYYY-MM-DD') from elder_status_history
         where elder_id = ${p.elderId}::uuid
         order by case when status = 'active' then 0 else 1 end, effective_date limit 1) as registered,
      (select elder_id from visits where id = ${p.visitId}::uuid) as existing_elder_id,
      (select row_to_json(o) from (
         select v.id, v.name, v.type, exists (
           select 1 from assignments a
           where a.visitor_id = v.id and a.elder_id = ${p.elderId}::uuid
             and a.start_date <= ${p.today}::date
             and (a.end_date is null or a.end_date > ${p.today}::date)) as assigned
         from visitors v where v.user_id = ${p.userId}::uuid and v.status = 'active') o) as own,
      (select row_to_json(n) from (
         select id, name, type, status, region_code from visitors
         where id = ${p.visitorId}::uuid) n) as named,
      (select coalesce(json_agg(json_build_object(
           'tiers', c.tiers, 'categories', c.categories, 'checklist', c.checklist)), '[]'::json)
         from campaigns c
         where c.status = 'active'
           and (select village_code from elders where id = ${p.elderId}::uuid) like c.region_code || '%'
           and c.starts_at <= ${p.visitedAt} and c.ends_at > ${p.visitedAt}) as campaigns,
      (select coalesce(json_agg(l.location), '[]'::json) from (
         select location from visits
         where elder_id = ${p.elderId}::uuid and method = 'in_person' and location is not null
           and visited_at < ${p.visitedAt}
         order by visited_at desc limit 50) l) as earlier`.execute(db);
  const r = rows[0]!;
  return {
    elder: r.elder,
    registered: r.registered,
    existingElderId: r.existing_elder_id,
    own: r.own,
    named: r.named,
    campaigns: r.campaigns,
    earlier: r.earlier,
  };
}

/** A finding to write with its visit. */
export type NewFinding = Omit<Insertable<FindingsTable>, 'status' | 'created_at'>;

/**
 * Writes a visit, its findings, its audit entry and the link of its attachments in ONE statement
 * (atomic on its own): nothing but the visit's insert happens when the id is already stored.
 * Returns whether the visit was new and how many attachments were linked (run it in a
 * transaction when attachments are linked, so a shortfall can roll it back).
 */
export async function insertVisitRecord(
  db: Executor,
  p: {
    visit: Insertable<VisitsTable>;
    findings: NewFinding[];
    audit: AuditInsert;
    attachmentIds: string[];
  },
): Promise<{ inserted: boolean; attached: number }> {
  const v = p.visit;
  const audit = { ...toRow(p.audit), detail: p.audit.detail };
  const { rows } = await sql<{ inserted: number; attached: number }>`
    with v as (
      insert into visits (id, elder_id, county_code, village_code, visitor_id, visited_at,
        entered_at, method, template_key, template_version, answers, entered_by, device_time,
        location, emergency, emergency_note, checklist, recorded_by_role)
      values (${v.id}, ${v.elder_id}, ${v.county_code}, ${v.village_code}, ${v.visitor_id ?? null},
        ${v.visited_at}, ${v.entered_at ?? new Date()}, ${v.method}, ${v.template_key},
        ${v.template_version}, ${v.answers ?? '{}'}::jsonb, ${v.entered_by ?? null},
        ${v.device_time ?? null}, ${v.location ?? null}::jsonb, ${v.emergency ?? false},
        ${v.emergency_note ?? null}, ${v.checklist ?? '[]'}::jsonb, ${v.recorded_by_role ?? null})
      on conflict (id) do nothing
      returning id
    ), f as (
      insert into findings (id, visit_id, elder_id, county_code, village_code, type, severity,
        title, source, created_by)
      select x.id, x.visit_id, x.elder_id, x.county_code, x.village_code, x.type, x.severity,
        x.title, x.source, x.created_by
      from jsonb_to_recordset(${JSON.stringify(p.findings)}::jsonb) as x(id uuid, visit_id uuid,
        elder_id uuid, county_code text, village_code text, type text, severity text, title text,
        source text, created_by uuid)
      where exists (select 1 from v)
    ), a as (
      insert into audit_log (id, actor_id, actor_username, action, entity, entity_id, region_code,
        request_id, ip, detail)
      select x.id, x.actor_id, x.actor_username, x.action, x.entity, x.entity_id, x.region_code,
        x.request_id, x.ip, x.detail
      from jsonb_to_recordset(${JSON.stringify([audit])}::jsonb) as x(id uuid, actor_id uuid,
        actor_username text, action text, entity text, entity_id text, region_code text,
        request_id text, ip text, detail jsonb)
      where exists (select 1 from v)
    ), att as (
      update attachments set visit_id = ${v.id}::uuid
      where id = any(${p.attachmentIds}::uuid[]) and elder_id = ${v.elder_id}::uuid
        and visit_id is null and exists (select 1 from v)
      returning id
    )
    select (select count(*) from v)::int as inserted, (select count(*) from att)::int as attached`.execute(
    db,
  );
  return { inserted: rows[0]!.inserted > 0, attached: rows[0]!.attached };
}
