import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import type { ElderStatusHistoryTable, EldersTable } from '../../db/schema.js';

/** An elder row. */
export type ElderRow = Selectable<EldersTable>;
/** A status-history row. */
export type ElderStatusRow = Selectable<ElderStatusHistoryTable>;

/** Filters for the ledger list; `jurisdiction` is always applied. */
export interface ElderFilter {
  jurisdiction: string;
  region?: string | undefined;
  category?: string | undefined;
  tier?: string | undefined;
  status?: string | undefined;
  /** A name part (Chinese) or pinyin initials (ASCII letters). */
  q?: string | undefined;
  limit: number;
  offset: number;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** One elder within `jurisdiction`. */
export function findElderInJurisdiction(
  db: Executor,
  id: string,
  jurisdiction: string,
): Promise<ElderRow | undefined> {
  return db
    .selectFrom('elders')
    .selectAll()
    .where('id', '=', id)
    .where('village_code', 'like', `${jurisdiction}%`)
    .executeTakeFirst();
}

/** The elder with this ID-number hash, anywhere. */
export function findElderByIdHash(
  db: Executor,
  idHash: string,
): Promise<Pick<ElderRow, 'id' | 'name' | 'village_code'> | undefined> {
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code'])
    .where('id_hash', '=', idHash)
    .executeTakeFirst();
}

/** Others with the same name and birth date in the same township (likely duplicates). */
export function findLikelyDuplicates(
  db: Executor,
  e: { id: string | null; name: string; birthDate: string; villageCode: string },
): Promise<Pick<ElderRow, 'id' | 'name' | 'village_code'>[]> {
  let q = db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code'])
    .where(sql<string>`substr(village_code, 1, 9)`, '=', e.villageCode.slice(0, 9))
    .where('name', '=', e.name)
    .where('birth_date', '=', e.birthDate);
  if (e.id) q = q.where('id', '!=', e.id);
  return q.limit(10).execute();
}

/** A page of the ledger with the total. */
export async function listElders(
  db: Executor,
  f: ElderFilter,
): Promise<{ rows: ElderRow[]; total: number }> {
  let q = db.selectFrom('elders').where('village_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('village_code', 'like', `${f.region}%`);
  if (f.status) q = q.where('status', '=', f.status as ElderRow['status']);
  if (f.tier) q = q.where('tier', '=', f.tier as ElderRow['tier']);
  if (f.category) q = q.where(sql<boolean>`categories @> array[${f.category}]::text[]`);
  if (f.q) {
    q = /^[a-z]+$/i.test(f.q)
      ? q.where('name_initials', 'like', `${escapeLike(f.q.toLowerCase())}%`)
      : q.where('name', 'like', `%${escapeLike(f.q)}%`);
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('village_code')
      .orderBy('name')
      .orderBy('id')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Inserts an elder. */
export function insertElder(db: Executor, row: Insertable<EldersTable>): Promise<ElderRow> {
  return db.insertInto('elders').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Updates an elder if its version is still `version`; undefined when someone saved first. */
export function updateElderIfVersion(
  db: Executor,
  id: string,
  version: number,
  patch: Updateable<EldersTable>,
): Promise<ElderRow | undefined> {
  return db
    .updateTable('elders')
    .set({ ...patch, version: version + 1, updated_at: new Date() })
    .where('id', '=', id)
    .where('version', '=', version)
    .returningAll()
    .executeTakeFirst();
}

/** Appends a status entry. */
export async function insertStatus(
  db: Executor,
  row: Insertable<ElderStatusHistoryTable>,
): Promise<void> {
  await db.insertInto('elder_status_history').values(row).execute();
}

/** An elder's status history, oldest first. */
export function listStatusHistory(db: Executor, elderId: string): Promise<ElderStatusRow[]> {
  return db
    .selectFrom('elder_status_history')
    .selectAll()
    .where('elder_id', '=', elderId)
    .orderBy('effective_date')
    .orderBy('recorded_at')
    .execute();
}

/** The changes of an elder from the audit log (not the reads), oldest first. */
export function listElderChanges(db: Executor, elderId: string) {
  return db
    .selectFrom('audit_log')
    .select(['at', 'actor_username', 'action', 'detail'])
    .where('entity', '=', 'elder')
    .where('entity_id', '=', elderId)
    .where('action', 'in', [
      'elder.create',
      'elder.update',
      'elder.status',
      'elder.reveal',
      'elder.import',
    ])
    .orderBy('at')
    .execute();
}
