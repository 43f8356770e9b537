/**
 * Emergencies (紧急情况) as the API presents them: the list with response times, the response-time
 * statistics, the checklist's items and the rescue steps. Sources: 丹东 2023 二、（四）“对探访过程中
 * 发现的紧急问题，应当第一时间协助拨打紧急求助电话，帮助联系其家庭成员或者其他紧急联系人，事后做好处置
 * 情况记录归档”; 鞍山 2020 “紧急情况下应立即拨打紧急求助电话向公安、消防、医疗等部门报告”; 海南 2018
 * 二、（五）“联络人要及时向村（居）委会、乡镇人民政府报告，由乡镇人民政府……实施关爱救助”.
 */
import { z } from 'zod';
import type { RegionRef } from './elder.js';
import {
  ELDER_SITUATION_LABELS,
  EMERGENCY_NUMBER_LABELS,
  type EmergencyChecklist,
  type EmergencyInput,
  type EscalationLevel,
} from './follow-up.js';
import type { ActorRef, EmergencyState } from './findings.js';
import { AnyRegionCode, IsoDate, paging } from './schema-helpers.js';
import type { Page } from './users.js';
import type { FindingStatus } from './visits.js';

/** Body of `POST /api/emergencies` as a client sends it (the checklist may be left out). */
export type EmergencyInputBody = z.input<typeof EmergencyInput>;

/** What to do at once in an emergency, in order (shown after a visit with 紧急情况 on). */
export const RESCUE_STEPS = [
  '情况危急时立即拨打紧急求助电话：110 报警、119 火警、120 急救',
  '联系老年人的家庭成员或紧急联系人',
  '立即报告村（居）委会、乡镇（街道）和民政部门',
  '事后填写处置情况记录，归档备查',
] as const;

/** The checklist's items in words. */
export const CHECKLIST_FIELD_LABELS: Record<keyof EmergencyChecklist, string> = {
  emergencyNumber: '拨打的紧急电话',
  familyReached: '联系到家属或紧急联系人',
  familyContact: '联系到的人',
  situation: '老年人目前情况',
  situationNote: '情况说明',
};

/** A checklist value in words (是/否 for the family, the number's and situation's labels). */
export function checklistValueText(
  field: keyof EmergencyChecklist,
  value: EmergencyChecklist[keyof EmergencyChecklist] | null | undefined,
): string {
  if (value === undefined || value === null || value === '') return '未填';
  switch (field) {
    case 'emergencyNumber':
      return EMERGENCY_NUMBER_LABELS[value as keyof typeof EMERGENCY_NUMBER_LABELS];
    case 'familyReached':
      return value ? '已联系到' : '未联系到';
    case 'situation':
      return ELDER_SITUATION_LABELS[value as keyof typeof ELDER_SITUATION_LABELS];
    case 'familyContact':
    case 'situationNote':
      return String(value);
  }
}

/** One changed checklist item. */
export interface ChecklistChange {
  field: keyof EmergencyChecklist;
  from: EmergencyChecklist[keyof EmergencyChecklist] | null;
  to: EmergencyChecklist[keyof EmergencyChecklist] | null;
}

/** The items that differ between two versions of a checklist, in the checklist's order. */
export function checklistChanges(
  before: EmergencyChecklist,
  after: EmergencyChecklist,
): ChecklistChange[] {
  const out: ChecklistChange[] = [];
  for (const field of Object.keys(CHECKLIST_FIELD_LABELS) as (keyof EmergencyChecklist)[]) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (from !== to) out.push({ field, from, to });
  }
  return out;
}

/** Which emergencies a list shows: 未办结 (all not yet done), 待响应, 已响应, 已办结. */
export const EMERGENCY_FILTER_LABELS = {
  active: '未办结',
  open: '待响应',
  acknowledged: '已响应',
  closed: '已办结',
} as const;
/** A list filter. */
export type EmergencyFilter = keyof typeof EMERGENCY_FILTER_LABELS;

/** Query of `GET /api/emergencies`. */
export const EmergencyListQuery = z.strictObject({
  region: AnyRegionCode.optional(),
  state: z
    .enum(['active', 'open', 'acknowledged', 'closed'], {
      error: '状态应为：active（未办结）、open（待响应）、acknowledged（已响应）、closed（已办结）',
    })
    .optional(),
  ...paging,
});
/** Query of `GET /api/emergencies`, as a client sends it. */
export type EmergencyListQueryInput = z.input<typeof EmergencyListQuery>;

/** One emergency in a list. */
export interface EmergencyListItemDto {
  id: string;
  elder: { id: string; name: string };
  village: RegionRef;
  title: string;
  description: string | null;
  source: string;
  visitId: string | null;
  status: FindingStatus;
  state: EmergencyState;
  level: EscalationLevel;
  createdAt: string;
  createdBy: ActorRef | null;
  acknowledgedAt: string | null;
  acknowledgedBy: ActorRef | null;
  /** acknowledged_at − created_at in seconds (null until acknowledged). */
  responseSeconds: number | null;
  /** When the level alerted now must respond by (null once acknowledged). */
  deadlineAt: string | null;
  /** Not acknowledged and past the deadline (at the county: flagged). */
  overdue: boolean;
  checklist: EmergencyChecklist;
}

/** A page of `GET /api/emergencies`, with how many of the region's are in each state. */
export interface EmergencyListPage extends Page<EmergencyListItemDto> {
  counts: Record<EmergencyFilter, number>;
}

/** Query of `GET /api/emergencies/summary`: a region and a period of China dates [from, to]. */
export const EmergencySummaryQuery = z
  .strictObject({
    region: AnyRegionCode.optional(),
    from: IsoDate.optional(),
    to: IsoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    error: '开始日期不能晚于结束日期',
    path: ['from'],
  });
/** Query of the summary, as a client sends it. */
export type EmergencySummaryQueryInput = z.input<typeof EmergencySummaryQuery>;

/** Response times of a set of emergencies. */
export interface ResponseTimeStats {
  /** Emergencies raised in the period. */
  count: number;
  acknowledged: number;
  /** Not acknowledged yet. */
  unacknowledged: number;
  /** Escalated at least once (nobody responded in time). */
  escalated: number;
  /** Median and 90th percentile of the response time, seconds (null without any). */
  medianSeconds: number | null;
  p90Seconds: number | null;
}

/** `GET /api/emergencies/summary`: response times in a region over a period, and per child. */
export interface EmergencySummaryDto {
  region: RegionRef;
  from: string;
  to: string;
  total: ResponseTimeStats;
  byRegion: (ResponseTimeStats & { region: RegionRef })[];
}
