import type { Executor } from '../../context.js';
import type { ElderRow } from '../elders/elders.repository.js';

/** Which part of the ledger to export; `jurisdiction` is always applied. */
export interface LedgerFilter {
  jurisdiction: string;
  region?: string | undefined;
  status?: ElderRow['status'] | undefined;
}

function filtered(db: Executor, f: LedgerFilter) {
  let q = db.selectFrom('elders').where('village_code', 'like', `${f.jurisdiction}%`);
  if (f.region) q = q.where('village_code', 'like', `${f.region}%`);
  if (f.status) q = q.where('status', '=', f.status);
  return q;
}

/** How many records the filter selects. */
export async function countLedger(db: Executor, f: LedgerFilter): Promise<number> {
  const r = await filtered(db, f)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The next page of the ledger in (village, id) order, after `after` (keyset: no offset scans). */
export function ledgerPage(
  db: Executor,
  f: LedgerFilter,
  after: { village_code: string; id: string } | undefined,
  limit: number,
): Promise<ElderRow[]> {
  let q = filtered(db, f).selectAll();
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
