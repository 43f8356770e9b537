import type { Role } from '@tanfang/domain';

/** Roles with an alert queue (提醒): staff, visitors (on the phone) and service providers. */
const QUEUE_ROLES: readonly Role[] = [
  'visitor',
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
  'provider',
];

/** Whether a role has an alert queue and its live stream. */
export function hasAlertQueue(role: Role): boolean {
  return QUEUE_ROLES.includes(role);
}

/** Whether a role opens 通知渠道 (the server's channel readers). */
export function canReadChannels(role: Role): boolean {
  return role === 'county' || role === 'city' || role === 'admin' || role === 'auditor';
}

/** Whether a role adds and changes channels (the server's channel writers). */
export function canManageChannels(role: Role): boolean {
  return role === 'county' || role === 'city' || role === 'admin';
}
