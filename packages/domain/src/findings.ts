/**
 * The findings workflow as the API presents it (issue 6): a finding's deadline state, its history
 * (finding_events), its disposal records (处置情况记录) and the changes its status may make.
 * Sources: 丹东 2023 (二、（四）“对探访过程中发现的紧急问题……事后做好处置情况记录归档”) and the
 * issue's workflow (open → in progress → referred → resolved → closed).
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import type { Role } from './roles.js';
import { AnyRegionCode, requiredText } from './schema-helpers.js';
import {
  FINDING_TRANSITIONS,
  type DeadlineAction,
  type DeadlineKey,
  type DisposalKind,
  type EmergencyChecklist,
  type EscalationLevel,
} from './follow-up.js';
import type { FindingListItemDto, FindingStatus } from './visits.js';

const uuid = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: `${label}应为 UUID`,
    })
    .transform((v) => v.toLowerCase());

/** Roles that act on findings of their jurisdiction: accept, dispose, resolve, close, assign. */
export const FINDING_ACTORS: readonly Role[] = ['village', 'township', 'county'];

/** Whether a role acts on findings (city and auditors only read them). */
export function canActOnFindings(role: Role): boolean {
  return FINDING_ACTORS.includes(role);
}

/**
 * The statuses staff may set by hand from `from`. 已转介 is not among them: a finding becomes
 * referred when a referral to a service provider is made (需求转介), which names the provider.
 */
export function manualTransitions(from: FindingStatus): FindingStatus[] {
  return FINDING_TRANSITIONS[from].filter((s) => s !== 'referred');
}

/** What each step of a finding's history is called (时间线). */
export const FINDING_EVENT_KIND_LABELS = {
  raised: '发现问题',
  status: '状态变更',
  assigned: '指定负责人',
  acknowledged: '响应',
  checklist: '处置清单',
  disposal: '处置情况记录',
  escalated: '升级',
  note: '备注',
  referral: '转介',
  deadline: '期限',
} as const;
/** A kind of step. */
export type FindingEventKind = keyof typeof FINDING_EVENT_KIND_LABELS;

/** A finding's deadline, seen at a moment. */
export const DEADLINE_STATE_LABELS = {
  overdue: '已逾期',
  due_soon: '即将到期',
  pending: '未到期',
  met: '已完成',
} as const;
/** A deadline's state. */
export type DeadlineState = keyof typeof DEADLINE_STATE_LABELS;

/** A deadline within this time is 即将到期 (an acknowledgement deadline always is, until met). */
export const DUE_SOON_MS = 24 * 3_600_000;

/** What a deadline's state depends on. */
export interface DeadlineFacts {
  deadlineAt: string | null;
  deadlineAction: DeadlineAction | null;
  status: FindingStatus;
  acknowledgedAt: string | null;
}

/**
 * Whether what the deadline asks for is done: a 响应 deadline by the acknowledgement, a 转介
 * deadline by a referral (or the end of the finding), a 处置 deadline by resolving or closing it.
 * A finding resolved or closed asks for nothing more.
 */
export function deadlineMet(f: Omit<DeadlineFacts, 'deadlineAt'>): boolean {
  if (f.status === 'resolved' || f.status === 'closed') return true;
  switch (f.deadlineAction) {
    case 'acknowledge':
      return f.acknowledgedAt !== null;
    case 'refer':
      return f.status === 'referred';
    case 'handle':
    case null:
      return false;
  }
}

/** The state of a finding's deadline at `now` (null when it has none). */
export function deadlineStateOf(f: DeadlineFacts, now: number): DeadlineState | null {
  if (!f.deadlineAt || !f.deadlineAction) return null;
  if (deadlineMet(f)) return 'met';
  const left = Date.parse(f.deadlineAt) - now;
  if (left < 0) return 'overdue';
  return f.deadlineAction === 'acknowledge' || left <= DUE_SOON_MS ? 'due_soon' : 'pending';
}

/** A finding's deadline in responses. */
export interface FindingDeadlineDto {
  at: string;
  action: DeadlineAction;
  state: DeadlineState;
}

/** Someone who acted; null in a step means the system acted (系统, e.g. an escalation). */
export interface ActorRef {
  id: string;
  name: string;
}

/** One step of a finding's history. */
export interface FindingEventDto {
  id: string;
  at: string;
  kind: FindingEventKind;
  /** Null when the system acted (升级). */
  actor: ActorRef | null;
  fromStatus: FindingStatus | null;
  toStatus: FindingStatus | null;
  /** What the step carried: a note, the checklist changes, the levels of an escalation… */
  detail: Record<string, unknown> | null;
}

/** A disposal record (处置情况记录). */
export interface FindingDisposalDto {
  id: string;
  kind: DisposalKind;
  description: string;
  handledOn: string;
  createdAt: string;
  createdBy: ActorRef | null;
}

/** A member of staff who may own a finding. */
export interface OwnerCandidateDto extends ActorRef {
  role: Role;
  onDuty: boolean;
}

/** The emergency part of a finding (紧急情况). */
export interface EmergencyInfoDto {
  state: EmergencyState;
  /** The level of the ladder alerted now. */
  level: EscalationLevel;
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: ActorRef | null;
  /** acknowledged_at − created_at, in seconds (null until acknowledged). */
  responseSeconds: number | null;
  checklist: EmergencyChecklist;
  /** When each checklist item was last filled in. */
  checklistAt: Partial<Record<keyof EmergencyChecklist, string>>;
}

/** `GET /api/findings/:id`: a finding with its whole history. */
export interface FindingDetailDto extends FindingListItemDto {
  description: string | null;
  createdBy: ActorRef | null;
  emergency: EmergencyInfoDto | null;
  resolvedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  /** Every step, oldest first. */
  events: FindingEventDto[];
  /** 处置情况记录, oldest first. */
  disposals: FindingDisposalDto[];
  /** The statuses the signed-in user may set now (empty for readers). */
  allowed: FindingStatus[];
  /** Whether the signed-in user may act on it (accept, dispose, assign, note). */
  canAct: boolean;
  /** Staff who may own it (village, township and county staff of its jurisdiction). */
  ownerCandidates: OwnerCandidateDto[];
}

/** Body of `PUT /api/findings/:id/owner`: the member of staff responsible (null: nobody). */
export const FindingOwnerInput = z.strictObject({
  ownerId: uuid('负责人').nullable(),
});
/** Body of an owner assignment. */
export type FindingOwnerInput = z.infer<typeof FindingOwnerInput>;

/** Body of `POST /api/findings/:id/notes`. */
export const FindingNoteInput = z.strictObject({
  note: requiredText('备注', 1000),
});
/** Body of a note. */
export type FindingNoteInput = z.infer<typeof FindingNoteInput>;

// ---------------------------------------------------------------------------------------------
// Deadlines per region (期限设置)

/** Roles that set a region's deadlines: county and city civil affairs. */
export const DEADLINE_EDITORS: readonly Role[] = ['county', 'city'];

/** Query of `GET`/`PUT /api/follow-up/deadlines`: the region (the user's own when omitted). */
export const DeadlineConfigQuery = z.strictObject({ region: AnyRegionCode.optional() });

/** One deadline rule in force for a region, and where it comes from. */
export interface DeadlineRuleDto {
  key: DeadlineKey;
  label: string;
  action: DeadlineAction;
  minutes: number;
  /** The region that set it (this one or one enclosing it); null for the system default. */
  source: RegionRef | null;
  /** Set by this region itself (a change here replaces it). */
  own: boolean;
  /** What it would be without this region's own setting. */
  inherited: { action: DeadlineAction; minutes: number; source: RegionRef | null };
}

/** `GET /api/follow-up/deadlines`: the deadlines in force for a region. */
export interface DeadlineConfigDto {
  region: RegionRef;
  rules: DeadlineRuleDto[];
  /** Whether the signed-in user may change this region's deadlines. */
  canEdit: boolean;
}

// ---------------------------------------------------------------------------------------------
// Emergencies

/** An emergency's state as staff see it. */
export const EMERGENCY_STATE_LABELS = {
  pending: '待响应',
  escalated_township: '已升级至乡镇',
  escalated_county: '已升级至县',
  acknowledged: '已响应',
  closed: '已办结',
} as const;
/** An emergency's state. */
export type EmergencyState = keyof typeof EMERGENCY_STATE_LABELS;

/** The state of an emergency: 已办结 once resolved or closed, else 已响应 once acknowledged. */
export function emergencyStateOf(f: {
  status: FindingStatus;
  acknowledgedAt: string | null;
  level: EscalationLevel;
}): EmergencyState {
  if (f.status === 'resolved' || f.status === 'closed') return 'closed';
  if (f.acknowledgedAt) return 'acknowledged';
  switch (f.level) {
    case 'village':
      return 'pending';
    case 'township':
      return 'escalated_township';
    case 'county':
      return 'escalated_county';
  }
}

/** Whether a finding is an emergency (raised as one, or of emergency severity). */
export function isEmergency(f: { type: string; severity: string }): boolean {
  return f.type === 'emergency' || f.severity === 'emergency';
}

/** How long a response took, in words: 45 秒, 12 分钟, 1 小时 5 分钟, 2 天 3 小时. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} 分钟`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} 小时 ${m % 60} 分钟` : `${h} 小时`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} 天 ${h % 24} 小时` : `${d} 天`;
}

/** A deadline's length in words: 30 分钟, 7 天, 36 小时. */
export function minutesText(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} 天`;
  if (minutes % 60 === 0) return `${minutes / 60} 小时`;
  return durationText(minutes * 60);
}
