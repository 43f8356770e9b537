import { countRegions } from './modules/regions/regions.repository.js';
import { loadBundledRegions } from './modules/regions/regions.loader.js';
import { openPglite, openPostgres, type Database } from './db/database.js';
import { migrate } from './db/migrate.js';
import type { Config } from './config.js';
import { Vault, loadMasterKey } from './crypto.js';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite in the data dir. */
export function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'dbPool'>>,
): Promise<Database> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.dbPool)
    : openPglite({ dataDir: config.dataDir });
}

/** Migrates, and loads the bundled regions on a new database. */
export async function prepareDatabase(
  database: Database,
  log: (line: string) => void,
): Promise<void> {
  await migrate(database, log);
  const counts = await countRegions(database.db);
  if (counts.province === 0) {
    log('首次启动：正在加载全国区划（至乡镇）及辽宁、海南村级区划…');
    const n = await loadBundledRegions(database.db);
    log(`已加载 ${n} 个区划`);
  }
}

/** The vault of personal numbers: the configured key, or the data directory's in embedded mode. */
export function openVault(
  config: Pick<Config, 'encryptionKey' | 'dataDir'>,
  database: Database,
  warn: (line: string) => void,
): Vault {
  return new Vault(
    loadMasterKey(
      config.encryptionKey,
      database.kind === 'pglite' ? config.dataDir : undefined,
      warn,
    ),
  );
}
