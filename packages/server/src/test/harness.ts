/**
 * Runs integration tests on every database we support: the embedded PGlite always, and
 * PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Each suite gets its own fresh database
 * from the templates made in global-setup.ts, and the real HTTP app on it.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Role } from '@tanfang/domain';
import { uuidv7 } from '@tanfang/domain';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { buildApp } from '../app.js';
import { Vault } from '../crypto.js';
import { openPglite, openPostgres, type Database } from '../db/database.js';
import { hashPassword } from '../modules/auth/passwords.js';
import { insertUser, type UserRow } from '../modules/users/users.repository.js';
import { createServices, type Services } from '../services.js';

/** The master key of every test database. */
export const TEST_KEY = Buffer.alloc(32, 7);

/** The password every factory-made user has. */
export const TEST_PASSWORD = 'test-password-2026';

let passwordHash: Promise<string> | undefined;

/** A signed-in HTTP client over `app.inject`. */
export interface Client {
  user: UserRow;
  csrfToken: string;
  cookie: string;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** What a test suite gets. */
export interface TestEnv {
  kind: 'pglite' | 'postgres';
  database: Database;
  services: Services;
  app: FastifyInstance;
  /** Makes a user directly in the database (password TEST_PASSWORD). */
  createUser(
    role: Role,
    jurisdiction: string,
    overrides?: Partial<Pick<UserRow, 'username' | 'display_name' | 'phone'>>,
  ): Promise<UserRow>;
  /** Makes a user and signs them in. */
  signIn(role: Role, jurisdiction: string): Promise<Client>;
  /** Signs in an existing user. */
  login(username: string, password?: string): Promise<Client>;
}

/** A fresh PostgreSQL database copied from the template; its URL and how to drop it. */
export async function scratchPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, template } = inject('postgresTemplate')!;
  const name = `${inject('testDbPrefix')}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`create database ${name} template ${template}`);
      break;
    } catch (error) {
      // Another file copying the template at the same moment: wait and retry.
      if (attempt > 20) throw error;
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
    }
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function openTestDatabase(
  kind: 'pglite' | 'postgres',
): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (kind === 'pglite') {
    const dump = new Uint8Array(fs.readFileSync(inject('pgliteTemplate')));
    return {
      database: await openPglite({ dataDir: undefined, loadDump: dump }),
      drop: async () => undefined,
    };
  }
  const { url, drop } = await scratchPostgres();
  return { database: await openPostgres(url, 4), drop };
}

/** The databases this run covers. */
export function testDatabaseKinds(): ('pglite' | 'postgres')[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

/** Declares `fn`'s tests once per database, each on a fresh database and app. */
export function describeEachDatabase(title: string, fn: (env: () => TestEnv) => void): void {
  for (const kind of testDatabaseKinds()) {
    describe(`${title} [${kind}]`, () => {
      let env: TestEnv | undefined;
      let drop: (() => Promise<void>) | undefined;
      beforeAll(async () => {
        const opened = await openTestDatabase(kind);
        drop = opened.drop;
        const database = opened.database;
        const services = createServices(database, { sessionHours: 12 }, new Vault(TEST_KEY));
        const app = await buildApp(services, {
          trustProxy: false,
          sessionHours: 12,
          secureCookies: 'false',
          logLevel: 'silent',
          webDir: '/nonexistent',
        });
        await app.ready();
        let counter = 0;
        const createUser: TestEnv['createUser'] = async (role, jurisdiction, overrides = {}) => {
          passwordHash ??= hashPassword(TEST_PASSWORD);
          counter += 1;
          return insertUser(database.db, {
            id: uuidv7(),
            username: overrides.username ?? `${role}-${counter}-${randomBytes(3).toString('hex')}`,
            display_name: overrides.display_name ?? `测试${role}${counter}`,
            role,
            jurisdiction,
            phone: overrides.phone ?? null,
            password_hash: await passwordHash,
          });
        };
        const login: TestEnv['login'] = async (username, password = TEST_PASSWORD) => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username, password },
          });
          if (res.statusCode !== 200)
            throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
          const body = res.json() as { csrfToken: string; user: { id: string } };
          const setCookie = res.headers['set-cookie'];
          const cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0]!;
          const user = await database.db
            .selectFrom('users')
            .selectAll()
            .where('id', '=', body.user.id)
            .executeTakeFirstOrThrow();
          const send = (options: InjectOptions) =>
            app.inject({
              ...options,
              headers: { cookie, 'x-csrf-token': body.csrfToken, ...(options.headers ?? {}) },
            });
          return {
            user,
            csrfToken: body.csrfToken,
            cookie,
            inject: send,
            get: (url) => send({ method: 'GET', url }),
            post: (url, payload) =>
              send({
                method: 'POST',
                url,
                ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
              }),
            patch: (url, payload) =>
              send({
                method: 'PATCH',
                url,
                ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
              }),
          };
        };
        env = {
          kind,
          database,
          services,
          app,
          createUser,
          login,
          signIn: async (role, jurisdiction) =>
            login((await createUser(role, jurisdiction)).username),
        };
      });
      afterAll(async () => {
        await env?.app.close();
        await env?.database.close();
        await drop?.();
      });
      fn(() => {
        if (!env) throw new Error('test environment not ready');
        return env;
      });
    });
  }
}
