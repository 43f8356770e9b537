import {
  ALERT_KIND_LABELS,
  DELIVERY_STATE_LABELS,
  type AlertKind,
  type AlertQueueItemDto,
  type AlertTarget,
  type DeliveryState,
  type Role,
} from '@tanfang/domain';
import { FIELD_APP_PATH } from '../../lib/routes';

/** The colour of each kind's tag: emergencies red, lateness orange, the rest calmer. */
export const ALERT_KIND_COLORS: Record<AlertKind, string> = {
  emergency: 'red',
  emergency_escalated: 'magenta',
  finding_overdue: 'volcano',
  visit_overdue: 'orange',
  finding_due: 'gold',
  referral: 'blue',
  campaign_task: 'cyan',
};

/** The kinds in the order the queue ranks them. */
export const ALERT_KINDS_IN_ORDER: AlertKind[] = [
  'emergency',
  'emergency_escalated',
  'finding_overdue',
  'visit_overdue',
  'finding_due',
  'referral',
  'campaign_task',
];

/** The label of a kind. */
export function alertKindLabel(kind: AlertKind): string {
  return ALERT_KIND_LABELS[kind];
}

/** A duration in words: 45 分钟, 3 小时, 2 天. */
export function durationText(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return `${minutes} 分钟`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} 小时`;
  return `${Math.round(hours / 24)} 天`;
}

/** How the due time reads: 已超期 2 小时 / 还剩 20 分钟; null without a due time. */
export function dueText(item: Pick<AlertQueueItemDto, 'dueAt'>, now = Date.now()): string | null {
  if (!item.dueAt) return null;
  const left = Date.parse(item.dueAt) - now;
  return left < 0 ? `已超期 ${durationText(left)}` : `还剩 ${durationText(left)}`;
}

/** Where a queue item is dealt with in the console. */
export function consoleLink(target: AlertTarget): string {
  switch (target.type) {
    case 'finding':
      return `/findings/${encodeURIComponent(target.id)}`;
    case 'elder':
      return `/elders/${encodeURIComponent(target.id)}`;
    case 'referral':
      return `/referrals?referral=${encodeURIComponent(target.id)}`;
    case 'campaign':
      return '/campaigns?state=in_force';
    case 'worklist':
      return `/worklist?region=${encodeURIComponent(target.region)}`;
  }
}

/**
 * Where a queue item is dealt with on the phone: a visitor opens the elder (visitors do not read
 * findings); staff open an emergency's field page; the rest open in the console (which also
 * works on a phone).
 */
export function fieldLink(
  target: AlertTarget,
  item: Pick<AlertQueueItemDto, 'kind'>,
  role: Role,
): string {
  if (role === 'visitor' && (target.type === 'elder' || target.type === 'finding')) {
    const elderId = target.type === 'elder' ? target.id : target.elderId;
    return `${FIELD_APP_PATH}/elders/${encodeURIComponent(elderId)}`;
  }
  if (
    target.type === 'finding' &&
    (item.kind === 'emergency' || item.kind === 'emergency_escalated')
  )
    return `${FIELD_APP_PATH}/emergencies/${encodeURIComponent(target.id)}`;
  return consoleLink(target);
}

/** The colour of a delivery state's tag. */
export const DELIVERY_STATE_COLORS: Record<DeliveryState, string> = {
  pending: 'default',
  sending: 'processing',
  retrying: 'warning',
  failed: 'error',
  delivered: 'success',
};

/** The label of a delivery state. */
export function deliveryStateLabel(state: DeliveryState): string {
  return DELIVERY_STATE_LABELS[state];
}
