import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { ServiceProvidersTable } from '../../db/schema.js';

/** A provider row. */
export type ProviderRow = Selectable<ServiceProvidersTable>;

/** Filters for the provider list; `jurisdiction` is always applied. */
export interface ProviderFilter {
  /** Providers of regions within it, or enclosing it, are visible. */
  jurisdiction: string;
  region?: string | undefined;
  kind?: string | undefined;
  status?: 'active' | 'inactive' | undefined;
  /** Only providers whose region encloses this village (they may take its referrals). */
  serving?: string | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** `region_code` nests with `code`: lies within it or encloses it. */
const nestsWith = (code: string) =>
  sql<boolean>`(region_code like ${`${code}%`} or ${code} like region_code || '%')`;

/** A provider by id, anywhere. */
export function findProviderById(db: Executor, id: string): Promise<ProviderRow | undefined> {
  return db.selectFrom('service_providers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A provider whose region nests with `jurisdiction` (visible to its staff). */
export function findVisibleProvider(
  db: Executor,
  id: string,
  jurisdiction: string,
): Promise<ProviderRow | undefined> {
  return db
    .selectFrom('service_providers')
    .selectAll()
    .where('id', '=', id)
    .where(nestsWith(jurisdiction))
    .executeTakeFirst();
}

/** Providers' names by id. */
export async function providerNames(db: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('service_providers')
    .select(['id', 'name'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A page of visible providers (active first, then by region and name) with the total. */
export async function listProviders(
  db: Executor,
  f: ProviderFilter,
): Promise<{ rows: ProviderRow[]; total: number }> {
  let q = db.selectFrom('service_providers').where(nestsWith(f.jurisdiction));
  if (f.region) q = q.where(nestsWith(f.region));
  if (f.serving) q = q.where(sql<boolean>`${f.serving} like region_code || '%'`);
  if (f.kind) q = q.where(sql<boolean>`${f.kind} = any(kinds)`);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.q) q = q.where('name', 'like', `%${escapeLike(f.q)}%`);
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('status')
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

/** Inserts a provider. */
export function insertProvider(
  db: Executor,
  row: Insertable<ServiceProvidersTable>,
): Promise<ProviderRow> {
  return db.insertInto('service_providers').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Changes a provider. */
export function updateProvider(
  db: Executor,
  id: string,
  patch: Updateable<ServiceProvidersTable>,
): Promise<ProviderRow> {
  return db
    .updateTable('service_providers')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** How many accounts (role 服务机构) belong to each provider. */
export async function countProviderAccounts(
  db: Executor,
  ids: string[],
): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['provider_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('provider_id', 'in', ids)
    .groupBy('provider_id')
    .execute();
  return new Map(rows.map((r) => [r.provider_id!, Number(r.n)]));
}

/** The provider a user account belongs to, if any. */
export async function providerOfUser(
  db: Executor,
  userId: string,
): Promise<ProviderRow | undefined> {
  return db
    .selectFrom('users')
    .innerJoin('service_providers as p', 'p.id', 'users.provider_id')
    .selectAll('p')
    .where('users.id', '=', userId)
    .executeTakeFirst();
}
