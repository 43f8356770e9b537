import type { Role } from '@tanfang/domain';

/** Path of the field app (visitors on their phones). */
export const FIELD_APP_PATH = '/m';

/** Where a user lands after login: visitors in the field app, everyone else in the console. */
export function homePathFor(role: Role): string {
  return role === 'visitor' ? FIELD_APP_PATH : '/';
}
