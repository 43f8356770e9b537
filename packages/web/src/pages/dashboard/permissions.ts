import type { Role } from '@tanfang/domain';

/** Roles that open 数据看板: staff who read visit rates (the rollup's RATE_READERS). */
export const DASHBOARD_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

/** Whether a role opens 数据看板. */
export function canReadDashboard(role: Role): boolean {
  return DASHBOARD_ROLES.includes(role);
}
