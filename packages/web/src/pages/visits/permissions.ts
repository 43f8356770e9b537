import type { Role } from '@tanfang/domain';

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
