import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';

/** What the schedule needs of an elder (and what a worklist shows, masked). */
export interface ScheduleElderRow {
  id: string;
  name: string;
  gender: 'male' | 'female';
  birth_date: string;
  village_code: string;
  county_code: string;
  tier: string;
  categories: string[];
  status: string;
  status_since: string;
  phone_masked: string | null;
  address: string | null;
}

/** A visit as the schedule reads it (instants in ms). */
export interface ScheduleVisitRow {
  id: string;
  elder_id: string;
  visited_ms: number;
  entered_ms: number;
  method: 'in_person' | 'phone' | 'video' | 'other';
}

/** The least the counts need of an elder (read from the covering index). */
export interface CountElderRow {
  id: string;
  village_code: string;
  tier: string;
  categories: string[];
  status: string;
  status_since: string;
}

const visitedMs = sql<number>`(extract(epoch from visited_at) * 1000)::float8`.as('visited_ms');
const enteredMs = sql<number>`(extract(epoch from entered_at) * 1000)::float8`.as('entered_ms');

/** A status change as presence is built from it. */
export interface StatusRow {
  elder_id: string;
  status: string;
  effective_date: string;
  village_code: string;
}

const elderColumns = [
  'e.id',
  'e.name',
  'e.gender',
  'e.birth_date',
  'e.village_code',
  'e.county_code',
  'e.tier',
  'e.categories',
  'e.status',
  'e.status_since',
  'e.phone_masked',
] as const;

/** Elders by id. */
export async function scheduleEldersByIds(
  db: Executor,
  ids: readonly string[],
): Promise<ScheduleElderRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('elders as e')
    .select(elderColumns)
    .select(sql<string | null>`e.data->>'addressDetail'`.as('address'))
    .where('e.id', 'in', ids)
    .orderBy('e.village_code')
    .orderBy('e.name')
    .execute() as Promise<ScheduleElderRow[]>;
}

/**
 * Elders who may be due in a region from a date on: those living there now (active, or whose
 * status changed since), and those who lived there and left since (moved, died…).
 */
export async function scheduleEldersInRegion(
  db: Executor,
  prefix: string,
  since: string,
): Promise<ScheduleElderRow[]> {
  const like = `${escapeLike(prefix)}%`;
  const base = () =>
    db
      .selectFrom('elders as e')
      .select(elderColumns)
      .select(sql<string | null>`e.data->>'addressDetail'`.as('address'));
  const [here, left] = await Promise.all([
    base()
      .where('e.village_code', 'like', like)
      .where((eb) => eb.or([eb('e.status', '=', 'active'), eb('e.status_since', '>=', since)]))
      .orderBy('e.village_code')
      .orderBy('e.name')
      .execute(),
    base()
      .where('e.id', 'in', leftSince(db, like, since))
      .execute(),
  ]);
  return mergeById(here as ScheduleElderRow[], left as ScheduleElderRow[]);
}

/** As `scheduleEldersInRegion`, only the columns the counts need (an index-only scan). */
export async function countEldersInRegion(
  db: Executor,
  prefix: string,
  since: string,
): Promise<CountElderRow[]> {
  const like = `${escapeLike(prefix)}%`;
  const columns = [
    'e.id',
    'e.village_code',
    'e.tier',
    'e.categories',
    'e.status',
    'e.status_since',
  ] as const;
  const [here, left] = await Promise.all([
    db
      .selectFrom('elders as e')
      .select(columns)
      .where('e.village_code', 'like', like)
      .where((eb) => eb.or([eb('e.status', '=', 'active'), eb('e.status_since', '>=', since)]))
      .execute(),
    db
      .selectFrom('elders as e')
      .select(columns)
      .where('e.id', 'in', leftSince(db, like, since))
      .execute(),
  ]);
  return mergeById(here, left);
}

/** Elders whose history shows them leaving a region (a status other than 在册 there) since a date. */
function leftSince(db: Executor, like: string, since: string) {
  return db
    .selectFrom('elder_status_history as h')
    .select('h.elder_id')
    .where('h.village_code', 'like', like)
    .where('h.effective_date', '>=', since)
    .where('h.status', '<>', 'active');
}

function mergeById<T extends { id: string }>(a: T[], b: T[]): T[] {
  const seen = new Set(a.map((r) => r.id));
  return [...a, ...b.filter((r) => !seen.has(r.id))];
}

/** The status history of some elders, in the order it applies. */
export async function statusHistoryOf(
  db: Executor,
  elderIds: readonly string[],
): Promise<StatusRow[]> {
  if (elderIds.length === 0) return [];
  return db
    .selectFrom('elder_status_history')
    .select(['elder_id', 'status', 'effective_date', 'village_code'])
    .where('elder_id', 'in', elderIds)
    .orderBy('elder_id')
    .orderBy('effective_date')
    .orderBy('recorded_at')
    .orderBy('id')
    .execute();
}

/** The visits of some elders made in [from, to). */
export async function visitsOfElders(
  db: Executor,
  elderIds: readonly string[],
  from: Date,
  to: Date,
): Promise<ScheduleVisitRow[]> {
  if (elderIds.length === 0) return [];
  return db
    .selectFrom('visits')
    .select(['id', 'elder_id', 'method', visitedMs, enteredMs])
    .where('elder_id', 'in', elderIds)
    .where('visited_at', '>=', from)
    .where('visited_at', '<', to)
    .orderBy('elder_id')
    .orderBy('visited_at')
    .execute();
}

/** The counties (6-digit codes) of a region: itself, its prefix, or those under it. */
export async function countiesOf(db: Executor, prefix: string): Promise<string[]> {
  if (prefix.length >= 6) return [prefix.slice(0, 6)];
  const rows = await db
    .selectFrom('regions')
    .select('code')
    .where('level', '=', 'county')
    .where('code', 'like', `${escapeLike(prefix)}%`)
    .execute();
  return rows.map((r) => r.code);
}
