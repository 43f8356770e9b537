import { uuidv7 } from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';

/** One row to write to the audit log. */
export interface AuditInsert {
  actorId: string | null;
  actorUsername: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  regionCode: string | null;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

/** Filters for reading the audit log; `jurisdiction` is always applied. */
export interface AuditFilter {
  jurisdiction: string;
  region?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  entity?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  offset: number;
}

/** The row of an entry; `detail` as JSON text. */
export function toRow(entry: AuditInsert) {
  return {
    id: uuidv7(),
    actor_id: entry.actorId,
    actor_username: entry.actorUsername,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId,
    region_code: entry.regionCode,
    request_id: entry.requestId,
    ip: entry.ip,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
}

/** Writes an audit row on the given executor (inside the caller's transaction when it has one). */
export async function insertAudit(db: Executor, entry: AuditInsert): Promise<void> {
  await db.insertInto('audit_log').values(toRow(entry)).execute();
}

/**
 * Writes many audit entries in one statement (one JSON parameter), in the caller's transaction:
 * e.g. the per-record `elder.import` entries of a batch, so each record's history shows the import.
 */
export async function insertAuditEntries(db: Executor, entries: AuditInsert[]): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({ ...toRow(e), detail: e.detail }));
  await sql`
    insert into audit_log (id, actor_id, actor_username, action, entity, entity_id, region_code,
      request_id, ip, detail)
    select id, actor_id, actor_username, action, entity, entity_id, region_code, request_id, ip,
      detail
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, actor_id uuid,
      actor_username text, action text, entity text, entity_id text, region_code text,
      request_id text, ip text, detail jsonb)`.execute(db);
}

/** A page of audit rows, newest first, with the total. */
export async function listAudit(db: Executor, f: AuditFilter) {
  let q = db.selectFrom('audit_log').where('region_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('region_code', 'like', `${f.region}%`);
  if (f.actor) q = q.where('actor_username', '=', f.actor);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.entity) q = q.where('entity', '=', f.entity);
  if (f.from) q = q.where('at', '>=', new Date(f.from));
  if (f.to) q = q.where('at', '<=', new Date(f.to));
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
