import { z } from 'zod';
import type { RegionLevel } from './regions.js';

/** The roles of tanfang users. */
export const ROLES = [
  'visitor',
  'village',
  'township',
  'county',
  'city',
  'provider',
  'auditor',
  'admin',
] as const;
/** One role. */
export type Role = (typeof ROLES)[number];

/** The Chinese name of each role, as shown to users. */
export const ROLE_LABELS: Record<Role, string> = {
  visitor: '探访人员',
  village: '村(居)委会',
  township: '乡镇(街道)民政办',
  county: '县(区)民政局',
  city: '市民政局',
  provider: '服务机构',
  auditor: '审计人员',
  admin: '系统管理员',
};

/** The zod schema of a role, with a Chinese error. */
export const RoleSchema = z.enum(ROLES, { error: `角色必须是以下之一：${ROLES.join('、')}` });

/**
 * Which region levels a role's jurisdiction may be. Staff roles sit at their own level (SPEC
 * "People and places"); a visitor works in one village; providers, auditors and admins may be
 * scoped to any level from province down.
 */
export const ROLE_JURISDICTION_LEVELS: Record<Role, readonly RegionLevel[]> = {
  visitor: ['village'],
  village: ['village'],
  township: ['township'],
  county: ['county'],
  city: ['city'],
  provider: ['province', 'city', 'county', 'township'],
  auditor: ['province', 'city', 'county'],
  admin: ['province', 'city', 'county'],
};

/** Roles that may read the audit log (issue 2 §5). */
export const AUDIT_READER_ROLES: readonly Role[] = ['county', 'city', 'auditor', 'admin'];

/** Roles that may manage user accounts within their jurisdiction. */
export const USER_ADMIN_ROLES: readonly Role[] = ['admin'];

/** Whether a role may read the audit log. */
export function canReadAudit(role: Role): boolean {
  return AUDIT_READER_ROLES.includes(role);
}

/** Whether a role may manage user accounts. */
export function canManageUsers(role: Role): boolean {
  return USER_ADMIN_ROLES.includes(role);
}
