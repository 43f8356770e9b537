/**
 * Prepares database templates once per test run, so each integration test file starts from a
 * migrated database with the bundled regions in well under a second:
 * - PGlite: a dump of the data directory, loaded into a fresh in-memory instance per file;
 * - PostgreSQL (when TEST_DATABASE_URL is set): a template database, copied per file.
 * With CI=true, a missing TEST_DATABASE_URL fails the run instead of skipping PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { loadBundledRegions } from '../modules/regions/regions.loader.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: { adminUrl: string; template: string } | null;
    testDbPrefix: string;
  }
}

/**
 * Prefix of this run's PostgreSQL databases. TEST_DB_PREFIX lets two runs share one server
 * (each drops only its own leftovers).
 */
const PREFIX = process.env['TEST_DB_PREFIX'] ?? 'tanfang_test';
if (!/^[a-z][a-z0-9_]{0,30}$/.test(PREFIX)) throw new Error('TEST_DB_PREFIX: use a-z, 0-9 and _');
/** Name of the PostgreSQL template database. */
const TEMPLATE_DB = `${PREFIX}_template`;

async function buildPgliteTemplate(): Promise<string> {
  const database = await openPglite({ dataDir: undefined });
  await migrate(database);
  await loadBundledRegions(database.db);
  const bytes = await database.dump!();
  await database.close();
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-test-')),
    'pglite-template.tar',
  );
  fs.writeFileSync(file, bytes);
  return file;
}

async function buildPostgresTemplate(url: string): Promise<{ adminUrl: string; template: string }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // Drop leftovers of earlier runs (a killed run cannot clean up after itself).
  const old = await admin.query<{ datname: string }>(
    'select datname from pg_database where datname like $1',
    [`${PREFIX}\\_%`],
  );
  for (const { datname } of old.rows)
    await admin.query(`drop database if exists "${datname}" with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const database = await openPostgres(templateUrl.toString(), 2);
  await migrate(database);
  await loadBundledRegions(database.db);
  await database.close();
  return { adminUrl: url, template: TEMPLATE_DB };
}

export default async function setup(project: TestProject) {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url && process.env['CI'] === 'true') {
    throw new Error(
      'CI=true but TEST_DATABASE_URL is not set: the PostgreSQL suite must run in CI',
    );
  }
  const [pgliteTemplate, postgresTemplate] = await Promise.all([
    buildPgliteTemplate(),
    url ? buildPostgresTemplate(url) : Promise.resolve(null),
  ]);
  project.provide('pgliteTemplate', pgliteTemplate);
  project.provide('postgresTemplate', postgresTemplate);
  project.provide('testDbPrefix', PREFIX);
  return async () => {
    fs.rmSync(path.dirname(pgliteTemplate), { recursive: true, force: true });
  };
}
