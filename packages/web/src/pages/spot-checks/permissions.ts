import { SPOT_CHECK_READERS, SPOT_CHECK_STAFF, type Role } from '@tanfang/domain';

/** Whether a role opens 抽查 in the console (township, county, city, auditor). */
export function canReadSpotChecks(role: Role): boolean {
  return SPOT_CHECK_READERS.includes(role);
}

/** Whether a role draws samples, assigns checkers and records results (township, county). */
export function canRunSpotChecks(role: Role): boolean {
  return SPOT_CHECK_STAFF.includes(role);
}

/** Whether the user may record the result of an item: county staff, or its assigned checker. */
export function canRecordResult(
  user: { id: string; role: Role },
  item: { checker: { id: string } | null },
): boolean {
  return user.role === 'county' || (user.role === 'township' && item.checker?.id === user.id);
}
