import { sql } from 'kysely';
import type { Executor } from '../../context.js';
import { escapeLike } from '../../db/like.js';

/** A region and the length of the codes its figures are grouped by (its children's). */
export interface Grouping {
  region: string;
  childLength: number;
}

/** A period of China time: [from, to). */
export interface Span {
  from: Date;
  to: Date;
}

const like = (region: string) => `${escapeLike(region)}%`;

/**
 * Elders 在册 (active) on a date in each child region: each elder's latest status entry on or
 * before the date (a move writes 迁出 and 在册 on one date, in that order) — so a past month is
 * counted as it stood, not as the ledger stands today.
 */
export async function registeredOn(
  db: Executor,
  g: Grouping,
  on: string,
): Promise<{ child: string; n: number }[]> {
  const { rows } = await sql<{ child: string; n: number }>`
    select left(h.village_code, ${g.childLength}) as child, count(*)::int as n
    from (
      select distinct on (h.elder_id) h.status, h.village_code
      from elder_status_history h
      where h.elder_id in (
          select elder_id from elder_status_history where village_code like ${like(g.region)})
        and h.effective_date <= ${on}
      order by h.elder_id, h.effective_date desc, h.recorded_at desc, h.id desc
    ) h
    where h.status = 'active' and h.village_code like ${like(g.region)}
    group by 1`.execute(db);
  return rows;
}

/** Findings raised in a span, per child region and type. */
export async function findingsByType(
  db: Executor,
  g: Grouping,
  s: Span,
): Promise<{ child: string; type: string; n: number }[]> {
  const { rows } = await sql<{ child: string; type: string; n: number }>`
    select left(village_code, ${g.childLength}) as child, type, count(*)::int as n
    from findings
    where village_code like ${like(g.region)} and created_at >= ${s.from} and created_at < ${s.to}
    group by 1, 2`.execute(db);
  return rows;
}

/** Emergencies raised in a span per child region: how many, how many responded to, and the sum of the response times. */
export async function emergencyResponses(
  db: Executor,
  g: Grouping,
  s: Span,
): Promise<{ child: string; n: number; responded: number; seconds: number }[]> {
  // As the emergencies summary counts them: the type, or the severity of another type.
  const { rows } = await sql<{ child: string; n: number; responded: number; seconds: number }>`
    select left(village_code, ${g.childLength}) as child, count(*)::int as n,
      count(acknowledged_at)::int as responded,
      coalesce(sum(extract(epoch from acknowledged_at - created_at)), 0)::float8 as seconds
    from findings
    where (type = 'emergency' or severity = 'emergency')
      and village_code like ${like(g.region)} and created_at >= ${s.from} and created_at < ${s.to}
    group by 1`.execute(db);
  return rows.map((r) => ({ ...r, seconds: Number(r.seconds) }));
}

/** Referrals made in a span per child region, those withdrawn (已撤回) left out. */
export async function referralsMade(
  db: Executor,
  g: Grouping,
  s: Span,
): Promise<{ child: string; n: number }[]> {
  const { rows } = await sql<{ child: string; n: number }>`
    select left(village_code, ${g.childLength}) as child, count(*)::int as n
    from referrals
    where village_code like ${like(g.region)} and created_at >= ${s.from} and created_at < ${s.to}
      and status <> 'cancelled'
    group by 1`.execute(db);
  return rows;
}

/** Care services given on the dates [from, to) per child region, and those rated satisfied or basically satisfied. */
export async function careServicesGiven(
  db: Executor,
  g: Grouping,
  dates: { from: string; to: string },
): Promise<{ child: string; n: number; satisfied: number }[]> {
  const { rows } = await sql<{ child: string; n: number; satisfied: number }>`
    select left(village_code, ${g.childLength}) as child, count(*)::int as n,
      count(*) filter (where satisfaction in ('satisfied', 'basically_satisfied'))::int as satisfied
    from care_services
    where village_code like ${like(g.region)}
      and served_on >= ${dates.from} and served_on < ${dates.to}
    group by 1`.execute(db);
  return rows;
}

/** What the completeness rule reads of a record (no personal number is opened). */
export interface CompletenessRow {
  id: string;
  name: string;
  village_code: string;
  has_phone: boolean;
  categories: string[];
  data: Record<string, unknown>;
}

/**
 * The elders the report reads: those 在册 (active) — as the 绩效考评 indicator counts them and as
 * 在册老年人数 does; the records of elders away (住院, 入住机构) or gone are not asked to be kept up.
 */
export const LEDGER_STATUSES = ['active'] as const;

/** The next page of a region's ledger in (village, id) order after `after` (keyset). */
export function completenessPage(
  db: Executor,
  region: string,
  after: { village_code: string; id: string } | undefined,
  limit: number,
): Promise<CompletenessRow[]> {
  let q = db
    .selectFrom('elders')
    .select(['id', 'name', 'village_code', 'categories', 'data'])
    .select(sql<boolean>`phone_enc is not null`.as('has_phone'))
    .where('village_code', 'like', like(region))
    .where('status', 'in', LEDGER_STATUSES);
  if (after) {
    q = q.where((eb) =>
      eb.or([
        eb('village_code', '>', after.village_code),
        eb.and([eb('village_code', '=', after.village_code), eb('id', '>', after.id)]),
      ]),
    );
  }
  return q.orderBy('village_code').orderBy('id').limit(limit).execute();
}
