import { DEADLINE_EDITORS, FINDING_ACTORS, type Role } from '@tanfang/domain';
import { canReadFindings } from '../visits/permissions';

/** Whether a role opens 紧急情况 (the readers of findings). */
export function canReadEmergencies(role: Role): boolean {
  return canReadFindings(role);
}

/** Whether a role reports emergencies and responds to them (village, township, county staff). */
export function canRaiseEmergencies(role: Role): boolean {
  return FINDING_ACTORS.includes(role);
}

/** Whether a role opens 期限设置 (county and city set deadlines; others see theirs in a finding). */
export function canSetDeadlines(role: Role): boolean {
  return DEADLINE_EDITORS.includes(role);
}
