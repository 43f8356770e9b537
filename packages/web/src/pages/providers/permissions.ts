import type { Role } from '@tanfang/domain';

/** Roles that read the provider registry (the server's PROVIDER_READERS). */
const READERS: readonly Role[] = ['village', 'township', 'county', 'city', 'auditor', 'admin'];
/** Roles that register and change providers (the server's PROVIDER_MANAGERS). */
const MANAGERS: readonly Role[] = ['township', 'county', 'city'];

/** Whether a role opens 服务机构. */
export function canReadProviders(role: Role): boolean {
  return READERS.includes(role);
}

/** Whether a role registers providers and changes those of its jurisdiction. */
export function canManageProviders(role: Role): boolean {
  return MANAGERS.includes(role);
}
