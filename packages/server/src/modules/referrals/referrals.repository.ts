import type { ReferralStatus } from '@tanfang/domain';
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../context.js';
import type { ReferralEventsTable, ReferralsTable } from '../../db/schema.js';

/** A referral row. */
export type ReferralRow = Selectable<ReferralsTable>;
/** A referral event row. */
export type ReferralEventRow = Selectable<ReferralEventsTable>;

/** A referral with what its presentation needs: the elder, the provider, the finding, who referred. */
export type ReferralView = ReferralRow & {
  elder_name: string;
  elder_phone_masked: string | null;
  provider_name: string;
  provider_phone: string | null;
  provider_region: string;
  finding_title: string | null;
  finding_status: string | null;
  referred_by_name: string | null;
  referred_by_phone: string | null;
};

/** The elder facts a referral or care service needs. */
export interface ElderBrief {
  id: string;
  name: string;
  county_code: string;
  village_code: string;
  status: string;
}

/** An elder by id, anywhere (the caller checks the jurisdiction). */
export function findElderBrief(db: Executor, id: string): Promise<ElderBrief | undefined> {
  return db
    .selectFrom('elders')
    .select(['id', 'name', 'county_code', 'village_code', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

function views(db: Executor) {
  return db
    .selectFrom('referrals as r')
    .innerJoin('elders as e', 'e.id', 'r.elder_id')
    .innerJoin('service_providers as p', 'p.id', 'r.provider_id')
    .leftJoin('findings as f', 'f.id', 'r.finding_id')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .selectAll('r')
    .select([
      'e.name as elder_name',
      'e.phone_masked as elder_phone_masked',
      'p.name as provider_name',
      'p.phone as provider_phone',
      'p.region_code as provider_region',
      'f.title as finding_title',
      'f.status as finding_status',
      'u.display_name as referred_by_name',
      'u.phone as referred_by_phone',
    ]);
}

/** One referral with its presentation facts. */
export function findReferralView(db: Executor, id: string): Promise<ReferralView | undefined> {
  return views(db).where('r.id', '=', id).executeTakeFirst();
}

/** Who may see which referrals: staff by the elder's village, a provider its own. */
export type ReferralScope = { jurisdiction: string } | { providerId: string };

/** Filters of a referral list. */
export interface ReferralFilter {
  scope: ReferralScope;
  region?: string | undefined;
  status?: ReferralStatus | undefined;
  providerId?: string | undefined;
  elderId?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * A page of referrals (newest first) with the total, and how many there are in each status under
 * the same filters but the status (for the tabs).
 */
export async function listReferrals(
  db: Executor,
  f: ReferralFilter,
): Promise<{ rows: ReferralView[]; total: number; counts: Map<string, number> }> {
  let base = db.selectFrom('referrals as r');
  base =
    'providerId' in f.scope
      ? base.where('r.provider_id', '=', f.scope.providerId)
      : base.where('r.village_code', 'like', `${f.scope.jurisdiction}%`);
  if (f.region) base = base.where('r.village_code', 'like', `${f.region}%`);
  if (f.providerId) base = base.where('r.provider_id', '=', f.providerId);
  if (f.elderId) base = base.where('r.elder_id', '=', f.elderId);
  const filtered = f.status ? base.where('r.status', '=', f.status) : base;
  const [ids, byStatus] = await Promise.all([
    filtered
      .select('r.id')
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base
      .select(['r.status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('r.status')
      .execute(),
  ]);
  const counts = new Map(byStatus.map((c) => [c.status, Number(c.n)]));
  const total = f.status
    ? (counts.get(f.status) ?? 0)
    : [...counts.values()].reduce((a, b) => a + b, 0);
  if (ids.length === 0) return { rows: [], total, counts };
  const rows = await views(db)
    .where(
      'r.id',
      'in',
      ids.map((r) => r.id),
    )
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .execute();
  return { rows, total, counts };
}

/** The steps of a referral, oldest first. */
export function referralEvents(db: Executor, referralId: string): Promise<ReferralEventRow[]> {
  return db
    .selectFrom('referral_events')
    .selectAll()
    .where('referral_id', '=', referralId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Inserts a referral unless its id exists; the row when inserted. */
export function insertReferralIfNew(
  db: Executor,
  row: Insertable<ReferralsTable>,
): Promise<ReferralRow | undefined> {
  return db
    .insertInto('referrals')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** A referral's bare row by id. */
export function findReferralRow(db: Executor, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks a referral for the rest of the transaction. */
export function lockReferral(db: Executor, id: string): Promise<ReferralRow | undefined> {
  return db.selectFrom('referrals').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Changes a referral. */
export async function updateReferral(
  db: Executor,
  id: string,
  set: Updateable<ReferralsTable>,
): Promise<void> {
  await db
    .updateTable('referrals')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Records a step of a referral. */
export async function insertReferralEvent(
  db: Executor,
  row: Insertable<ReferralEventsTable>,
): Promise<void> {
  await db.insertInto('referral_events').values(row).execute();
}

/** How many other referrals of a finding still wait for their provider. */
export async function countOpenReferralsOfFinding(
  db: Executor,
  findingId: string,
  except: string,
): Promise<number> {
  const row = await db
    .selectFrom('referrals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('finding_id', '=', findingId)
    .where('id', '!=', except)
    .where('status', 'in', ['sent', 'accepted', 'in_progress'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
