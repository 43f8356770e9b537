import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import { PROOF_LIMITS, type ChecklistItem, type VisitLocation } from '@tanfang/domain';
import type { FindingsTable, VisitsTable } from '../../db/schema.js';
import { PREPARED } from '../../db/database.js';
import { toRow, type AuditInsert } from '../audit/audit.repository.js';
import { applyVisitsCtes } from '../rollups/rollups.repository.js';
import { mergedOverridesSql, type DeadlineOverrides } from '../findings/deadlines.repository.js';

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

/** The located in-person visits of these elders (the references for far_location), oldest first. */
export function locatedInPersonVisits(db: Executor, elderIds: string[]) {
  if (elderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('visits')
    .select(['id', 'elder_id', 'visited_at', 'location'])
    .where('elder_id', 'in', elderIds)
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
  /**
   * Locations of the elder's last located in-person visits before this one (the reference);
   * empty unless asked for (`located`).
   */
  earlier: VisitLocation[];
  /** The finding deadlines the elder's village and the regions enclosing it set (merged). */
  deadlines: DeadlineOverrides;
}

/** What one recording asks of `recordingFacts`. */
export interface RecordingFactsQuery {
  elderId: string;
  visitId: string;
  userId: string;
  /** The visitor staff named (null when a visitor records their own visit). */
  visitorId: string | null;
  /** China date of the recording (assignments in force). */
  today: string;
  visitedAt: Date;
  /** Whether the recording is a located in-person visit (only then are earlier ones read). */
  located: boolean;
}

/**
 * The facts `POST /api/visits` checks, for many recordings in ONE statement (the hot path:
 * concurrent submissions share it), in the order asked.
 */
export async function recordingFacts(
  db: Executor,
  queries: RecordingFactsQuery[],
): Promise<RecordingFacts[]> {
  const params = queries.map((q, idx) => ({
    idx,
    elder_id: q.elderId,
    visit_id: q.visitId,
    user_id: q.userId,
    visitor_id: q.visitorId,
    today: q.today,
    visited_at: q.visitedAt.toISOString(),
    located: q.located,
  }));
  const { rows } = await sql<{
    elder: ElderForVisit | null;
    registered: string | null;
    existing_elder_id: string | null;
    own: RecordingFacts['own'];
    named: RecordingFacts['named'];
    campaigns: RecordingFacts['campaigns'];
    earlier: VisitLocation[];
    deadlines: DeadlineOverrides;
  }>`${sql.raw(PREPARED)}
    select
      (select row_to_json(e) from (
         select id, name, county_code, village_code, tier, categories, status,
                to_char(status_since, 'YYYY-MM-DD') as status_since
         from elders where id = p.elder_id) e) as elder,
      (select to_char(effective_date, 'YYYY-MM-DD') from elder_status_history
         where elder_id = p.elder_id
         order by case when status = 'active' then 0 else 1 end, effective_date limit 1) as registered,
      (select elder_id from visits where id = p.visit_id) as existing_elder_id,
      (select row_to_json(o) from (
         select v.id, v.name, v.type, exists (
           select 1 from assignments a
           where a.visitor_id = v.id and a.elder_id = p.elder_id
             and a.start_date <= p.today
             and (a.end_date is null or a.end_date > p.today)) as assigned
         from visitors v where v.user_id = p.user_id and v.status = 'active') o) as own,
      (select row_to_json(n) from (
         select id, name, type, status, region_code from visitors
         where id = p.visitor_id) n) as named,
      (select coalesce(json_agg(json_build_object(
           'tiers', c.tiers, 'categories', c.categories, 'checklist', c.checklist)), '[]'::json)
         from campaigns c
         where c.status = 'active'
           and (select village_code from elders where id = p.elder_id) like c.region_code || '%'
           and c.starts_at <= p.visited_at and c.ends_at > p.visited_at) as campaigns,
      (select coalesce(json_agg(l.location), '[]'::json) from (
         select location from visits
         where p.located and elder_id = p.elder_id and method = 'in_person'
           and location is not null and visited_at < p.visited_at
         order by visited_at desc limit ${PROOF_LIMITS.referenceVisits}) l) as earlier,
      ${mergedOverridesSql(sql`(select village_code from elders where id = p.elder_id)`)}
        as deadlines
    from jsonb_to_recordset(${JSON.stringify(params)}::jsonb) as p(idx int, elder_id uuid,
      visit_id uuid, user_id uuid, visitor_id uuid, today date, visited_at timestamptz,
      located boolean)
    order by p.idx`.execute(db);
  return rows.map((r) => ({
    elder: r.elder,
    registered: r.registered,
    existingElderId: r.existing_elder_id,
    own: r.own,
    named: r.named,
    campaigns: r.campaigns,
    earlier: r.earlier,
    deadlines: r.deadlines ?? {},
  }));
}

/** A finding to write with its visit. */
export type NewFinding = Omit<Insertable<FindingsTable>, 'status' | 'created_at'>;

/** A finding a recording raises, with the id of its first step ('raised', in finding_events). */
export type RaisedFinding = NewFinding & {
  /** When it was raised: the visit's entry (its deadline counts from then). */
  created_at: Date;
  deadline_at: Date;
  deadline_action: 'acknowledge' | 'handle' | 'refer';
  event_id: string;
};

/** A visit to write, with what is written beside it. */
export interface VisitRecord {
  visit: {
    id: string;
    elder_id: string;
    county_code: string;
    village_code: string;
    visitor_id: string;
    visited_at: Date;
    entered_at: Date;
    method: string;
    template_key: string;
    template_version: number;
    answers: unknown;
    entered_by: string;
    device_time: Date | null;
    location: unknown;
    emergency: boolean;
    emergency_note: string | null;
    checklist: unknown;
    recorded_by_role: string;
  };
  findings: RaisedFinding[];
  audit: AuditInsert;
  /** Photos and signatures (uploaded before) to link to the visit. */
  attachmentIds: string[];
}

/**
 * Writes visits, their findings (with their deadlines and first step, 'raised'), audit entries
 * and the links of their attachments in ONE statement (atomic on its own). A visit whose id is already stored is skipped with all that
 * belongs to it. Returns, per visit in order, whether it was new and how many attachments were
 * linked (run it in a transaction when attachments are linked, so a shortfall can roll it back).
 * The ids must be distinct.
 */
export async function insertVisitRecords(
  db: Executor,
  records: VisitRecord[],
): Promise<{ inserted: boolean; attached: number }[]> {
  const visits = records.map((r) => r.visit);
  const findings = records.flatMap((r) => r.findings);
  const audits = records.map((r) => ({ ...toRow(r.audit), detail: r.audit.detail }));
  const attachments = records.flatMap((r) =>
    r.attachmentIds.map((id) => ({ id, visit_id: r.visit.id, elder_id: r.visit.elder_id })),
  );
  const { rows } = await sql<{ id: string; attached: number }>`${sql.raw(PREPARED)}
    with x as (
      select * from jsonb_to_recordset(${JSON.stringify(visits)}::jsonb) as x(id uuid,
        elder_id uuid, county_code text, village_code text, visitor_id uuid,
        visited_at timestamptz, entered_at timestamptz, method text, template_key text,
        template_version integer, answers jsonb, entered_by uuid, device_time timestamptz,
        location jsonb, emergency boolean, emergency_note text, checklist jsonb,
        recorded_by_role text)
    ), v as (
      insert into visits (id, elder_id, county_code, village_code, visitor_id, visited_at,
        entered_at, method, template_key, template_version, answers, entered_by, device_time,
        location, emergency, emergency_note, checklist, recorded_by_role)
      select id, elder_id, county_code, village_code, visitor_id, visited_at, entered_at, method,
        template_key, template_version, answers, entered_by, device_time, location, emergency,
        emergency_note, checklist, recorded_by_role
      from x
      on conflict (id) do nothing
      returning id, elder_id, visited_at, entered_at, method
    ), ${applyVisitsCtes('v')}, nf as (
      select * from jsonb_to_recordset(${JSON.stringify(findings)}::jsonb) as n(id uuid,
        visit_id uuid, elder_id uuid, county_code text, village_code text, type text,
        severity text, title text, source text, created_by uuid, created_at timestamptz,
        deadline_at timestamptz, deadline_action text, event_id uuid)
      where n.visit_id in (select id from v)
    ), f as (
      insert into findings (id, visit_id, elder_id, county_code, village_code, type, severity,
        title, source, created_by, created_at, updated_at, deadline_at, deadline_action)
      select n.id, n.visit_id, n.elder_id, n.county_code, n.village_code, n.type, n.severity,
        n.title, n.source, n.created_by, n.created_at, n.created_at, n.deadline_at,
        n.deadline_action
      from nf n
      returning id
    ), fe as (
      insert into finding_events (id, finding_id, elder_id, county_code, at, actor_id,
        actor_name, kind, to_status, detail)
      select n.event_id, n.id, n.elder_id, n.county_code, n.created_at, n.created_by,
        (select display_name from users where id = n.created_by), 'raised', 'open',
        jsonb_build_object('visitId', n.visit_id, 'source', n.source, 'deadlineAt', n.deadline_at,
          'deadlineAction', n.deadline_action)
      from nf n
      where n.id in (select id from f)
    ), a as (
      insert into audit_log (id, actor_id, actor_username, action, entity, entity_id, region_code,
        request_id, ip, detail)
      select y.id, y.actor_id, y.actor_username, y.action, y.entity, y.entity_id, y.region_code,
        y.request_id, y.ip, y.detail
      from jsonb_to_recordset(${JSON.stringify(audits)}::jsonb) as y(id uuid, actor_id uuid,
        actor_username text, action text, entity text, entity_id text, region_code text,
        request_id text, ip text, detail jsonb)
      where y.entity_id in (select id::text from v)
    ), att as (
      update attachments t set visit_id = y.visit_id
      from jsonb_to_recordset(${JSON.stringify(attachments)}::jsonb) as y(id uuid, visit_id uuid,
        elder_id uuid)
      where t.id = y.id and t.elder_id = y.elder_id and t.visit_id is null
        and y.visit_id in (select id from v)
      returning t.visit_id
    )
    select v.id, (select count(*) from att where att.visit_id = v.id)::int as attached
    from v`.execute(db);
  const written = new Map(rows.map((r) => [r.id, r.attached]));
  return visits.map((v) => ({
    inserted: written.has(v.id),
    attached: written.get(v.id) ?? 0,
  }));
}
