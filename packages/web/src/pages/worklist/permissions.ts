import { regionLevelOf, type Role } from '@tanfang/domain';

/** Roles that open 探访任务 in the console: everyone who reads the visit counts (SUMMARY_READERS). */
export const WORKLIST_PAGE_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];
/** Roles the server serves a region's worklist to (the schedule service's REGION_READERS). */
export const REGION_WORKLIST_ROLES: readonly Role[] = ['village', 'township', 'county', 'admin'];

/** Whether a role opens the 探访任务 page (counts for all; the lists for region readers). */
export function canReadWorklist(role: Role): boolean {
  return WORKLIST_PAGE_ROLES.includes(role);
}

/** Whether a role reads a region's overdue visits and 未落实探访人. */
export function canReadRegionWorklist(role: Role): boolean {
  return REGION_WORKLIST_ROLES.includes(role);
}

/** Whether a region is one a worklist is kept for: a township or a village (the server's rule). */
export function isWorklistRegion(code: string | undefined): code is string {
  if (!code) return false;
  const level = regionLevelOf(code);
  return level === 'township' || level === 'village';
}
