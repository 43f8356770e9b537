/**
 * 需求转介 and 关爱服务 (issue 6). 丹东 2023: needs for 生活照料、康复护理、精神慰藉、居家适老化改造
 * are connected with 养老服务和医疗健康等服务资源, and 心理疏导、情绪抚慰、家庭关系调适 brought to
 * 社会工作者; its 记录表 六、关爱服务情况 records each care service: 第 N 次开展关爱 with the date,
 * 关爱服务情况 (what was done), 服务人员签字(盖章) and 老年人服务满意度评价.
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import {
  PROVIDER_KIND_LABELS,
  REFERRAL_STATUS_LABELS,
  REFERRAL_TRANSITIONS,
  SATISFACTION_LABELS,
  type ProviderKind,
  type ReferralStatus,
  type Satisfaction,
} from './follow-up.js';
import { todayIso } from './idcard.js';
import { RecordId } from './providers.js';
import type { Role } from './roles.js';
import { AnyRegionCode, oneOf, paging, requiredText, text } from './schema-helpers.js';
import type { Page } from './users.js';
import type { FindingStatus } from './visits.js';

/** Staff who refer a need to a provider, and cancel a referral (村、乡镇、县). */
export const REFERRAL_CREATORS: readonly Role[] = ['village', 'township', 'county'];
/** Staff who read the referrals and care services of their jurisdiction. */
export const REFERRAL_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];
/** Who records a care service: staff of the elder's jurisdiction, or the provider of a referral. */
export const CARE_SERVICE_RECORDERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'provider',
];

/** Body of `POST /api/referrals`: refer a need (of a finding, or of the elder) to a provider. */
export const ReferralInput = z.strictObject({
  /** Made once by the client (UUIDv7), so a retry is the same referral. */
  id: RecordId('转介编号'),
  elderId: RecordId('老年人编号'),
  /** The finding (发现的问题) the need comes from, if any; it moves to 已转介. */
  findingId: RecordId('发现问题编号').optional(),
  providerId: RecordId('服务机构'),
  /** The kind of service needed; the provider must offer it. */
  kind: oneOf(PROVIDER_KIND_LABELS, '服务类别'),
  need: requiredText('服务需求', 1000),
});
/** Input of `POST /api/referrals`. */
export type ReferralInput = z.input<typeof ReferralInput>;

/** 服务时间: a date, not after today (China time). */
const ServedOn = z
  .string({ error: '请填写服务时间' })
  .pipe(z.iso.date({ error: '服务时间应为日期（YYYY-MM-DD）' }))
  .refine((d) => d <= todayIso(), { error: '服务时间不能晚于今天' });

/** A care service recorded with a referral's completion (its provider is the referral's). */
export const ReferralCareService = z.strictObject({
  servedOn: ServedOn,
  content: requiredText('服务内容', 1000),
  satisfaction: oneOf(SATISFACTION_LABELS, '满意度'),
  note: text('备注', 500).optional(),
});

/**
 * Body of `POST /api/referrals/:id/transitions`. The provider accepts (已接收), reports progress
 * (服务中; a report while in progress adds a note), completes with the outcome (已完成, and may record
 * the care service given at once) or declines with a reason (已拒绝); staff cancel with a reason
 * (已撤回).
 */
export const ReferralTransitionInput = z
  .strictObject({
    to: z.enum(['accepted', 'in_progress', 'completed', 'declined', 'cancelled'], {
      error: '目标状态应为：已接收、服务中、已完成、已拒绝、已撤回',
    }),
    note: text('说明', 1000).optional(),
    outcome: text('服务结果', 1000).optional(),
    careService: ReferralCareService.optional(),
  })
  .superRefine((v, ctx) => {
    const need = (field: 'note' | 'outcome', message: string) => {
      if (!v[field]) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (v.to === 'in_progress') need('note', '请填写服务进展');
    if (v.to === 'declined') need('note', '请填写拒绝原因');
    if (v.to === 'cancelled') need('note', '请填写撤回原因');
    if (v.to === 'completed') need('outcome', '请填写服务结果');
    if (v.to !== 'completed' && v.outcome !== undefined)
      ctx.addIssue({ code: 'custom', path: ['outcome'], message: '只有完成转介时填写服务结果' });
    if (v.to !== 'completed' && v.careService !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['careService'],
        message: '只有完成转介时可同时记录关爱服务',
      });
  });
/** Input of `POST /api/referrals/:id/transitions`. */
export type ReferralTransitionInput = z.input<typeof ReferralTransitionInput>;

/** Query of `GET /api/referrals`. */
export const ReferralListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  status: oneOf(REFERRAL_STATUS_LABELS, '转介状态').optional(),
  providerId: RecordId('服务机构').optional(),
  ...paging,
});
/** Query of `GET /api/referrals`, as a client sends it. */
export type ReferralListQueryInput = z.input<typeof ReferralListQuery>;
/** Query of the list, parsed. */
export type ReferralListQuery = z.infer<typeof ReferralListQuery>;

/**
 * Which statuses the signed-in role may move a referral in `status` to: the provider accepts,
 * declines, reports progress and completes; staff who refer may cancel. A report while 服务中 is
 * listed as `in_progress` (a note that keeps the status).
 */
export function referralActionsFor(role: Role, status: ReferralStatus): ReferralStatus[] {
  const next: ReferralStatus[] = [...REFERRAL_TRANSITIONS[status]];
  if (status === 'in_progress') next.unshift('in_progress');
  const mine: readonly ReferralStatus[] =
    role === 'provider'
      ? ['accepted', 'in_progress', 'completed', 'declined']
      : REFERRAL_CREATORS.includes(role)
        ? ['cancelled']
        : [];
  return next.filter((s) => mine.includes(s));
}

/** Statuses in which a referral still waits for the provider. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = [
  'sent',
  'accepted',
  'in_progress',
];

/** A step of a referral: who did what, and when. */
export interface ReferralEventDto {
  id: string;
  at: string;
  actor: string | null;
  fromStatus: ReferralStatus | null;
  toStatus: ReferralStatus | null;
  note: string | null;
}

/**
 * A referral as the API presents it. To a provider only what the service needs: the elder's name,
 * village and masked phone, and the need (no finding, no ledger).
 */
export interface ReferralDto {
  id: string;
  status: ReferralStatus;
  kind: ProviderKind;
  need: string;
  outcome: string | null;
  elder: { id: string; name: string; village: RegionRef; phoneMasked: string | null };
  /** The finding referred; null when the need was referred without one, or for a provider. */
  finding: { id: string; title: string; status: FindingStatus } | null;
  provider: { id: string; name: string; phone: string | null };
  /** The staff member who referred it, to contact about the elder. */
  referredBy: { name: string; phone: string | null } | null;
  createdAt: string;
  updatedAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  /** What the viewer may move it to now (`referralActionsFor`). */
  actions: ReferralStatus[];
}

/** A referral with its history and the care services recorded for it. */
export interface ReferralDetailDto extends ReferralDto {
  events: ReferralEventDto[];
  careServices: CareServiceDto[];
}

/** A page of referrals, with how many there are in each status (for the tabs). */
export interface ReferralListPage extends Page<ReferralDto> {
  counts: Record<ReferralStatus, number>;
}

// ---------------------------------------------------------------------------------------------
// Care services (关爱服务, 丹东 2023 记录表 六)

/**
 * Body of `POST /api/care-services`. The provider (服务提供者) is a registered provider or, when
 * the service came from elsewhere (a volunteer, a neighbour), a name.
 */
export const CareServiceInput = z
  .strictObject({
    /** Made once by the client (UUIDv7), so a retry is the same record. */
    id: RecordId('关爱服务编号'),
    elderId: RecordId('老年人编号'),
    servedOn: ServedOn,
    content: requiredText('服务内容', 1000),
    providerId: RecordId('服务机构').optional(),
    providerName: text('服务提供者', 100).optional(),
    satisfaction: oneOf(SATISFACTION_LABELS, '满意度'),
    referralId: RecordId('转介编号').optional(),
    note: text('备注', 500).optional(),
  })
  .superRefine((v, ctx) => {
    if (!v.providerId && !v.providerName)
      ctx.addIssue({
        code: 'custom',
        path: ['providerName'],
        message: '请选择服务机构或填写服务提供者',
      });
  });
/** Input of `POST /api/care-services`. */
export type CareServiceInput = z.input<typeof CareServiceInput>;

/** Query of `GET /api/care-services`. */
export const CareServiceListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  satisfaction: oneOf(SATISFACTION_LABELS, '满意度').optional(),
  from: z.iso.date({ error: '开始日期应为 YYYY-MM-DD' }).optional(),
  to: z.iso.date({ error: '结束日期应为 YYYY-MM-DD' }).optional(),
  ...paging,
});
/** Query of `GET /api/care-services`, as a client sends it. */
export type CareServiceListQueryInput = z.input<typeof CareServiceListQuery>;
/** Query of the list, parsed. */
export type CareServiceListQuery = z.infer<typeof CareServiceListQuery>;

/** A care service as the API presents it. */
export interface CareServiceDto {
  id: string;
  elder: { id: string; name: string; village: RegionRef };
  servedOn: string;
  content: string;
  /** The registered provider, when it was one. */
  provider: { id: string; name: string } | null;
  /** 服务提供者 as printed: the provider's name, or the name entered. */
  providerName: string;
  satisfaction: Satisfaction;
  referralId: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}
