import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
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

/** The elders with these ID-number hashes, anywhere (bulk import matches on them). */
export function findEldersByIdHashes(db: Executor, idHashes: string[]): Promise<ElderRow[]> {
  if (idHashes.length === 0) return Promise.resolve([]);
  return db.selectFrom('elders').selectAll().where('id_hash', 'in', idHashes).execute();
}

/** Where the elders with these ID-number hashes are, and their record date: what bulk checking needs (no personal data). */
export function findElderPlacesByIdHashes(
  db: Executor,
  idHashes: string[],
): Promise<{ id_hash: string; village_code: string; record_date: string | null }[]> {
  if (idHashes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('elders')
    .select(['id_hash', 'village_code', sql<string | null>`data->>'recordDate'`.as('record_date')])
    .where('id_hash', 'in', idHashes)
    .execute();
}

/** Rows as one JSON array, with the JSON columns embedded as they are (already serialised). */
function jsonRows<T extends object>(rows: T[], jsonColumns: (keyof T)[]): string {
  return `[${rows
    .map((row) => {
      const plain = { ...row } as Record<string, unknown>;
      for (const c of jsonColumns) delete plain[c as string];
      const embedded = jsonColumns.map((c) => `,${JSON.stringify(c)}:${String(row[c])}`).join('');
      return `${JSON.stringify(plain).slice(0, -1)}${embedded}}`;
    })
    .join(',')}]`;
}

/**
 * Inserts many elders in one statement (the rows travel as one JSON parameter, which both
 * databases unpack faster than thousands of parameters). A row whose ID-number hash is already
 * taken (registered by someone else meanwhile) is left out, not an error: the ids returned are
 * those inserted.
 */
export async function insertElders(
  db: Executor,
  rows: (Insertable<EldersTable> & { data: string; evaluation: string })[],
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const payload = jsonRows(rows, ['data', 'evaluation']);
  const result = await sql<{ id: string }>`
    insert into elders (id, county_code, village_code, name, name_initials, gender, birth_date,
      id_hash, id_enc, id_masked, phone_enc, phone_masked, categories, tier, status, status_since,
      contradiction_count, data, evaluation, created_by, updated_by)
    select id, county_code, village_code, name, name_initials, gender, birth_date,
      id_hash, id_enc, id_masked, phone_enc, phone_masked, categories, tier, status, status_since,
      contradiction_count, data, evaluation, created_by, updated_by
    from jsonb_to_recordset(${payload}::jsonb) as v(id uuid, county_code text, village_code text,
      name text, name_initials text, gender text, birth_date date, id_hash text, id_enc text,
      id_masked text, phone_enc text, phone_masked text, categories text[], tier text,
      status text, status_since date, contradiction_count integer, data jsonb, evaluation jsonb,
      created_by uuid, updated_by uuid)
    on conflict (id_hash) do nothing
    returning id`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

/** The columns a bulk update sets (everything that follows from the data; not village or status). */
export type ElderBulkPatch = { data: string; evaluation: string } & Pick<
  Insertable<EldersTable>,
  | 'name'
  | 'name_initials'
  | 'gender'
  | 'birth_date'
  | 'phone_enc'
  | 'phone_masked'
  | 'categories'
  | 'tier'
  | 'contradiction_count'
  | 'data'
  | 'evaluation'
  | 'updated_by'
>;

/**
 * Updates many elders in one statement, each only if its version is still the one read
 * (version + 1 on success); the ids returned are those updated.
 */
export async function updateEldersIfVersion(
  db: Executor,
  updates: { id: string; version: number; patch: ElderBulkPatch }[],
): Promise<Set<string>> {
  if (updates.length === 0) return new Set();
  // One parameter: the rows as JSON, unpacked by jsonb_to_recordset (same on PostgreSQL and PGlite).
  const payload = jsonRows(
    updates.map(({ id, version, patch }) => ({ ...patch, id, version })),
    ['data', 'evaluation'],
  );
  const result = await sql<{ id: string }>`
    update elders as e set
      name = v.name, name_initials = v.name_initials, gender = v.gender,
      birth_date = v.birth_date, phone_enc = v.phone_enc, phone_masked = v.phone_masked,
      categories = v.categories, tier = v.tier, contradiction_count = v.contradiction_count,
      data = v.data, evaluation = v.evaluation, updated_by = v.updated_by,
      version = e.version + 1, updated_at = now()
    from jsonb_to_recordset(${payload}::jsonb) as v(
      id uuid, version integer, name text, name_initials text, gender text, birth_date date,
      phone_enc text, phone_masked text, categories text[], tier text,
      contradiction_count integer, data jsonb, evaluation jsonb, updated_by uuid)
    where e.id = v.id and e.version = v.version
    returning e.id`.execute(db);
  return new Set(result.rows.map((r) => r.id));
}

/** Appends many status entries in one statement (one JSON parameter). */
export async function insertStatuses(
  db: Executor,
  rows: Insertable<ElderStatusHistoryTable>[],
): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into elder_status_history (id, elder_id, county_code, status, effective_date,
      village_code, note, recorded_by)
    select id, elder_id, county_code, status, effective_date, village_code, note, recorded_by
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, elder_id uuid,
      county_code text, status text, effective_date date, village_code text, note text,
      recorded_by uuid)`.execute(db);
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
