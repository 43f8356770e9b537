import { createHash, randomBytes } from 'node:crypto';
import { LoginInput, type Role, type SessionDto } from '@tanfang/domain';
import type { Actor, Executor } from '../../context.js';
import { AppError, parseInput } from '../../http/errors.js';
import { insertAudit } from '../audit/audit.repository.js';
import type { UsersService } from '../users/users.service.js';
import { findUserByUsername, updateUser, type UserRow } from '../users/users.repository.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSessions,
  type LiveSession,
  insertSession,
  touchSession,
} from './auth.repository.js';
import { Batcher } from '../../db/batcher.js';
import { verifyPassword } from './passwords.js';
import { RateLimiter } from './rate-limit.js';

/** Consecutive failures that lock an account. */
export const MAX_FAILED_LOGINS = 5;
/** How long a lock lasts. */
export const LOCK_MINUTES = 15;

/** Where a request came from. */
export interface ClientMeta {
  ip: string;
  userAgent: string | null;
  requestId: string;
}

/** A resolved session. */
export interface ResolvedSession {
  actor: Actor;
  csrfToken: string;
  user: UserRow;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function formatTime(d: Date): string {
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** Sign-in, sessions and sign-out. */
export class AuthService {
  /** Failed logins per client address and per username, over five minutes. */
  private readonly perIp = new RateLimiter(30, 5 * 60_000);
  private readonly perUsername = new RateLimiter(10, 5 * 60_000);
  /** Every request resolves its session: concurrent look-ups share one statement. */
  private readonly sessions = new Batcher<string, LiveSession | undefined>(
    async (hashes) => {
      const found = await findLiveSessions(this.db, hashes);
      return hashes.map((h) => found.get(h));
    },
    { maxBatch: 200, maxInFlight: 2 },
  );

  constructor(
    private readonly db: Executor,
    private readonly users: UsersService,
    private readonly sessionHours: number,
  ) {}

  /** Checks a username and password; on success opens a session and returns its secret. */
  async login(
    rawInput: unknown,
    meta: ClientMeta,
  ): Promise<{ secret: string; session: SessionDto }> {
    const input = parseInput(LoginInput, rawInput);
    const key = input.username.toLowerCase();
    if (this.perIp.blocked(meta.ip) || this.perUsername.blocked(key)) {
      const seconds = Math.max(this.perIp.retryAfter(meta.ip), this.perUsername.retryAfter(key));
      throw new AppError(
        429,
        'rate_limited',
        `登录尝试过于频繁，请 ${seconds} 秒后再试`,
        undefined,
        undefined,
        {
          retryAfter: seconds,
        },
      );
    }
    const user = await findUserByUsername(this.db, input.username);
    // Always run argon2, even for an unknown user, so timing does not tell which names exist.
    const ok = await verifyPassword(user?.password_hash, input.password);
    const base = {
      actorId: user?.id ?? null,
      actorUsername: input.username,
      requestId: meta.requestId,
      ip: meta.ip,
      entity: 'user',
      entityId: user?.id ?? null,
      regionCode: user?.jurisdiction ?? null,
    };
    const now = new Date();
    if (!ok) {
      this.perIp.hit(meta.ip);
      this.perUsername.hit(key);
    }
    if (!user) {
      await insertAudit(this.db, {
        ...base,
        action: 'auth.login_failed',
        detail: { reason: 'unknown_user' },
      });
      throw new AppError(401, 'invalid_credentials', '用户名或密码错误');
    }
    if (user.locked_until && user.locked_until > now) {
      await insertAudit(this.db, {
        ...base,
        action: 'auth.login_refused',
        detail: { reason: 'locked' },
      });
      throw this.lockedError(user.locked_until);
    }
    if (user.status === 'disabled') {
      await insertAudit(this.db, {
        ...base,
        action: 'auth.login_refused',
        detail: { reason: 'disabled' },
      });
      throw new AppError(403, 'account_disabled', '该账户已停用，请联系管理员');
    }
    if (!ok) {
      const failures = user.failed_attempts + 1;
      const lock = failures >= MAX_FAILED_LOGINS;
      const lockedUntil = lock ? new Date(now.getTime() + LOCK_MINUTES * 60_000) : null;
      await this.db.transaction().execute(async (trx) => {
        await updateUser(trx, user.id, {
          failed_attempts: lock ? 0 : failures,
          locked_until: lockedUntil,
        });
        await insertAudit(trx, {
          ...base,
          action: lock ? 'auth.account_locked' : 'auth.login_failed',
          detail: { reason: 'wrong_password', failures },
        });
      });
      if (lockedUntil) throw this.lockedError(lockedUntil);
      throw new AppError(401, 'invalid_credentials', '用户名或密码错误');
    }
    const secret = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const fresh = await this.db.transaction().execute(async (trx) => {
      const updated = await updateUser(trx, user.id, {
        failed_attempts: 0,
        locked_until: null,
        last_login_at: now,
      });
      await insertSession(trx, {
        idHash: sha256(secret),
        userId: user.id,
        csrfToken,
        expiresAt: this.expiry(),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 300) ?? null,
      });
      await insertAudit(trx, { ...base, action: 'auth.login', detail: null });
      return updated;
    });
    if (Math.random() < 0.05) void deleteExpiredSessions(this.db).catch(() => undefined);
    return { secret, session: { user: await this.users.present(fresh), csrfToken } };
  }

  /** The session behind a cookie secret, sliding its expiry; undefined if none or expired. */
  async resolve(secret: string | undefined): Promise<ResolvedSession | undefined> {
    if (!secret || secret.length > 100) return undefined;
    const idHash = sha256(secret);
    const found = await this.sessions.submit(idHash);
    if (!found || found.user.status !== 'active') return undefined;
    if (Date.now() - found.lastSeenAt.getTime() > 60_000)
      await touchSession(this.db, idHash, this.expiry());
    const u = found.user;
    return {
      actor: {
        userId: u.id,
        username: u.username,
        role: u.role as Role,
        jurisdiction: u.jurisdiction,
      },
      csrfToken: found.csrfToken,
      user: u,
    };
  }

  /** Ends the session behind a cookie secret. */
  async logout(secret: string, actor: Actor, meta: ClientMeta): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await deleteSession(trx, sha256(secret));
      await insertAudit(trx, {
        actorId: actor.userId,
        actorUsername: actor.username,
        action: 'auth.logout',
        entity: 'user',
        entityId: actor.userId,
        regionCode: actor.jurisdiction,
        requestId: meta.requestId,
        ip: meta.ip,
        detail: null,
      });
    });
  }

  private expiry(): Date {
    return new Date(Date.now() + this.sessionHours * 3600_000);
  }

  private lockedError(until: Date): AppError {
    return new AppError(
      423,
      'account_locked',
      `该账户因连续 ${MAX_FAILED_LOGINS} 次密码错误已被锁定，请于 ${formatTime(until)} 后再试，或请管理员解锁`,
      undefined,
      undefined,
      { lockedUntil: until.toISOString() },
    );
  }
}
