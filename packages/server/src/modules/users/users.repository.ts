import type { Role } from '@tanfang/domain';
import { sql, type Selectable, type Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { UsersTable } from '../../db/schema.js';

/** A user row. */
export type UserRow = Selectable<UsersTable>;

/** Filters for listing users; `jurisdiction` is always applied. */
export interface UserFilter {
  jurisdiction: string;
  q?: string | undefined;
  role?: Role | undefined;
  region?: string | undefined;
  status?: 'active' | 'disabled' | 'locked' | undefined;
  limit: number;
  offset: number;
}

/** A user by login name (case-insensitive). */
export function findUserByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

/** A user by id, only if within `jurisdiction`. */
export function findUserInJurisdiction(
  db: Executor,
  id: string,
  jurisdiction: string,
): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('jurisdiction', 'like', `${jurisdiction}%`)
    .executeTakeFirst();
}

/** A user by id. */
export function findUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of users, by username, with the total. */
export async function listUsers(
  db: Executor,
  f: UserFilter,
): Promise<{ rows: UserRow[]; total: number }> {
  let q = db.selectFrom('users').where('jurisdiction', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('jurisdiction', 'like', `${f.region}%`);
  if (f.role) q = q.where('role', '=', f.role);
  if (f.status === 'locked') q = q.where('locked_until', '>', new Date());
  else if (f.status) q = q.where('status', '=', f.status);
  if (f.q) {
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(username)`, 'like', pattern),
        eb('display_name', 'like', pattern),
      ]),
    );
  }
  const [rows, count] = await Promise.all([
    q.selectAll().orderBy('username').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Inserts a user. */
export async function insertUser(
  db: Executor,
  user: Pick<
    UserRow,
    'id' | 'username' | 'display_name' | 'role' | 'jurisdiction' | 'phone' | 'password_hash'
  > &
    Partial<Pick<UserRow, 'provider_id'>>,
): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

/** Updates a user and returns the new row. */
export function updateUser(
  db: Executor,
  id: string,
  patch: Updateable<UsersTable>,
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Counts users (for the demo's first-run check). */
export async function countUsers(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
