/**
 * Following a finding to its end (issue 6): the workflow of a finding, its deadline, the
 * emergency checklist and escalation ladder, referrals to service providers, care services and
 * the alert queue. Sources: 丹东 2023 (探访关爱 service content, 需求转介, 处置情况记录归档,
 * 记录表 六 with satisfaction) and 海南 2018 (rescue mechanism for emergencies: 110/119/120, contact
 * the family, report to the village, township and civil affairs at once).
 */
import { z } from 'zod';
import {
  FINDING_SEVERITY_LABELS,
  FINDING_TYPE_LABELS,
  type FindingSeverity,
  type FindingType,
} from './templates.js';
import { IsoDate, oneOf, requiredText, text } from './schema-helpers.js';
import { FINDING_STATUS_LABELS, type FindingStatus } from './visits.js';

const uuid = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
      error: `${label}应为 UUID`,
    })
    .transform((v) => v.toLowerCase());

// ---------------------------------------------------------------------------------------------
// The workflow of a finding

/**
 * The changes of status a finding may make. `closed` is final; a resolved finding may be reopened
 * (back to in progress) until it is closed. Closing needs a disposal record (see `canClose`).
 */
export const FINDING_TRANSITIONS: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['in_progress', 'referred', 'resolved'],
  in_progress: ['referred', 'resolved'],
  referred: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: [],
};

/** The statuses a finding in `from` may move to. */
export function allowedTransitions(from: FindingStatus): readonly FindingStatus[] {
  return FINDING_TRANSITIONS[from];
}

/** Whether a finding may move from `from` to `to`. */
export function canTransition(from: FindingStatus, to: FindingStatus): boolean {
  return FINDING_TRANSITIONS[from].includes(to);
}

/** Statuses in which a finding still needs someone to act. */
export const OPEN_FINDING_STATUSES: readonly FindingStatus[] = ['open', 'in_progress', 'referred'];

/** What a finding's deadline asks for: acknowledgement, handling, or a referral. */
export const DEADLINE_ACTION_LABELS = {
  acknowledge: '响应',
  handle: '处置',
  refer: '转介',
} as const;
/** What a deadline asks for. */
export type DeadlineAction = keyof typeof DEADLINE_ACTION_LABELS;

/** A deadline rule: for findings of a type (or, when `type` is absent, of a severity). */
export interface DeadlineRule {
  action: DeadlineAction;
  minutes: number;
}

/**
 * The default deadlines (issue 6): an emergency acknowledged within 30 minutes, a hazard handled
 * within 7 days, a need referred within 14 days; other findings are handled within a time set by
 * their severity. A region may override any key (`follow_up_deadlines`).
 */
export const DEFAULT_DEADLINES: Record<DeadlineKey, DeadlineRule> = {
  'type:emergency': { action: 'acknowledge', minutes: 30 },
  'type:safety_hazard': { action: 'handle', minutes: 7 * 24 * 60 },
  'type:need': { action: 'refer', minutes: 14 * 24 * 60 },
  'severity:emergency': { action: 'acknowledge', minutes: 30 },
  'severity:high': { action: 'handle', minutes: 3 * 24 * 60 },
  'severity:medium': { action: 'handle', minutes: 7 * 24 * 60 },
  'severity:low': { action: 'handle', minutes: 14 * 24 * 60 },
};
/** The key of a deadline rule. */
export type DeadlineKey =
  `type:${'emergency' | 'safety_hazard' | 'need'}` | `severity:${FindingSeverity}`;
/** Every deadline key, for configuration screens. */
export const DEADLINE_KEYS = Object.keys(DEFAULT_DEADLINES) as DeadlineKey[];

/** The Chinese name of a deadline key. */
export function deadlineKeyLabel(key: DeadlineKey): string {
  const [kind, value] = key.split(':') as ['type' | 'severity', string];
  return kind === 'type'
    ? FINDING_TYPE_LABELS[value as FindingType]
    : `${FINDING_SEVERITY_LABELS[value as FindingSeverity]}程度的问题`;
}

/**
 * The deadline rule of a finding: the rule of its type when there is one, else of its severity;
 * `overrides` (the region's configuration, most specific region first, already merged) win over
 * the defaults.
 */
export function deadlineRuleOf(
  finding: { type: FindingType; severity: FindingSeverity },
  overrides: Partial<Record<DeadlineKey, DeadlineRule>> = {},
): DeadlineRule {
  const byType = `type:${finding.type}` as DeadlineKey;
  if (byType in DEFAULT_DEADLINES) return overrides[byType] ?? DEFAULT_DEADLINES[byType];
  const bySeverity = `severity:${finding.severity}` as DeadlineKey;
  return overrides[bySeverity] ?? DEFAULT_DEADLINES[bySeverity];
}

/** When a finding raised at `raisedAt` is due. */
export function deadlineOf(raisedAt: Date, rule: DeadlineRule): Date {
  return new Date(raisedAt.getTime() + rule.minutes * 60_000);
}

/**
 * Body of `PUT /api/follow-up/deadlines?region=`: a region's own deadlines (minutes), replacing
 * the ones it had; a key left out follows the enclosing regions (or the default) again. An
 * emergency's deadline is always one to respond (响应): escalation runs on it.
 */
export const DeadlineConfigInput = z
  .strictObject({
    rules: z
      .array(
        z.strictObject({
          key: z.enum(DEADLINE_KEYS as [DeadlineKey, ...DeadlineKey[]], {
            error: '期限规则应为问题类型或严重程度',
          }),
          action: oneOf(DEADLINE_ACTION_LABELS, '期限要求'),
          minutes: z
            .number({ error: '期限（分钟）必须是数字' })
            .int({ error: '期限（分钟）必须是整数' })
            .min(5, { error: '期限不能短于 5 分钟' })
            .max(90 * 24 * 60, { error: '期限不能超过 90 天' }),
        }),
      )
      .max(DEADLINE_KEYS.length, { error: `期限规则最多 ${DEADLINE_KEYS.length} 条` }),
  })
  .superRefine((input, ctx) => {
    const seen = new Set<DeadlineKey>();
    input.rules.forEach((rule, i) => {
      if (seen.has(rule.key))
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'key'],
          message: `“${deadlineKeyLabel(rule.key)}”的期限重复设置`,
        });
      seen.add(rule.key);
      if (DEFAULT_DEADLINES[rule.key].action === 'acknowledge' && rule.action !== 'acknowledge')
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'action'],
          message: `“${deadlineKeyLabel(rule.key)}”的期限要求只能是“响应”（未按时响应即逐级升级）`,
        });
    });
  });
/** A region's deadline configuration. */
export type DeadlineConfigInput = z.infer<typeof DeadlineConfigInput>;

// ---------------------------------------------------------------------------------------------
// Emergencies

/** The emergency numbers (海南 2018: 110 police, 119 fire, 120 ambulance). */
export const EMERGENCY_NUMBER_LABELS = {
  '110': '110 报警',
  '119': '119 火警',
  '120': '120 急救',
  none: '未拨打',
} as const;
/** An emergency number, or none called. */
export type EmergencyNumber = keyof typeof EMERGENCY_NUMBER_LABELS;

/** The elder's situation now. */
export const ELDER_SITUATION_LABELS = {
  safe: '已脱离危险',
  hospital: '已送医',
  at_home_cared: '在家有人照看',
  danger: '仍有危险',
  deceased: '已去世',
  unknown: '情况不明',
} as const;
/** The elder's situation after an emergency. */
export type ElderSituation = keyof typeof ELDER_SITUATION_LABELS;

/** The emergency checklist: what was done, each step filled in as it happens. */
export const EmergencyChecklist = z.strictObject({
  emergencyNumber: oneOf(EMERGENCY_NUMBER_LABELS, '拨打的紧急电话').optional(),
  familyReached: z.boolean({ error: '是否联系到家属或紧急联系人应为是或否' }).optional(),
  familyContact: text('联系到的家属或紧急联系人', 60).optional(),
  situation: oneOf(ELDER_SITUATION_LABELS, '老年人目前情况').optional(),
  situationNote: text('情况说明', 500).optional(),
});
/** The emergency checklist. */
export type EmergencyChecklist = z.infer<typeof EmergencyChecklist>;

/** Body of `POST /api/emergencies`: staff raise an emergency directly (e.g. the family called). */
export const EmergencyInput = z.strictObject({
  /** Made by the client, so a retry is the same emergency. */
  id: uuid('紧急情况编号'),
  elderId: uuid('老年人编号'),
  title: requiredText('紧急情况', 40),
  description: requiredText('情况描述', 1000),
  checklist: EmergencyChecklist.default({}),
});
/** Body of `POST /api/emergencies`. */
export type EmergencyInput = z.infer<typeof EmergencyInput>;

/** The escalation ladder of an unacknowledged emergency (village → township → county). */
export const ESCALATION_LEVEL_LABELS = {
  village: '村（社区）',
  township: '乡镇（街道）',
  county: '县（区）民政局',
} as const;
/** A level of the ladder. */
export type EscalationLevel = keyof typeof ESCALATION_LEVEL_LABELS;
/** The ladder in order. */
export const ESCALATION_LADDER: readonly EscalationLevel[] = ['village', 'township', 'county'];

/** The region code a level of the ladder alerts, for an elder in `villageCode`. */
export function escalationRegion(level: EscalationLevel, villageCode: string): string {
  switch (level) {
    case 'village':
      return villageCode;
    case 'township':
      return villageCode.slice(0, 9);
    case 'county':
      return villageCode.slice(0, 6);
  }
}

/** The level after `level`, or null at the top of the ladder. */
export function nextEscalation(level: EscalationLevel): EscalationLevel | null {
  const i = ESCALATION_LADDER.indexOf(level);
  return ESCALATION_LADDER[i + 1] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Findings workflow inputs

/** Body of `POST /api/findings/:id/transitions`. */
export const FindingTransitionInput = z.strictObject({
  to: oneOf(FINDING_STATUS_LABELS, '目标状态'),
  note: text('说明', 1000).optional(),
});
/** Body of a status change. */
export type FindingTransitionInput = z.infer<typeof FindingTransitionInput>;

/** How a finding was dealt with (处置情况). */
export const DISPOSAL_KIND_LABELS = {
  entitlement_told: '告知其依法申请',
  hazard_removed: '隐患已排除',
  reminded: '已提醒整改',
  referred: '已转介服务',
  rescued: '已紧急救助',
  family_contacted: '已联系家属',
  law_enforcement: '已移交执法机关',
  other: '其他',
} as const;
/** A kind of disposal. */
export type DisposalKind = keyof typeof DISPOSAL_KIND_LABELS;

/** Body of `POST /api/findings/:id/disposals`: the disposal record (处置情况记录). */
export const DisposalInput = z.strictObject({
  kind: oneOf(DISPOSAL_KIND_LABELS, '处置方式'),
  description: requiredText('处置情况', 2000),
  handledOn: IsoDate,
});
/** A disposal record. */
export type DisposalInput = z.infer<typeof DisposalInput>;

// ---------------------------------------------------------------------------------------------
// Referrals and providers

/** Kinds of service provider (需求转介 targets). */
export const PROVIDER_KIND_LABELS = {
  daily_care: '生活照料',
  medical: '医疗',
  rehab_nursing: '康复护理',
  social_work: '社工/心理疏导',
  home_adaptation: '适老化改造',
  legal_aid: '法律援助',
  social_assistance: '社会救助',
  other: '其他',
} as const;
/** A kind of provider. */
export type ProviderKind = keyof typeof PROVIDER_KIND_LABELS;

/** Status of a referral. */
export const REFERRAL_STATUS_LABELS = {
  sent: '已转介',
  accepted: '已接收',
  in_progress: '服务中',
  completed: '已完成',
  declined: '已拒绝',
  cancelled: '已撤回',
} as const;
/** Status of a referral. */
export type ReferralStatus = keyof typeof REFERRAL_STATUS_LABELS;

/** The changes a referral may make. */
export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  sent: ['accepted', 'declined', 'cancelled'],
  accepted: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  declined: [],
  cancelled: [],
};

// ---------------------------------------------------------------------------------------------
// Care services (丹东 2023 记录表 六)

/** The elder's satisfaction with a care service. */
export const SATISFACTION_LABELS = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
} as const;
/** Satisfaction. */
export type Satisfaction = keyof typeof SATISFACTION_LABELS;

// ---------------------------------------------------------------------------------------------
// The alert queue

/** What an alert is about. */
export const ALERT_KIND_LABELS = {
  emergency: '紧急情况',
  emergency_escalated: '紧急情况升级',
  finding_due: '问题即将到期',
  finding_overdue: '问题已逾期',
  visit_overdue: '探访逾期',
  campaign_task: '专项探访任务',
  referral: '转介',
} as const;
/** A kind of alert. */
export type AlertKind = keyof typeof ALERT_KIND_LABELS;

/** How urgent an alert is: lower sorts first. */
export const ALERT_URGENCY: Record<AlertKind, number> = {
  emergency: 0,
  emergency_escalated: 0,
  finding_overdue: 1,
  visit_overdue: 2,
  finding_due: 3,
  referral: 3,
  campaign_task: 4,
};

/** Outbound channels for alerts. */
export const CHANNEL_KIND_LABELS = {
  webhook: 'Webhook 推送',
  sms: '短信网关',
} as const;
/** A kind of outbound channel. */
export type ChannelKind = keyof typeof CHANNEL_KIND_LABELS;
