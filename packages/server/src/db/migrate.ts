import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

/** The folder of plain-SQL migrations, `<timestamp>_<name>.sql` with `-- migrate:up` / `-- migrate:down`. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** One migration file. */
export interface Migration {
  version: string;
  name: string;
  up: string;
  down: string;
}

/** Reads and parses the migrations, oldest first. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{14}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(
        new URL(file, `file://${dir.endsWith('/') ? dir : dir + '/'}`),
        'utf8',
      );
      const upAt = text.indexOf('-- migrate:up');
      const downAt = text.indexOf('-- migrate:down');
      if (upAt < 0 || downAt < upAt)
        throw new Error(`migration ${file} lacks '-- migrate:up' before '-- migrate:down'`);
      return {
        version: file.slice(0, 14),
        name: file.slice(15, -4),
        up: text.slice(upAt + '-- migrate:up'.length, downAt).trim(),
        down: text.slice(downAt + '-- migrate:down'.length).trim(),
      };
    });
}

const LOCK_KEY = 727_114_001; // any constant: serialises concurrent migrators on one server

/**
 * Applies pending migrations, each in its own transaction together with its schema_migrations
 * row. Concurrent processes on one PostgreSQL server are serialised by an advisory lock; a
 * loser's insert of an already-applied version rolls its copy back.
 */
export async function migrate(
  database: Database,
  log: (line: string) => void = () => undefined,
): Promise<string[]> {
  await database.script(`create table if not exists schema_migrations (
    version text primary key,
    name text not null,
    applied_at timestamptz not null default now()
  )`);
  const applied = new Set(
    (await database.db.selectFrom('schema_migrations').select('version').execute()).map(
      (r) => r.version,
    ),
  );
  const done: string[] = [];
  for (const m of readMigrations()) {
    if (applied.has(m.version)) continue;
    try {
      await database.script(
        `begin;\nselect pg_advisory_xact_lock(${LOCK_KEY});\n` +
          `insert into schema_migrations (version, name) values ('${m.version}', '${m.name}');\n` +
          `${m.up}\n;commit;`,
      );
      log(`已应用迁移 ${m.version}_${m.name}`);
      done.push(m.version);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') continue; // applied by a concurrent process
      throw new Error(`迁移 ${m.version}_${m.name} 失败：${(error as Error).message}`);
    }
  }
  return done;
}

/** Reverts the newest applied migration (for development). */
export async function migrateDown(database: Database): Promise<string | undefined> {
  const last = await database.db
    .selectFrom('schema_migrations')
    .select(['version', 'name'])
    .orderBy('version', 'desc')
    .executeTakeFirst();
  if (!last) return undefined;
  const m = readMigrations().find((x) => x.version === last.version);
  if (!m) throw new Error(`migration file for ${last.version} not found`);
  await database.script(
    `begin;\n${m.down}\n;delete from schema_migrations where version = '${m.version}';commit;`,
  );
  return `${m.version}_${m.name}`;
}
