import { canReadReports as canRead, type Role } from '@tanfang/domain';

/** Whether a role opens 统计报表 (village, township, county and city staff, auditors). */
export function canReadReports(role: Role): boolean {
  return canRead(role);
}
