import {
  CHECKLIST_FIELD_LABELS,
  DEADLINE_ACTION_LABELS,
  DEADLINE_STATE_LABELS,
  DISPOSAL_KIND_LABELS,
  EMERGENCY_STATE_LABELS,
  ESCALATION_LEVEL_LABELS,
  FINDING_EVENT_KIND_LABELS,
  FINDING_STATUS_LABELS,
  checklistValueText,
  durationText,
  type ChecklistChange,
  type DisposalKind,
  type EmergencyChecklist,
  type EmergencyState,
  type EscalationLevel,
  type FindingDeadlineDto,
  type FindingEventDto,
  type FindingStatus,
} from '@tanfang/domain';
import { Tag } from 'antd';
import { chinaTime } from '../../lib/format';

/** The button that moves a finding to `to` from `from`, in the office's words. */
export function actionLabel(from: FindingStatus, to: FindingStatus): string {
  switch (to) {
    case 'in_progress':
      return from === 'open' ? '受理' : from === 'resolved' ? '重新处理' : '转回处理中';
    case 'resolved':
      return '办结';
    case 'closed':
      return '关闭';
    case 'referred':
      return '转介';
    case 'open':
      return '退回待处理';
  }
}

const DEADLINE_COLORS = {
  overdue: 'error',
  due_soon: 'warning',
  pending: 'default',
  met: 'success',
};

/** How long until (or since) a deadline, in words: 剩 3 小时 / 逾期 2 天. */
export function deadlineLeft(at: string, now = Date.now()): string {
  const ms = Date.parse(at) - now;
  return ms >= 0 ? `剩 ${durationText(ms / 1000)}` : `逾期 ${durationText(-ms / 1000)}`;
}

/** The deadline as a tag: 已逾期 red, 即将到期 orange, with the time and what it asks for. */
export function DeadlineTag({
  deadline,
  compact,
}: {
  deadline: FindingDeadlineDto | null;
  compact?: boolean;
}) {
  if (!deadline) return null;
  const when = chinaTime(deadline.at);
  const what = DEADLINE_ACTION_LABELS[deadline.action];
  // Done: the deadline no longer asks for anything (the history tells when it was done).
  if (deadline.state === 'met') return null;
  return (
    <Tag
      color={DEADLINE_COLORS[deadline.state]}
      style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}
      title={`${what}期限：${when}`}
      data-testid="deadline-tag"
    >
      {deadline.state === 'pending' ? '' : `${DEADLINE_STATE_LABELS[deadline.state]} · `}
      {compact
        ? `${what}期限 ${when.slice(5)}`
        : `${what}期限 ${when}（${deadlineLeft(deadline.at)}）`}
    </Tag>
  );
}

const STATE_COLORS: Record<EmergencyState, string> = {
  pending: 'red',
  escalated_township: 'volcano',
  escalated_county: 'magenta',
  acknowledged: 'blue',
  closed: 'green',
};

/** An emergency's state as a tag: 待响应, 已升级至乡镇/县, 已响应, 已办结. */
export function EmergencyStateTag({ state }: { state: EmergencyState }) {
  return (
    <Tag
      color={STATE_COLORS[state]}
      variant={state === 'pending' || state.startsWith('escalated') ? 'solid' : undefined}
      style={{ marginInlineEnd: 0 }}
      data-testid="emergency-state"
    >
      {EMERGENCY_STATE_LABELS[state]}
    </Tag>
  );
}

/** The checklist in one line: 120 急救 · 已联系到家属（儿子） · 已送医. */
export function checklistSummary(c: EmergencyChecklist): string {
  const parts: string[] = [];
  if (c.emergencyNumber) parts.push(checklistValueText('emergencyNumber', c.emergencyNumber));
  if (c.familyReached !== undefined)
    parts.push(
      c.familyReached
        ? `已联系到家属${c.familyContact ? `（${c.familyContact}）` : ''}`
        : '未联系到家属',
    );
  if (c.situation) parts.push(checklistValueText('situation', c.situation));
  return parts.join(' · ');
}

const status = (s: unknown) => FINDING_STATUS_LABELS[s as FindingStatus] ?? String(s);

/** What a step of the history says (its kind's name is the title). */
export function eventText(e: FindingEventDto): string {
  const d = (e.detail ?? {}) as Record<string, unknown>;
  const note = typeof d['note'] === 'string' && d['note'] ? `：${d['note']}` : '';
  switch (e.kind) {
    case 'raised':
      return [
        d['source'] ?? d['description'],
        d['amendment'] ? `（更正第 ${String(d['amendment'])} 版时发现）` : '',
      ]
        .filter(Boolean)
        .join('');
    case 'status':
      return `${status(e.fromStatus)} → ${status(e.toStatus)}${note}`;
    case 'assigned':
      return d['ownerName'] ? `负责人：${String(d['ownerName'])}` : '取消负责人';
    case 'acknowledged':
      return `已响应，用时 ${durationText(Number(d['responseSeconds'] ?? 0))}`;
    case 'checklist':
      return ((d['changes'] as ChecklistChange[] | undefined) ?? [])
        .map(
          (c) =>
            `${CHECKLIST_FIELD_LABELS[c.field]}：${checklistValueText(c.field, c.from)} → ${checklistValueText(c.field, c.to)}`,
        )
        .join('；');
    case 'disposal':
      return `${DISPOSAL_KIND_LABELS[d['kind'] as DisposalKind] ?? ''}：${String(d['description'] ?? '')}（处置日期 ${String(d['handledOn'] ?? '')}）`;
    case 'escalated':
      return `未在期限内响应，已升级至${ESCALATION_LEVEL_LABELS[d['to'] as EscalationLevel]}，新的响应期限 ${chinaTime(String(d['deadlineAt']))}`;
    case 'note':
      return String(d['note'] ?? '');
    case 'referral': {
      const to = e.toStatus ? `，问题${status(e.fromStatus)} → ${status(e.toStatus)}` : '';
      return `${String(d['providerName'] ?? '服务机构')}${d['note'] ? `：${String(d['note'])}` : ''}${to}`;
    }
    case 'deadline':
      return d['deadlineAt'] ? `期限改为 ${chinaTime(String(d['deadlineAt']))}` : '';
  }
}

/** The title of a step. */
export function eventTitle(e: FindingEventDto): string {
  if (e.kind === 'status' && e.toStatus) return actionLabel(e.fromStatus ?? 'open', e.toStatus);
  return FINDING_EVENT_KIND_LABELS[e.kind];
}
