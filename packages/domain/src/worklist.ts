/**
 * Worklists (探访任务): from an elder's obligations, what a visitor must do now — overdue, campaign
 * tasks, due today, due this week, due later in the period — sorted by urgency.
 */
import type { Category, ElderStatus, RegionRef, Tier } from './elder.js';
import type { Gender } from './idcard.js';
import { tierRank } from './ledger-rules.js';
import { DAY_MS, localDateOf, startOfLocalDate } from './periods.js';
import type { Cadence, CampaignKind, ChecklistItem, VisitMethod } from './policies.js';
import type { Obligation, ObligationKind, ObligationStatus } from './schedule.js';

/** The groups of a worklist, most urgent first. */
export const WORKLIST_BUCKET_LABELS = {
  overdue: '已逾期',
  campaign: '专项任务',
  today: '今天到期',
  week: '本周到期',
  later: '本期待访',
} as const;
/** A group of a worklist. */
export type WorklistBucket = keyof typeof WORKLIST_BUCKET_LABELS;
/** The groups, most urgent first. */
export const WORKLIST_BUCKETS = Object.keys(WORKLIST_BUCKET_LABELS) as WorklistBucket[];

/** Labels of obligation kinds. */
export const OBLIGATION_KIND_LABELS: Record<ObligationKind, string> = {
  regular: '定期探访',
  in_person: '上门探访要求',
  campaign: '专项探访',
};

/** Labels of obligation states. */
export const OBLIGATION_STATUS_LABELS: Record<ObligationStatus, string> = {
  upcoming: '未开始',
  due: '待探访',
  done: '已探访',
  overdue: '逾期未访',
  exempt: '不计（在册不足）',
};

/** The Chinese name of a period key: 2026年11月, 2026年第4季度, 2026年第47周, 2026年. */
export function periodLabel(key: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `${m[1]}年${+m[2]!}月`;
  m = /^(\d{4})-Q(\d)$/.exec(key);
  if (m) return `${m[1]}年第${m[2]}季度`;
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) return `${m[1]}年第${+m[2]!}周`;
  m = /^(\d{4})-(\d{2})-(\d{2})\+(\d+)d$/.exec(key);
  if (m) return `${+m[2]!}月${+m[3]!}日起 ${m[4]} 天`;
  m = /^(\d{4})$/.exec(key);
  if (m) return `${m[1]}年`;
  m = /#(\d+)$/.exec(key);
  if (m) return `第 ${m[1]} 轮`;
  return key;
}

/** An obligation in responses (instants as ISO strings). */
export interface ObligationDto {
  kind: ObligationKind;
  key: string;
  periodKey: string;
  periodLabel: string;
  windowStart: string;
  /** The deadline (exclusive instant). */
  dueBy: string;
  status: ObligationStatus;
  clipped: boolean;
  countedMethods: readonly VisitMethod[];
  policy: { id: string; version: number; name: string; templateKey: string } | null;
  campaign: {
    id: string;
    name: string;
    kind: CampaignKind;
    checklist: ChecklistItem[];
  } | null;
  visit: {
    id: string;
    visitedAt: string;
    enteredAt: string;
    method: VisitMethod;
    late: boolean;
  } | null;
}

/** Shapes an obligation for a response. */
export function toObligationDto(o: Obligation): ObligationDto {
  return {
    kind: o.kind,
    key: o.key,
    periodKey: o.periodKey,
    periodLabel: o.campaign
      ? `${o.campaign.name} ${periodLabel(o.periodKey)}`
      : periodLabel(o.periodKey),
    windowStart: new Date(o.windowStart).toISOString(),
    dueBy: new Date(o.windowEnd).toISOString(),
    status: o.status,
    clipped: o.clipped,
    countedMethods: o.countedMethods,
    policy: o.policy
      ? {
          id: o.policy.policyId,
          version: o.policy.version,
          name: o.policy.name,
          templateKey: o.policy.templateKey,
        }
      : null,
    campaign: o.campaign
      ? {
          id: o.campaign.id,
          name: o.campaign.name,
          kind: o.campaign.kind,
          checklist: o.campaign.checklist,
        }
      : null,
    visit: o.visit
      ? {
          id: o.visit.id,
          visitedAt: new Date(o.visit.visitedAt).toISOString(),
          enteredAt: new Date(o.visit.enteredAt).toISOString(),
          method: o.visit.method,
          late: o.visit.late,
        }
      : null,
  };
}

/** A task of a worklist: one obligation of one elder, in its group. */
export interface WorklistTask {
  bucket: WorklistBucket;
  obligation: Obligation;
}

/**
 * The tasks an elder's obligations make at `now`:
 * - a window still open and not visited: 专项任务 for a campaign, else by deadline — today, within
 *   7 days, or later in the period;
 * - 已逾期: the last closed window of a kind was missed and the current one is not yet visited
 *   (once the elder is visited again, the miss is history: it stays in the visit rate), or a
 *   campaign window missed while the campaign is still in force.
 */
export function tasksOf(obligations: readonly Obligation[], now: number): WorklistTask[] {
  const tasks: WorklistTask[] = [];
  const today = localDateOf(now);
  const endOfToday = startOfLocalDate(today) + DAY_MS;
  const inAWeek = endOfToday + 6 * DAY_MS;
  for (const kind of ['regular', 'in_person'] as const) {
    const mine = obligations.filter((o) => o.kind === kind);
    const current = mine.find((o) => o.windowStart <= now && now < o.windowEnd);
    const closed = mine.filter((o) => o.windowEnd <= now);
    const lastClosed = closed[closed.length - 1];
    if (current?.status === 'due') {
      const bucket: WorklistBucket =
        current.windowEnd <= endOfToday ? 'today' : current.windowEnd <= inAWeek ? 'week' : 'later';
      if (lastClosed?.status === 'overdue')
        tasks.push({ bucket: 'overdue', obligation: lastClosed });
      else tasks.push({ bucket, obligation: current });
    } else if (!current && lastClosed?.status === 'overdue') {
      tasks.push({ bucket: 'overdue', obligation: lastClosed });
    }
  }
  for (const o of obligations) {
    if (o.kind !== 'campaign') continue;
    if (o.status === 'due') tasks.push({ bucket: 'campaign', obligation: o });
    else if (o.status === 'overdue' && now < Date.parse(o.campaign!.endsAt))
      tasks.push({ bucket: 'overdue', obligation: o });
  }
  return tasks;
}

/** Sort key of a task: group, then deadline, then tier (高风险 first). */
export function compareTasks(
  a: { bucket: WorklistBucket; obligation: { windowEnd: number }; tier: Tier },
  b: { bucket: WorklistBucket; obligation: { windowEnd: number }; tier: Tier },
): number {
  return (
    WORKLIST_BUCKETS.indexOf(a.bucket) - WORKLIST_BUCKETS.indexOf(b.bucket) ||
    a.obligation.windowEnd - b.obligation.windowEnd ||
    tierRank(a.tier) - tierRank(b.tier)
  );
}

/** The elder on a worklist: what a visitor needs to find and greet them, masked. */
export interface WorklistElder {
  id: string;
  name: string;
  gender: Gender;
  age: number;
  village: RegionRef;
  tier: Tier;
  categories: Category[];
  status: ElderStatus;
  phoneMasked: string | null;
  /** 现居住地详细地址. */
  address: string | null;
}

/** A worklist row. */
export interface WorklistItemDto {
  elder: WorklistElder;
  /** The visitor's assignment (a backup sees an elder only when it is overdue). */
  role: 'primary' | 'backup' | null;
  bucket: WorklistBucket;
  obligation: ObligationDto;
  lastVisit: { visitedAt: string; method: VisitMethod } | null;
  /** Whole days since the deadline passed (已逾期 only). */
  daysOverdue: number | null;
}

/** Counts per group. */
export type WorklistCounts = Record<WorklistBucket, number>;

/** `GET /api/worklist` for a visitor. */
export interface VisitorWorklistDto {
  visitor: { id: string; name: string; type: string } | null;
  asOf: string;
  today: string;
  items: WorklistItemDto[];
  counts: WorklistCounts;
  /** Assigned elders no policy applies to (探访规则未设置). */
  withoutPolicy: number;
  elders: number;
}

/** `GET /api/worklist?region=CODE` for village and township staff. */
export interface RegionWorklistDto {
  region: RegionRef;
  asOf: string;
  today: string;
  /** 已逾期, grouped by primary visitor (null: no visitor). */
  overdueByVisitor: Array<{
    visitor: { id: string; name: string; type: string; phoneMasked: string | null } | null;
    items: WorklistItemDto[];
  }>;
  /** 未落实探访人: active elders with no current primary visitor. */
  unassigned: WorklistElder[];
  unassignedTotal: number;
  counts: WorklistCounts;
  elders: number;
  withoutPolicy: number;
}

/** Due/overdue for a region and a period, per child region (`GET /api/schedule/summary`). */
export interface ScheduleSummaryDto {
  region: RegionRef;
  period: { key: string; label: string; start: string; end: string };
  asOf: string;
  total: ScheduleTallyDto;
  children: Array<{ region: RegionRef; tally: ScheduleTallyDto }>;
}

/** A tally with its rate. */
export interface ScheduleTallyDto {
  elders: number;
  due: number;
  done: number;
  late: number;
  overdue: number;
  open: number;
  exempt: number;
  /** (done + late) ÷ due, or null when nothing was due. */
  rate: number | null;
}

/** `GET /api/elders/:id/schedule`: the policy in force for an elder and their recent obligations. */
export interface ElderScheduleDto {
  policy: (NonNullable<ObligationDto['policy']> & { cadence: Cadence }) | null;
  /** Newest first. */
  obligations: ObligationDto[];
}
