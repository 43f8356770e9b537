import type { Executor } from '../../context.js';
import type { UserRow } from '../users/users.repository.js';

/** Stores a new session. */
export async function insertSession(
  db: Executor,
  s: {
    idHash: string;
    userId: string;
    csrfToken: string;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: s.idHash,
      user_id: s.userId,
      csrf_token: s.csrfToken,
      expires_at: s.expiresAt,
      ip: s.ip,
      user_agent: s.userAgent,
    })
    .execute();
}

/** A live session with its user. */
export interface LiveSession {
  csrfToken: string;
  lastSeenAt: Date;
  user: UserRow;
}

/** The live sessions among these id hashes, by hash (absent or expired ones are missing). */
export async function findLiveSessions(
  db: Executor,
  idHashes: string[],
): Promise<Map<string, LiveSession>> {
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.id_hash', 'sessions.csrf_token', 'sessions.last_seen_at'])
    .where('sessions.id_hash', 'in', [...new Set(idHashes)])
    .where('sessions.expires_at', '>', new Date())
    .execute();
  return new Map(
    rows.map(({ id_hash, csrf_token, last_seen_at, ...user }) => [
      id_hash,
      { csrfToken: csrf_token, lastSeenAt: last_seen_at, user },
    ]),
  );
}

/** Slides a session's expiry forward. */
export async function touchSession(db: Executor, idHash: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(), expires_at: expiresAt })
    .where('id_hash', '=', idHash)
    .execute();
}

/** Ends one session. */
export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of a user (on disable or password reset). */
export async function deleteUserSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

/** Removes expired sessions. */
export async function deleteExpiredSessions(db: Executor): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', new Date()).execute();
}
