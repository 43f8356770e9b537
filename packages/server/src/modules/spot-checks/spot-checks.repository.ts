import { passRate, type SpotCheckProgress } from '@tanfang/domain';
import { sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from '../../context.js';
import type {
  SpotCheckEventsTable,
  SpotCheckItemsTable,
  SpotCheckSamplesTable,
} from '../../db/schema.js';

/** A sample row. */
export type SampleRow = Selectable<SpotCheckSamplesTable>;
/** An item row. */
export type ItemRow = Selectable<SpotCheckItemsTable>;
/** An event row. */
export type EventRow = Selectable<SpotCheckEventsTable>;

/** A visit that may be sampled. */
export interface PopulationRow {
  id: string;
  visitor_id: string | null;
  elder_id: string;
  county_code: string;
  village_code: string;
}

/** The counts of items, as one SQL row. */
interface ProgressRow {
  total: number;
  checked: number;
  verified_phone: number;
  verified_in_person: number;
  not_verified: number;
  assigned: number;
}

/** The aggregate columns of `ProgressRow` over `spot_check_items as i`. */
const progressColumns = () => [
  sql<number>`count(i.id)::int`.as('total'),
  sql<number>`(count(i.id) filter (where i.result <> 'pending'))::int`.as('checked'),
  sql<number>`(count(i.id) filter (where i.result = 'verified_phone'))::int`.as('verified_phone'),
  sql<number>`(count(i.id) filter (where i.result = 'verified_in_person'))::int`.as(
    'verified_in_person',
  ),
  sql<number>`(count(i.id) filter (where i.result = 'not_verified'))::int`.as('not_verified'),
  sql<number>`(count(i.id) filter (where i.checker_id is not null))::int`.as('assigned'),
];

/** Counts as the API gives them. */
export function toProgress(r: ProgressRow): SpotCheckProgress {
  const verified = r.verified_phone + r.verified_in_person;
  return {
    total: r.total,
    checked: r.checked,
    verifiedPhone: r.verified_phone,
    verifiedInPerson: r.verified_in_person,
    notVerified: r.not_verified,
    assigned: r.assigned,
    passRate: passRate(verified, r.checked),
  };
}

/** A township region row (level check), or undefined. */
export function findTownship(db: Executor, code: string) {
  return db
    .selectFrom('regions')
    .select(['code', 'name'])
    .where('code', '=', code)
    .where('level', '=', 'township')
    .executeTakeFirst();
}

/**
 * The visits of a township made in [from, to) that no sample holds yet, every method alike, by id.
 */
export function populationOf(
  db: Executor,
  township: string,
  from: Date,
  to: Date,
): Promise<PopulationRow[]> {
  return db
    .selectFrom('visits as v')
    .select(['v.id', 'v.visitor_id', 'v.elder_id', 'v.county_code', 'v.village_code'])
    .where('v.village_code', 'like', `${township}%`)
    .where('v.visited_at', '>=', from)
    .where('v.visited_at', '<', to)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('spot_check_items as i')
            .select('i.id')
            .whereRef('i.visit_id', '=', 'v.id')
            .whereRef('i.elder_id', '=', 'v.elder_id'),
        ),
      ),
    )
    .orderBy('v.id')
    .execute();
}

/** The sample of a township and month, if drawn. */
export function findSampleOf(
  db: Executor,
  township: string,
  month: string,
): Promise<SampleRow | undefined> {
  return db
    .selectFrom('spot_check_samples')
    .selectAll()
    .where('township_code', '=', township)
    .where('month', '=', month)
    .executeTakeFirst();
}

/** Stores a sample unless the township's month has one; true when stored. */
export async function insertSample(
  db: Executor,
  row: Insertable<SpotCheckSamplesTable>,
): Promise<boolean> {
  const r = await db
    .insertInto('spot_check_samples')
    .values(row)
    .onConflict((oc) => oc.columns(['township_code', 'month']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Stores a sample's items. */
export async function insertItems(
  db: Executor,
  rows: Insertable<SpotCheckItemsTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('spot_check_items')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** A sample by id (the caller checks the jurisdiction). */
export function findSample(db: Executor, id: string): Promise<SampleRow | undefined> {
  return db.selectFrom('spot_check_samples').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A sample with its counts and who drew it. */
export type SampleView = SampleRow &
  ProgressRow & { drawn_by_name: string; mine_to_check: number; total_count?: number };

function sampleViews(db: Executor, userId: string) {
  return db
    .selectFrom('spot_check_samples as s')
    .innerJoin('users as u', 'u.id', 's.drawn_by')
    .leftJoin('spot_check_items as i', 'i.sample_id', 's.id')
    .selectAll('s')
    .select('u.display_name as drawn_by_name')
    .select(progressColumns())
    .select(
      sql<number>`count(i.id) filter (where i.checker_id = ${userId} and i.result = 'pending')::int`.as(
        'mine_to_check',
      ),
    )
    .groupBy(['s.id', 'u.display_name']);
}

/** One sample's view. */
export function findSampleView(
  db: Executor,
  id: string,
  userId: string,
): Promise<SampleView | undefined> {
  return sampleViews(db, userId).where('s.id', '=', id).executeTakeFirst();
}

/** Samples of townships within a region, newest month first, with the total. */
export async function listSamples(
  db: Executor,
  f: { region: string; period?: string | undefined; userId: string; limit: number; offset: number },
): Promise<{ rows: SampleView[]; total: number }> {
  let q = sampleViews(db, f.userId).where('s.township_code', 'like', `${f.region}%`);
  if (f.period)
    q =
      f.period.length === 4
        ? q.where('s.month', 'like', `${f.period}-%`)
        : q.where('s.month', '=', f.period);
  const rows = await q
    .orderBy('s.month', 'desc')
    .orderBy('s.township_code')
    .limit(f.limit)
    .offset(f.offset)
    .execute();
  let count = db
    .selectFrom('spot_check_samples as s')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.township_code', 'like', `${f.region}%`);
  if (f.period)
    count =
      f.period.length === 4
        ? count.where('s.month', 'like', `${f.period}-%`)
        : count.where('s.month', '=', f.period);
  const { n } = await count.executeTakeFirstOrThrow();
  return { rows, total: Number(n) };
}

/** An item with what a checker reads: the visit, the elder, the visitor, the checkers' names. */
export type ItemView = ItemRow & {
  elder_name: string;
  elder_phone_masked: string | null;
  elder_data: unknown;
  visitor_name: string | null;
  visited_at: Date;
  entered_at: Date;
  method: 'in_person' | 'phone' | 'video' | 'other';
  unverified: boolean;
  device_time: Date | null;
  location: unknown;
  checker_name: string | null;
  checked_by_name: string | null;
  changes: number;
};

function itemViews(db: Executor) {
  return db
    .selectFrom('spot_check_items as i')
    .innerJoin('visits as v', (j) =>
      j.onRef('v.id', '=', 'i.visit_id').onRef('v.elder_id', '=', 'i.elder_id'),
    )
    .innerJoin('elders as e', 'e.id', 'i.elder_id')
    .leftJoin('visitors as vr', 'vr.id', 'i.visitor_id')
    .leftJoin('users as c', 'c.id', 'i.checker_id')
    .leftJoin('users as cb', 'cb.id', 'i.checked_by')
    .selectAll('i')
    .select([
      'e.name as elder_name',
      'e.phone_masked as elder_phone_masked',
      'e.data as elder_data',
      'vr.name as visitor_name',
      'v.visited_at',
      'v.entered_at',
      'v.method',
      'v.unverified',
      'v.device_time',
      'v.location',
      'c.display_name as checker_name',
      'cb.display_name as checked_by_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('spot_check_events as ev')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('ev.item_id', '=', 'i.id')
        .where('ev.kind', '=', 'result')
        .as('changes'),
    );
}

/** The items of a sample, by village, visitor and visit time. */
export async function itemsOfSample(db: Executor, sampleId: string): Promise<ItemView[]> {
  const rows = await itemViews(db)
    .where('i.sample_id', '=', sampleId)
    .orderBy('i.village_code')
    .orderBy('vr.name')
    .orderBy('v.visited_at')
    .execute();
  return rows.map((r) => ({ ...r, changes: Number(r.changes ?? 0) }));
}

/** One item's view. */
export async function findItemView(db: Executor, id: string): Promise<ItemView | undefined> {
  const r = await itemViews(db).where('i.id', '=', id).executeTakeFirst();
  return r && { ...r, changes: Number(r.changes ?? 0) };
}

/** An item with its sample's township, locked for a change of its result or checker. */
export function lockItem(db: Executor, id: string) {
  return db
    .selectFrom('spot_check_items as i')
    .innerJoin('spot_check_samples as s', 's.id', 'i.sample_id')
    .selectAll('i')
    .select(['s.township_code', 's.month'])
    .where('i.id', '=', id)
    .forUpdate('i')
    .executeTakeFirst();
}

/** An item with its sample's township (no lock). */
export function findItem(db: Executor, id: string) {
  return db
    .selectFrom('spot_check_items as i')
    .innerJoin('spot_check_samples as s', 's.id', 'i.sample_id')
    .selectAll('i')
    .select(['s.township_code', 's.month'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** The visit a result flags, locked (an amendment of it waits). */
export function lockVisitOf(db: Executor, visitId: string, elderId: string) {
  return db
    .selectFrom('visits')
    .select(['id', 'visited_at', 'unverified'])
    .where('id', '=', visitId)
    .where('elder_id', '=', elderId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Writes an item's result. */
export async function setResult(
  db: Executor,
  id: string,
  change: {
    result: ItemRow['result'];
    note: string | null;
    checked_at: Date;
    checked_by: string;
  },
): Promise<void> {
  await db.updateTable('spot_check_items').set(change).where('id', '=', id).execute();
}

/** Flags a visit as not verified (or clears the flag). */
export async function setVisitUnverified(
  db: Executor,
  visitId: string,
  elderId: string,
  unverified: boolean,
): Promise<void> {
  await db
    .updateTable('visits')
    .set({ unverified })
    .where('id', '=', visitId)
    .where('elder_id', '=', elderId)
    .execute();
}

/** The items of a sample among `ids`, locked, for assignment. */
export function lockItemsOfSample(db: Executor, sampleId: string, ids: string[]) {
  return db
    .selectFrom('spot_check_items')
    .select(['id', 'elder_id', 'county_code', 'checker_id', 'result'])
    .where('sample_id', '=', sampleId)
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Gives items to a checker. */
export async function setChecker(db: Executor, ids: string[], checkerId: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('spot_check_items')
    .set({ checker_id: checkerId })
    .where('id', 'in', ids)
    .execute();
}

/** Appends events to items' histories. */
export async function insertEvents(
  db: Executor,
  rows: Insertable<SpotCheckEventsTable>[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000)
    await db
      .insertInto('spot_check_events')
      .values(rows.slice(i, i + 1000))
      .execute();
}

/** An item's history, oldest first, with the checker's name. */
export function eventsOfItem(db: Executor, itemId: string) {
  return db
    .selectFrom('spot_check_events as ev')
    .leftJoin('users as c', 'c.id', 'ev.checker_id')
    .selectAll('ev')
    .select('c.display_name as checker_name')
    .where('ev.item_id', '=', itemId)
    .orderBy('ev.at')
    .orderBy('ev.id')
    .execute();
}

/**
 * Staff who may check a township's visits: active county and township accounts whose jurisdiction
 * covers the township and lies within `within` (the assigner's jurisdiction).
 */
export function checkersOf(db: Executor, township: string, within: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role', 'jurisdiction'])
    .where('role', 'in', ['county', 'township'])
    .where('status', '=', 'active')
    .where('jurisdiction', 'in', [township.slice(0, 6), township])
    .where('jurisdiction', 'like', `${within}%`)
    .orderBy('role')
    .orderBy('display_name')
    .execute();
}

/** A user's name (for the history). */
export async function displayNameOf(db: Executor, userId: string): Promise<string | null> {
  const r = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  return r?.display_name ?? null;
}

/** The elder's sealed phone numbers (for a logged reveal). */
export function elderPhonesOf(db: Executor, elderId: string) {
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code', 'phone_enc', 'data'])
    .where('id', '=', elderId)
    .executeTakeFirstOrThrow();
}

/**
 * The spot-check pass rate (抽查通过率) of a region over the sampled months [from, to) ('YYYY-MM';
 * a year is ('2026-01', '2027-01')): the items of the region's villages in samples of those months,
 * verified (电话核实 or 实地核实) ÷ checked; `passRate` is null when nothing was checked. Any
 * region level (a code prefix). For other modules (绩效考评 scorecards).
 */
export async function spotCheckPassRate(
  db: Executor,
  regionPrefix: string,
  from: string,
  to: string,
): Promise<SpotCheckProgress> {
  const row = await db
    .selectFrom('spot_check_items as i')
    .innerJoin('spot_check_samples as s', 's.id', 'i.sample_id')
    .select(progressColumns())
    .where('i.village_code', 'like', `${regionPrefix}%`)
    .where('s.month', '>=', from)
    .where('s.month', '<', to)
    .executeTakeFirstOrThrow();
  return toProgress(row);
}

/** The pass rate of each child region (code of `childLength` digits) over months [from, to). */
export async function spotCheckPassRateByChild(
  db: Executor,
  regionPrefix: string,
  childLength: number,
  from: string,
  to: string,
): Promise<{ child: string; progress: SpotCheckProgress }[]> {
  const child = sql<string>`substr(i.village_code, 1, ${sql.lit(childLength)})`;
  const rows = await db
    .selectFrom('spot_check_items as i')
    .innerJoin('spot_check_samples as s', 's.id', 'i.sample_id')
    .select(child.as('child'))
    .select(progressColumns())
    .where('i.village_code', 'like', `${regionPrefix}%`)
    .where('s.month', '>=', from)
    .where('s.month', '<', to)
    .groupBy(child)
    .orderBy(child)
    .execute();
  return rows.map((r) => ({ child: r.child, progress: toProgress(r) }));
}
