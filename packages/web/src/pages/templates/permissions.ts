import type { Role } from '@tanfang/domain';

/** Roles that open 探访表 (the form templates in use). */
export const TEMPLATE_PAGE_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];

/** Whether a role opens 探访表. */
export function canReadTemplates(role: Role): boolean {
  return TEMPLATE_PAGE_ROLES.includes(role);
}

/** Whether a role uploads templates (the templates service's TEMPLATE_UPLOADERS). */
export function canUploadTemplates(role: Role): boolean {
  return role === 'city' || role === 'admin';
}
