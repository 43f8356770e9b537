import type { Role } from '@tanfang/domain';

/** Roles that register visitors and decide who visits whom (the server's ASSIGNMENT_MANAGERS). */
export const VISITOR_MANAGER_ROLES: readonly Role[] = ['village', 'township', 'county', 'admin'];
/** Roles that read the visitor registry and the assignments (the server's ASSIGNMENT_READERS). */
export const VISITOR_READER_ROLES: readonly Role[] = [...VISITOR_MANAGER_ROLES, 'city', 'auditor'];

/** Whether a role reads 探访人员 and 探访分配. */
export function canReadVisitors(role: Role): boolean {
  return VISITOR_READER_ROLES.includes(role);
}

/** Whether a role registers visitors and changes assignments. */
export function canManageVisitors(role: Role): boolean {
  return VISITOR_MANAGER_ROLES.includes(role);
}

/** Whether a role may link a visitor to a 探访人员 login account (those who register visitors). */
export function canLinkVisitorAccounts(role: Role): boolean {
  return canManageVisitors(role);
}
