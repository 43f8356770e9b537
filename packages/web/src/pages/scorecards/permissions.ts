import { SCORECARD_CONFIGURERS, SCORECARD_READERS, type Role } from '@tanfang/domain';

/** Whether a role opens 绩效考评 (township heads their own; counties and cities theirs and below). */
export function canReadScorecards(role: Role): boolean {
  return SCORECARD_READERS.includes(role);
}

/** Whether a role sets the indicators and weights (县(区)、市民政局). */
export function canConfigureScorecards(role: Role): boolean {
  return SCORECARD_CONFIGURERS.includes(role);
}
