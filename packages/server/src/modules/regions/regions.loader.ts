import path from 'node:path';
import type { Executor } from '../../context.js';
import { insertRegions } from './regions.repository.js';
import {
  BUNDLED_VILLAGE_PROVINCES,
  REGIONS_DATA_DIR,
  locateChinaDivision,
  readTsv,
  readVillages,
} from './regions.source.js';

/** Loads the committed extract: all of China to townships, plus the bundled provinces' villages. */
export async function loadBundledRegions(
  db: Executor,
  options: { villages?: readonly string[] } = {},
): Promise<number> {
  let inserted = await insertRegions(
    db,
    readTsv(path.join(REGIONS_DATA_DIR, 'china-to-townships.tsv')),
  );
  for (const province of options.villages ?? BUNDLED_VILLAGE_PROVINCES) {
    inserted += await insertRegions(
      db,
      readTsv(path.join(REGIONS_DATA_DIR, `villages-${province}.tsv`)),
    );
  }
  return inserted;
}

/** Loads one province's villages, from the extract when bundled, else from the package. */
export async function loadProvinceVillages(
  db: Executor,
  province: string,
  cacheDir: string,
  log: (line: string) => void,
): Promise<{ villages: number; inserted: number }> {
  if (!/^\d{2}$/.test(province)) throw new Error(`省级代码应为 2 位数字：${province}`);
  const rows = (BUNDLED_VILLAGE_PROVINCES as readonly string[]).includes(province)
    ? readTsv(path.join(REGIONS_DATA_DIR, `villages-${province}.tsv`))
    : readVillages(locateChinaDivision(cacheDir, log), province);
  if (rows.length === 0) throw new Error(`没有找到省级代码 ${province} 的村级区划`);
  const inserted = await insertRegions(db, rows);
  return { villages: rows.length, inserted };
}
