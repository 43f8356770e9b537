import type { Role } from '@tanfang/domain';

/** Roles that read the elder ledger (台账). */
export const ELDER_READER_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];
/** Roles that add and edit elders and record status changes. */
export const ELDER_EDITOR_ROLES: readonly Role[] = ['village', 'township', 'county', 'admin'];
/** Roles that may see full ID and phone numbers, with a logged reason. */
export const ELDER_REVEAL_ROLES: readonly Role[] = ['village', 'township', 'county', 'admin'];

/** Whether a role reads the elder ledger. */
export function canReadElders(role: Role): boolean {
  return ELDER_READER_ROLES.includes(role);
}

/** Whether a role adds and edits elders. */
export function canEditElders(role: Role): boolean {
  return ELDER_EDITOR_ROLES.includes(role);
}

/** Whether a role may reveal full personal numbers. */
export function canRevealElders(role: Role): boolean {
  return ELDER_REVEAL_ROLES.includes(role);
}

/** Whether a role imports census sheets (摸底排查) into the ledger. */
export function canImportElders(role: Role): boolean {
  return ELDER_EDITOR_ROLES.includes(role);
}

/** Whether a role exports the ledger (masked numbers). */
export function canExportElders(role: Role): boolean {
  return ELDER_READER_ROLES.includes(role);
}

/** Whether a role may export full ID and phone numbers. */
export function canExportFullNumbers(role: Role): boolean {
  return ELDER_REVEAL_ROLES.includes(role);
}
