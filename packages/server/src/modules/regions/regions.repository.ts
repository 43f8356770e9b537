import { regionLevelOf, parentRegionCode, type RegionLevel } from '@tanfang/domain';
import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';
import type { RegionRow } from './regions.source.js';

/** A region row with whether it has children. */
export interface RegionRecord {
  code: string;
  name: string;
  level: RegionLevel;
  parent_code: string | null;
  has_children: boolean;
}

const hasChildren =
  sql<boolean>`exists (select 1 from regions c where c.parent_code = regions.code)`.as(
    'has_children',
  );

/** One region by code. */
export function findRegion(db: Executor, code: string): Promise<RegionRecord | undefined> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', hasChildren])
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Several regions by code (for paths). */
export function findRegions(
  db: Executor,
  codes: string[],
): Promise<Pick<RegionRecord, 'code' | 'name' | 'level'>[]> {
  if (codes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level'])
    .where('code', 'in', codes)
    .execute();
}

/** The direct children of a region, by code. */
export function findChildren(db: Executor, code: string): Promise<RegionRecord[]> {
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', hasChildren])
    .where('parent_code', '=', code)
    .orderBy('code')
    .execute();
}

/** Regions under `prefix` whose name contains `q`, shallowest first. */
export function searchRegions(
  db: Executor,
  prefix: string,
  q: string,
  limit: number,
): Promise<RegionRecord[]> {
  const pattern = `%${escapeLike(q)}%`;
  return db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code', hasChildren])
    .where('code', 'like', `${prefix}%`)
    .where('name', 'like', pattern)
    .orderBy(sql`length(code)`)
    .orderBy('code')
    .limit(limit)
    .execute();
}

/** Counts of regions per level under a prefix. */
export async function countRegions(
  db: Executor,
  prefix = '',
): Promise<Record<RegionLevel, number>> {
  const rows = await db
    .selectFrom('regions')
    .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
    .where('code', 'like', `${prefix}%`)
    .groupBy('level')
    .execute();
  const counts: Record<RegionLevel, number> = {
    province: 0,
    city: 0,
    county: 0,
    township: 0,
    village: 0,
  };
  for (const r of rows) counts[r.level] = Number(r.n);
  return counts;
}

/**
 * Inserts rows that are not there yet, parents before children, in batches; returns how many
 * were new. Existing codes are left as they are, so loading twice changes nothing.
 */
export async function insertRegions(
  db: Executor,
  rows: RegionRow[],
  batchSize = 5000,
): Promise<number> {
  const sorted = [...rows].sort((a, b) => a[0].length - b[0].length || (a[0] < b[0] ? -1 : 1));
  let inserted = 0;
  for (let i = 0; i < sorted.length; i += batchSize) {
    const batch = sorted.slice(i, i + batchSize);
    const codes: string[] = [];
    const names: string[] = [];
    const levels: string[] = [];
    const parents: (string | null)[] = [];
    for (const [code, name] of batch) {
      const level = regionLevelOf(code);
      if (!level) throw new Error(`区划代码格式不正确：${code}`);
      codes.push(code);
      names.push(name);
      levels.push(level);
      parents.push(parentRegionCode(code) ?? null);
    }
    const result = await sql<{ n: number }>`
      with ins as (
        insert into regions (code, name, level, parent_code)
        select * from unnest(${codes}::text[], ${names}::text[], ${levels}::text[], ${parents}::text[])
        on conflict (code) do nothing
        returning 1
      ) select count(*)::int as n from ins`.execute(db);
    inserted += Number(result.rows[0]?.n ?? 0);
  }
  return inserted;
}
