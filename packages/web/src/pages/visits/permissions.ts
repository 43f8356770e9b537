import type { Role, VisitDto } from '@tanfang/domain';

/** Roles the server lists a region's findings to (the findings service's FINDING_READERS). */
export const FINDING_PAGE_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];

/** Whether a role opens 发现问题 in the console. */
export function canReadFindings(role: Role): boolean {
  return FINDING_PAGE_ROLES.includes(role);
}

/**
 * Whether the console offers 更正 on a visit: village and township staff supervise the recording
 * of their elders (visitors, who may amend their own, use the field app), until the window ends.
 */
export function canAmendVisit(
  role: Role,
  visit: Pick<VisitDto, 'amendableUntil'>,
  now = Date.now(),
): boolean {
  return (role === 'village' || role === 'township') && now < Date.parse(visit.amendableUntil);
}
