import type { Role } from '@tanfang/domain';

// The roles below mirror policies.service.ts and campaigns.service.ts (READERS / WRITERS); each
// record's `editable` flag decides what may be changed on it.

/** Roles that read visit policies and campaigns in the console. */
export const VISIT_RULE_READER_ROLES: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];
/** Roles that set visit policies (the county sets the local rules; the city and admins too). */
export const POLICY_WRITER_ROLES: readonly Role[] = ['county', 'city', 'admin'];
/** Roles that start and cancel campaigns. */
export const CAMPAIGN_WRITER_ROLES: readonly Role[] = ['township', 'county', 'city', 'admin'];

/** Whether a role reads 探访规则 and 专项探访. */
export function canReadVisitRules(role: Role): boolean {
  return VISIT_RULE_READER_ROLES.includes(role);
}

/** Whether a role sets visit policies. */
export function canWritePolicies(role: Role): boolean {
  return POLICY_WRITER_ROLES.includes(role);
}

/** Whether a role starts campaigns. */
export function canWriteCampaigns(role: Role): boolean {
  return CAMPAIGN_WRITER_ROLES.includes(role);
}
