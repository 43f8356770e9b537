import {
  addDays,
  cadenceDays,
  ageOn,
  compareTasks,
  evaluateSchedule,
  isUuid,
  isWithinJurisdiction,
  localDateOf,
  parsePeriodKey,
  periodLabel,
  planSchedule,
  presenceOf,
  regionLevelOf,
  resolvePolicy,
  startOfLocalDate,
  tasksOf,
  toObligationDto,
  WORKLIST_BUCKETS,
  type CampaignRule,
  type Category,
  type ElderScheduleDto,
  type ElderStatus,
  type PlannedObligation,
  type PolicyRule,
  type Presence,
  type RegionWorklistDto,
  type Role,
  type ScheduleSummaryDto,
  type ScheduleTally,
  type ScheduleTallyDto,
  type Tier,
  type VisitFact,
  type VisitorWorklistDto,
  type WorklistCounts,
  type WorklistElder,
  type WorklistItemDto,
  type WorklistTask,
} from '@tanfang/domain';
import { z } from 'zod';
import type { Actor, Executor, RequestContext } from '../../context.js';
import { badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import {
  currentPrimaryVisitors,
  isAssigned,
  openAssignmentsOfVisitor,
} from '../assignments/assignments.repository.js';
import { audit } from '../audit/audit.service.js';
import { listCampaignRulesFor } from '../campaigns/campaigns.repository.js';
import { listPolicyRulesFor } from '../policies/policies.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import {
  scheduleEldersByIds,
  scheduleEldersInRegion,
  statusHistoryOf,
  visitsOfElders,
  type CountElderRow,
  type ScheduleElderRow,
  type ScheduleVisitRow,
} from './schedule.repository.js';
import { visitorOfUser } from '../visitors/visitors.repository.js';

/** Staff who read a region's worklists, counts and elders' plans. */
const STAFF_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'admin',
  'auditor',
];

const RegionQuery = z.strictObject({
  region: z
    .string({ error: '区划代码必须是字符串' })
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { error: '区划代码格式不正确' })
    .optional(),
});

const SummaryQuery = z.strictObject({
  region: RegionQuery.shape.region,
  period: z
    .string({ error: '请提供统计周期 period，如 2026-11' })
    .refine((v) => parsePeriodKey(v) !== undefined, {
      error: '统计周期应为 2026-11（月）、2026-Q4（季度）、2026-W47（周）或 2026（年）',
    })
    .optional(),
});

const ElderScheduleQuery = z.strictObject({
  months: z.coerce.number({ error: '月数必须是数字' }).int().min(1).max(24).default(12),
});

/** The most unassigned elders a region worklist lists (the total is always given). */
const UNASSIGNED_LIMIT = 200;
/**
 * How far back presence must be known for periods overlapping a date: the longest period (a year,
 * the in-person year rule) and a margin.
 */
const PRESENCE_LOOKBACK_DAYS = 370;
/** The visits a worklist reads in its first round (enough for weekly and monthly rules). */
const RECENT_DAYS = 70;
/** The longest lookback `lookbackDays` can give (the in-person year). */
const MAX_LOOKBACK_DAYS = 370;
const IN_PERSON_DAYS = { month: 31, quarter: 92, year: 366 } as const;

/**
 * How far back a worklist must look to see the last closed period of every rule in play: the
 * longest period among them, and a day.
 */
function lookbackDays(policies: readonly PolicyRule[]): number {
  let days = 7;
  for (const p of policies) {
    days = Math.max(days, cadenceDays(p.cadence) + 2);
    if (p.inPersonEvery) days = Math.max(days, IN_PERSON_DAYS[p.inPersonEvery] + 1);
  }
  return days + 1;
}

interface Prepared<R> {
  row: R;
  presence: Presence[];
  /** Identifies elders whose obligations are the same: one plan serves them all. */
  profileKey: string;
}

/** Due, done and overdue: worklists for visitors and staff, and counts for a region and period. */
export class ScheduleService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly rollups: RollupsService,
  ) {}

  /**
   * `GET /api/worklist`: a visitor's own list — their elders' open and missed visits and campaign
   * tasks, most urgent first. A backup visitor sees an elder only when the visit is overdue.
   */
  async visitorWorklist(ctx: RequestContext, now = Date.now()): Promise<VisitorWorklistDto> {
    if (ctx.actor.role !== 'visitor')
      throw forbidden('只有探访人员有个人探访任务，请指定区域 region');
    const today = localDateOf(now);
    const empty = { counts: zeroCounts(), items: [], withoutPolicy: 0, elders: 0 };
    const asOf = new Date(now).toISOString();
    const own = await this.visitorItems(ctx.actor.userId, now);
    if (!own) return { visitor: null, asOf, today, ...empty };
    const { visitor, rows, items, withoutPolicy } = own;
    await audit(this.db, ctx, {
      action: 'worklist.read',
      entity: 'visitor',
      entityId: visitor.id,
      regionCode: visitor.region_code,
      detail: { elders: rows.length, items: items.length },
    });
    return {
      visitor: { id: visitor.id, name: visitor.name, type: visitor.type },
      asOf,
      today,
      items,
      counts: countsOf(items),
      withoutPolicy,
      elders: rows.length,
    };
  }

  /**
   * The overdue visits and campaign tasks of the alert queue (提醒): a visitor's own, or those of
   * the elders of a village or township user's region (none for other roles: their visit counts
   * are on 探访统计). Not audited here: the queue records its own read.
   */
  async queueTasks(actor: Actor, now = Date.now()): Promise<WorklistItemDto[]> {
    const tasks = (items: WorklistItemDto[]) =>
      items.filter((i) => i.bucket === 'overdue' || i.bucket === 'campaign');
    if (actor.role === 'visitor')
      return tasks((await this.visitorItems(actor.userId, now))?.items ?? []);
    const level = regionLevelOf(actor.jurisdiction);
    if (
      (actor.role !== 'village' && actor.role !== 'township') ||
      (level !== 'village' && level !== 'township')
    )
      return [];
    return tasks((await this.regionItems(actor.jurisdiction, now)).items);
  }

  /** A visitor's worklist items (undefined when the account is linked to no visitor). */
  private async visitorItems(userId: string, now: number) {
    const today = localDateOf(now);
    const visitor = await visitorOfUser(this.db, userId);
    if (!visitor) return undefined;
    const assignments = await openAssignmentsOfVisitor(this.db, visitor.id, today);
    const roles = new Map<string, 'primary' | 'backup'>();
    for (const a of assignments)
      if (!roles.has(a.elder_id) || a.role === 'primary') roles.set(a.elder_id, a.role);
    const rows = (await scheduleEldersByIds(this.db, [...roles.keys()])).filter(
      (r) => r.status === 'active',
    );
    const { items, withoutPolicy } = await this.worklistOf(rows, now, (row, task) => {
      const role = roles.get(row.id)!;
      return role === 'primary' || task.bucket === 'overdue' ? role : undefined;
    });
    return { visitor, rows, items, withoutPolicy };
  }

  /** The worklist items of the active elders of a village or township. */
  private async regionItems(region: string, now: number) {
    const today = localDateOf(now);
    const rows = (await scheduleEldersInRegion(this.db, region, today)).filter(
      (r) => r.status === 'active' && r.village_code.startsWith(region),
    );
    const { items, withoutPolicy } = await this.worklistOf(rows, now, () => null, region);
    return { rows, items, withoutPolicy };
  }

  /**
   * `GET /api/worklist?region=CODE`: for village and township staff — overdue visits grouped by
   * visitor, and elders with no visitor (未落实探访人).
   */
  async regionWorklist(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<RegionWorklistDto> {
    if (!STAFF_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看辖区探访任务');
    const { region: asked } = parseInput(RegionQuery, rawQuery, 'query');
    const region = asked ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const level = regionLevelOf(region);
    if (level !== 'village' && level !== 'township') {
      throw badRequest('探访任务按乡镇(街道)或村(居)查看；县级以上请看探访统计', 'region');
    }
    const ref = await this.regions.ref(region);
    const today = localDateOf(now);
    const { rows, items, withoutPolicy } = await this.regionItems(region, now);
    const primaries = await currentPrimaryVisitors(
      this.db,
      rows.map((r) => r.id),
      today,
    );
    const groups = new Map<string, RegionWorklistDto['overdueByVisitor'][number]>();
    for (const item of items) {
      if (item.bucket !== 'overdue') continue;
      const p = primaries.get(item.elder.id);
      const key = p?.visitorId ?? '';
      let group = groups.get(key);
      if (!group) {
        group = {
          visitor: p
            ? { id: p.visitorId, name: p.name, type: p.type, phoneMasked: p.phone_masked }
            : null,
          items: [],
        };
        groups.set(key, group);
      }
      group.items.push({ ...item, role: p ? 'primary' : null });
    }
    const unassignedRows = rows.filter((r) => !primaries.has(r.id));
    const names = await this.regions.fullNames(
      unassignedRows.slice(0, UNASSIGNED_LIMIT).map((r) => r.village_code),
    );
    await audit(this.db, ctx, {
      action: 'worklist.read',
      entity: 'elder',
      regionCode: region,
      detail: { elders: rows.length, overdue: items.filter((i) => i.bucket === 'overdue').length },
    });
    return {
      region: ref,
      asOf: new Date(now).toISOString(),
      today,
      overdueByVisitor: [...groups.values()].sort(
        (a, b) => (a.visitor ? 0 : 1) - (b.visitor ? 0 : 1) || b.items.length - a.items.length,
      ),
      unassigned: unassignedRows
        .slice(0, UNASSIGNED_LIMIT)
        .map((r) => worklistElder(r, names, today)),
      unassignedTotal: unassignedRows.length,
      counts: countsOf(items),
      elders: rows.length,
      withoutPolicy,
    };
  }

  /**
   * `GET /api/schedule/summary?region=&period=`: for a region and a period (a month by default),
   * the regular visits due whose deadline falls in the period — done on time, done late, overdue,
   * still open — per child region. Read from the visit-rate rollup (as 探访率): a window counts in
   * the village the elder lived in when it began.
   */
  async summary(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ScheduleSummaryDto> {
    if (!STAFF_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访统计');
    const query = parseInput(SummaryQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (!isWithinJurisdiction(region, ctx.actor.jurisdiction)) throw notFound('区域');
    const period = parsePeriodKey(query.period ?? localDateOf(now).slice(0, 7))!;
    const ref = await this.regions.ref(region);
    const { total, children } = await this.rollups.childTallies(region, period.key, now);
    const names = await this.regions.fullNames([...children.keys()]);
    await audit(this.db, ctx, {
      action: 'schedule.summary',
      entity: 'elder',
      regionCode: region,
      detail: { period: period.key, elders: total.elders },
    });
    return {
      region: ref,
      period: {
        key: period.key,
        label: periodLabel(period.key),
        start: period.start,
        end: period.end,
      },
      asOf: new Date(now).toISOString(),
      total: tallyDto(total, total.elders),
      children: [...children.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, t]) => ({
          region: { code, ...(names.get(code) ?? { name: code, fullName: code }) },
          tally: tallyDto(t, t.elders),
        })),
    };
  }

  /** `GET /api/elders/:id/schedule`: an elder's policy in force and obligations of recent months. */
  async elderSchedule(
    ctx: RequestContext,
    elderId: string,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<ElderScheduleDto> {
    const visitor = ctx.actor.role === 'visitor';
    if (!visitor && !STAFF_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看探访计划');
    const { months } = parseInput(ElderScheduleQuery, rawQuery, 'query');
    if (!isUuid(elderId)) throw notFound('老年人记录');
    const today = localDateOf(now);
    // A visitor sees the elders assigned to them today, and no one else.
    if (visitor && !(await this.isAssignedToUser(ctx.actor.userId, elderId, today)))
      throw notFound('老年人记录');
    const [row] = await scheduleEldersByIds(this.db, [elderId]);
    if (!row || !isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    const from = addDays(today, -31 * months);
    const presence = (await this.prepare([row], addDays(from, -1)))[0]!.presence;
    const [policies, campaigns] = await this.rulesFor([row], from, now);
    const profile = { tier: row.tier as Tier, categories: row.categories as Category[] };
    const plan = planSchedule({
      profile,
      presence,
      policies,
      campaigns,
      from,
      to: addDays(today, 1),
    });
    const visits = groupVisits(
      await visitsOfElders(
        this.db,
        [row.id],
        new Date(startOfLocalDate(addDays(from, -370))),
        new Date(now + 86_400_000),
      ),
    );
    const obligations = evaluateSchedule(plan, visits.get(row.id) ?? [], now)
      .map(toObligationDto)
      .reverse();
    const rule = resolvePolicy(policies, profile, row.village_code, today);
    return {
      policy: rule
        ? {
            id: rule.policyId,
            version: rule.version,
            name: rule.name,
            templateKey: rule.templateKey,
            cadence: rule.cadence,
          }
        : null,
      obligations,
    };
  }

  private async isAssignedToUser(userId: string, elderId: string, today: string): Promise<boolean> {
    const visitor = await visitorOfUser(this.db, userId);
    return visitor !== undefined && (await isAssigned(this.db, visitor.id, elderId, today));
  }

  /** Presence of each elder from a date on (history read only where it matters). */
  private async prepare<R extends CountElderRow>(rows: R[], since: string): Promise<Prepared<R>[]> {
    // Active since before `since` and never changed after: present all along.
    const needHistory = rows.filter((r) => r.status !== 'active' || r.status_since > since);
    const history = await statusHistoryOf(
      this.db,
      needHistory.map((r) => r.id),
    );
    const byElder = new Map<string, typeof history>();
    for (const h of history) {
      const list = byElder.get(h.elder_id) ?? [];
      list.push(h);
      byElder.set(h.elder_id, list);
    }
    return rows.map((row) => {
      const h = byElder.get(row.id);
      const profile = `${row.tier}|${row.categories.join(',')}`;
      if (!h) {
        return {
          row,
          presence: [{ villageCode: row.village_code, from: row.status_since, to: null }],
          // The day they came does not matter before the horizon: one plan for the village.
          profileKey: `${profile}|${row.village_code}`,
        };
      }
      const presence = presenceOf(
        h.map((e) => ({
          status: e.status,
          effectiveDate: e.effective_date,
          villageCode: e.village_code,
        })),
      );
      const where = presence.map((p) => `${p.villageCode}:${p.from}:${p.to ?? ''}`).join(';');
      return { row, presence, profileKey: `${profile}|${where}` };
    });
  }

  private async rulesFor(
    rows: ScheduleElderRow[],
    from: string,
    now: number,
  ): Promise<[PolicyRule[], CampaignRule[]]> {
    const villages = [...new Set(rows.map((r) => r.village_code))];
    return Promise.all([
      listPolicyRulesFor(this.db, villages),
      listCampaignRulesFor(
        this.db,
        villages,
        new Date(startOfLocalDate(from)).toISOString(),
        new Date(now + 86_400_000).toISOString(),
      ),
    ]);
  }

  /** The tasks of some elders at `now`, shaped for the worklist; `roleOf` filters and labels them. */
  private async worklistOf(
    rows: ScheduleElderRow[],
    now: number,
    roleOf: (row: ScheduleElderRow, task: WorklistTask) => 'primary' | 'backup' | null | undefined,
    region?: string,
  ): Promise<{ items: WorklistItemDto[]; withoutPolicy: number }> {
    if (rows.length === 0) return { items: [], withoutPolicy: 0 };
    const today = localDateOf(now);
    const ids = rows.map((r) => r.id);
    const tomorrow = new Date(now + 86_400_000);
    // One round of independent queries: rules, status history, recent visits, place names.
    const [[policies, campaigns], prepared, recent, names] = await Promise.all([
      this.rulesFor(rows, addDays(today, -31), now),
      this.prepare(rows, addDays(today, -MAX_LOOKBACK_DAYS - PRESENCE_LOOKBACK_DAYS)),
      visitsOfElders(
        this.db,
        ids,
        new Date(startOfLocalDate(addDays(today, -RECENT_DAYS))),
        tomorrow,
      ),
      this.regions.fullNames([...new Set(rows.map((r) => r.village_code))]),
    ]);
    const from = addDays(today, -lookbackDays(policies));
    const plans = new Map<string, PlannedObligation[]>();
    const planned = prepared.map(({ row, presence, profileKey: key }) => {
      let plan = plans.get(key);
      if (!plan) {
        plan = planSchedule({
          profile: { tier: row.tier as Tier, categories: row.categories as Category[] },
          presence,
          policies,
          campaigns,
          from,
          to: addDays(today, 1),
          ...(region ? { region } : {}),
        });
        plans.set(key, plan);
      }
      return { row, plan };
    });
    let earliest = now;
    for (const plan of plans.values())
      for (const o of plan) earliest = Math.min(earliest, o.windowStart);
    // Rules with long periods (a quarter, the in-person year) need older visits too.
    const recentFrom = startOfLocalDate(addDays(today, -RECENT_DAYS));
    const visitRows =
      earliest < recentFrom
        ? [
            ...(await visitsOfElders(this.db, ids, new Date(earliest), new Date(recentFrom))),
            ...recent,
          ]
        : recent;
    const visits = groupVisits(visitRows);
    const last = lastVisits(visitRows);
    const items: Array<WorklistItemDto & { tier: Tier; sortEnd: number }> = [];
    let withoutPolicy = 0;
    for (const { row, plan } of planned) {
      if (!plan.some((o) => o.kind === 'regular')) withoutPolicy++;
      const elder = worklistElder(row, names, today);
      for (const task of tasksOf(evaluateSchedule(plan, visits.get(row.id) ?? [], now), now)) {
        const role = roleOf(row, task);
        if (role === undefined) continue;
        const lv = last.get(row.id);
        items.push({
          elder,
          role,
          bucket: task.bucket,
          obligation: toObligationDto(task.obligation),
          lastVisit: lv
            ? { visitedAt: new Date(lv.visited_ms).toISOString(), method: lv.method }
            : null,
          daysOverdue:
            task.bucket === 'overdue'
              ? Math.max(0, Math.floor((now - task.obligation.windowEnd) / 86_400_000))
              : null,
          tier: row.tier as Tier,
          sortEnd: task.obligation.windowEnd,
        });
      }
    }
    items.sort(
      (a, b) =>
        compareTasks(
          { bucket: a.bucket, obligation: { windowEnd: a.sortEnd }, tier: a.tier },
          { bucket: b.bucket, obligation: { windowEnd: b.sortEnd }, tier: b.tier },
        ) ||
        (a.lastVisit?.visitedAt ?? '').localeCompare(b.lastVisit?.visitedAt ?? '') ||
        a.elder.name.localeCompare(b.elder.name, 'zh-CN'),
    );
    return { items: items.map(({ tier: _t, sortEnd: _s, ...item }) => item), withoutPolicy };
  }
}

function zeroCounts(): WorklistCounts {
  return Object.fromEntries(WORKLIST_BUCKETS.map((b) => [b, 0])) as WorklistCounts;
}

function countsOf(items: WorklistItemDto[]): WorklistCounts {
  const counts = zeroCounts();
  for (const i of items) counts[i.bucket]++;
  return counts;
}

function groupVisits(rows: ScheduleVisitRow[]): Map<string, VisitFact[]> {
  const out = new Map<string, VisitFact[]>();
  for (const v of rows) {
    let list = out.get(v.elder_id);
    if (!list) {
      list = [];
      out.set(v.elder_id, list);
    }
    list.push({ id: v.id, visitedAt: v.visited_ms, enteredAt: v.entered_ms, method: v.method });
  }
  return out;
}

function lastVisits(rows: ScheduleVisitRow[]): Map<string, ScheduleVisitRow> {
  const out = new Map<string, ScheduleVisitRow>();
  for (const v of rows) {
    const seen = out.get(v.elder_id);
    if (!seen || v.visited_ms > seen.visited_ms) out.set(v.elder_id, v);
  }
  return out;
}

function worklistElder(
  r: ScheduleElderRow,
  names: Map<string, { name: string; fullName: string }>,
  today: string,
): WorklistElder {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender,
    age: ageOn(r.birth_date, today),
    village: {
      code: r.village_code,
      ...(names.get(r.village_code) ?? { name: r.village_code, fullName: r.village_code }),
    },
    tier: r.tier as Tier,
    categories: r.categories as Category[],
    status: r.status as ElderStatus,
    phoneMasked: r.phone_masked,
    address: r.address,
  };
}

function tallyDto(t: ScheduleTally, elders: number): ScheduleTallyDto {
  return { elders, ...t, rate: t.due > 0 ? (t.done + t.late) / t.due : null };
}
