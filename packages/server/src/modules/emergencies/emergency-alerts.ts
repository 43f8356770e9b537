import {
  ESCALATION_LEVEL_LABELS,
  escalationRegion,
  localDateTimeOf,
  type EscalationLevel,
} from '@tanfang/domain';
import type { Executor } from '../../context.js';
import { raiseAlert } from '../alerts/alerts.repository.js';

/** What an emergency alert tells of the finding. */
export interface EmergencyFacts {
  id: string;
  elder_id: string;
  county_code: string;
  village_code: string;
  title: string;
  deadline_at: Date | null;
}

function respondBy(f: EmergencyFacts): string {
  return f.deadline_at ? `请于 ${localDateTimeOf(f.deadline_at.getTime())} 前响应。` : '';
}

/**
 * Alerts the village and the township of a new emergency at once — one alert per level, in the
 * caller's transaction (the outbox), so the alerts exist exactly when the emergency does (海南 2018
 * 二、（五）: report to the 村（居）委会 and the 乡镇人民政府). Publish on the AlertBus after commit.
 */
export async function alertEmergencyRaised(
  trx: Executor,
  f: EmergencyFacts,
  elderName: string,
  note: string | null,
): Promise<void> {
  for (const level of ['village', 'township'] as const) {
    await raiseAlert(trx, {
      kind: 'emergency',
      regionCode: escalationRegion(level, f.village_code),
      elderId: f.elder_id,
      countyCode: f.county_code,
      subjectType: 'finding',
      subjectId: f.id,
      title: `紧急情况：${elderName}（${f.title}）`,
      body: `${note ? `${note}。` : ''}${respondBy(f)}`,
    });
  }
}

/**
 * Alerts the next level of the ladder of an emergency nobody acknowledged in time, in the
 * caller's transaction.
 */
export async function alertEmergencyEscalated(
  trx: Executor,
  f: EmergencyFacts,
  elderName: string,
  from: EscalationLevel,
  to: EscalationLevel,
): Promise<void> {
  await raiseAlert(trx, {
    kind: 'emergency_escalated',
    regionCode: escalationRegion(to, f.village_code),
    elderId: f.elder_id,
    countyCode: f.county_code,
    subjectType: 'finding',
    subjectId: f.id,
    title: `紧急情况已升级至${ESCALATION_LEVEL_LABELS[to]}：${elderName}（${f.title}）`,
    body: `${ESCALATION_LEVEL_LABELS[from]}未在期限内响应。${respondBy(f)}`,
  });
}
