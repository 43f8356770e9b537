import {
  EmergencyChecklist,
  EmergencyInput,
  EmergencyListQuery,
  EmergencySummaryQuery,
  ROLE_LABELS,
  addDays,
  checklistChanges,
  deadlineOf,
  deadlineRuleOf,
  emergencyStateOf,
  isEmergency,
  isWithinJurisdiction,
  localDateOf,
  startOfLocalDate,
  type EmergencyListItemDto,
  type EmergencyListPage,
  type EmergencySummaryDto,
  type EscalationLevel,
  type FindingDetailDto,
  type FindingStatus,
  type RegionRef,
  type ResponseTimeStats,
  childCodeLength,
} from '@tanfang/domain';
import type { Updateable } from 'kysely';
import type { Executor, RequestContext } from '../../context.js';
import type { FindingsTable } from '../../db/schema.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { audit } from '../audit/audit.service.js';
import { overridesOfVillage } from '../findings/deadlines.repository.js';
import { actorRef, responseSecondsOf } from '../findings/findings.present.js';
import { displayNameOf, updateFinding } from '../findings/findings.repository.js';
import { FINDING_READERS, type FindingsService } from '../findings/findings.service.js';
import { findRegion } from '../regions/regions.repository.js';
import type { RegionsService } from '../regions/regions.service.js';
import { findElderForVisit } from '../visits/visits.repository.js';
import { alertEmergencyRaised } from './emergency-alerts.js';
import {
  insertFindingIfNew,
  listEmergencies,
  responseStats,
  type EmergencyRow,
  type ResponseStatsRow,
} from './emergencies.repository.js';

/** The period the statistics cover when none is asked for: the last 90 days. */
const SUMMARY_DAYS = 90;

/** Digits of a region's children's codes (a village has none: itself). */

function stats(r: ResponseStatsRow | undefined): ResponseTimeStats {
  return {
    count: r?.count ?? 0,
    acknowledged: r?.acknowledged ?? 0,
    unacknowledged: (r?.count ?? 0) - (r?.acknowledged ?? 0),
    escalated: r?.escalated ?? 0,
    medianSeconds: r?.median_seconds === null || !r ? null : Math.round(r.median_seconds),
    p90Seconds: r?.p90_seconds === null || !r ? null : Math.round(r.p90_seconds),
  };
}

/**
 * Emergencies (紧急情况): raised directly by staff (the family called) or by a visit; the village
 * and township alerted at once; acknowledged (响应) — the first acknowledgement stops the
 * escalation ladder and fixes the response time; the checklist (紧急电话, 家属, 目前情况) filled in
 * as it happens; listed with their state and response times.
 */
export class EmergenciesService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly findings: FindingsService,
    private readonly bus: AlertBus,
  ) {}

  /**
   * `POST /api/emergencies`: an emergency staff raise without a visit, idempotent by the client's
   * id — the finding (紧急, to be acknowledged within the region's response time), its first step
   * and the alerts to the village and the township, in one transaction.
   */
  async create(
    ctx: RequestContext,
    raw: unknown,
    now = Date.now(),
  ): Promise<{ created: boolean; finding: FindingDetailDto }> {
    this.findings.requireActor(ctx);
    const input = parseInput(EmergencyInput, raw);
    const elder = await findElderForVisit(this.db, input.elderId);
    if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    if (elder.status === 'deceased')
      throw badRequest('该老年人已登记为去世，不能上报紧急情况', 'elderId');
    const created = await this.db.transaction().execute(async (trx) => {
      const at = new Date(now);
      const rule = deadlineRuleOf(
        { type: 'emergency', severity: 'emergency' },
        await overridesOfVillage(trx, elder.village_code),
      );
      const row = {
        id: input.id,
        visit_id: null,
        elder_id: elder.id,
        county_code: elder.county_code,
        village_code: elder.village_code,
        type: 'emergency',
        severity: 'emergency',
        title: input.title,
        source: `${ROLE_LABELS[ctx.actor.role]}直接上报`,
        description: input.description,
        deadline_at: deadlineOf(at, rule),
        deadline_action: rule.action,
        emergency_checklist: JSON.stringify(input.checklist),
        created_at: at,
        updated_at: at,
        created_by: ctx.actor.userId,
      };
      if (!(await insertFindingIfNew(trx, row))) return false;
      const name = await displayNameOf(trx, ctx.actor.userId);
      const f = (await this.findings.lockInJurisdiction(trx, ctx, input.id))!;
      await this.findings.writeSteps(
        trx,
        [
          {
            ...this.findings.step(f, ctx, name, at, 'raised', {
              description: input.description,
              checklist: input.checklist,
              deadlineAt: row.deadline_at.toISOString(),
              deadlineAction: row.deadline_action,
            }),
            to_status: 'open',
          },
        ],
        now,
      );
      await alertEmergencyRaised(trx, row, elder.name, input.description);
      await audit(trx, ctx, {
        action: 'emergency.create',
        entity: 'finding',
        entityId: input.id,
        regionCode: elder.village_code,
        detail: { elderId: elder.id, title: input.title, checklist: input.checklist },
      });
      return true;
    });
    if (!created) {
      // A retry: the stored emergency, if it is this elder's.
      const stored = await this.findings.detail(ctx, input.id, now).catch(() => null);
      if (!stored || stored.elder.id !== elder.id || !stored.emergency)
        throw conflict(
          'emergency_id_conflict',
          '该紧急情况编号已被使用，请重新生成编号后提交',
          'id',
        );
      return { created: false, finding: stored };
    }
    this.bus.publish({ regionCode: elder.village_code, kind: 'emergency' });
    return { created: true, finding: await this.findings.detail(ctx, input.id, now) };
  }

  /**
   * `POST /api/emergencies/:id/acknowledge`: the first acknowledgement (响应) stops the ladder
   * and fixes the response time (acknowledged_at − created_at); it takes the emergency into
   * 处理中, owned by whoever acknowledged it if it had no owner. Later ones change nothing.
   */
  async acknowledge(ctx: RequestContext, id: string, now = Date.now()): Promise<FindingDetailDto> {
    this.findings.requireActor(ctx);
    const village = await this.db.transaction().execute(async (trx) => {
      const f = await this.findings.lockInJurisdiction(trx, ctx, id).catch(asEmergencyNotFound);
      if (!isEmergency(f)) throw notFound('紧急情况');
      if (f.acknowledged_at) return null;
      const at = new Date(now);
      const name = await displayNameOf(trx, ctx.actor.userId);
      const set: Updateable<FindingsTable> = {
        acknowledged_at: at,
        acknowledged_by: ctx.actor.userId,
      };
      const responseSeconds = responseSecondsOf({ created_at: f.created_at, acknowledged_at: at });
      const steps = [
        this.findings.step(f, ctx, name, at, 'acknowledged', {
          level: f.escalation_level,
          responseSeconds,
        }),
      ];
      if (f.status === 'open') {
        set.status = 'in_progress';
        steps.push({
          ...this.findings.step(f, ctx, name, at, 'status', null),
          from_status: 'open',
          to_status: 'in_progress',
        });
      }
      if (!f.owner_id) {
        set.owner_id = ctx.actor.userId;
        steps.push(
          this.findings.step(f, ctx, name, at, 'assigned', {
            ownerId: ctx.actor.userId,
            ownerName: name,
          }),
        );
      }
      await updateFinding(trx, f.id, set);
      await this.findings.writeSteps(trx, steps, now);
      await audit(trx, ctx, {
        action: 'emergency.acknowledge',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
        detail: { level: f.escalation_level, responseSeconds },
      });
      return f.village_code;
    });
    if (village) this.bus.publish({ regionCode: village, kind: 'emergency' });
    return this.findings.detail(ctx, id, now);
  }

  /**
   * `PUT /api/emergencies/:id/checklist`: the checklist as it stands now (it replaces the stored
   * one); each change is a step with its time and the items changed. Not once closed.
   */
  async updateChecklist(
    ctx: RequestContext,
    id: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<FindingDetailDto> {
    this.findings.requireActor(ctx);
    const input = parseInput(EmergencyChecklist, raw);
    const village = await this.db.transaction().execute(async (trx) => {
      const f = await this.findings.lockInJurisdiction(trx, ctx, id).catch(asEmergencyNotFound);
      if (!isEmergency(f)) throw notFound('紧急情况');
      if (f.status === 'closed')
        throw new AppError(409, 'finding_closed', '该紧急情况已关闭，不能再修改处置清单', 'id');
      const changes = checklistChanges((f.emergency_checklist ?? {}) as EmergencyChecklist, input);
      if (changes.length === 0) return null;
      const at = new Date(now);
      const name = await displayNameOf(trx, ctx.actor.userId);
      await updateFinding(trx, f.id, { emergency_checklist: JSON.stringify(input) });
      await this.findings.writeSteps(
        trx,
        [this.findings.step(f, ctx, name, at, 'checklist', { changes, checklist: input })],
        now,
      );
      await audit(trx, ctx, {
        action: 'emergency.checklist',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
        detail: { changed: changes.map((c) => c.field) },
      });
      return f.village_code;
    });
    if (village) this.bus.publish({ regionCode: village, kind: 'emergency' });
    return this.findings.detail(ctx, id, now);
  }

  /**
   * `GET /api/emergencies?region=&state=`: the emergencies of a region — waiting for a response
   * first, then being handled, then done — with their state, response time and checklist, and
   * how many are in each state.
   */
  async list(ctx: RequestContext, rawQuery: unknown, now = Date.now()): Promise<EmergencyListPage> {
    if (!FINDING_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看辖区的紧急情况');
    const query = parseInput(EmergencyListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total, counts } = await listEmergencies(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      state: query.state,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'emergency.list',
      entity: 'finding',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    const places = await this.regions.fullNames(rows.map((r) => r.village_code));
    return {
      items: rows.map((r) =>
        toEmergencyItem(r, { code: r.village_code, ...places.get(r.village_code)! }, now),
      ),
      total,
      counts,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * `GET /api/emergencies/summary?region=&from=&to=`: response times (median, 90th percentile,
   * counts) of the emergencies raised in a period (China dates, both included; the last 90 days
   * by default) in a region, and per region within it.
   */
  async summary(
    ctx: RequestContext,
    rawQuery: unknown,
    now = Date.now(),
  ): Promise<EmergencySummaryDto> {
    if (!FINDING_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看辖区的紧急情况');
    const query = parseInput(EmergencySummaryQuery, rawQuery, 'query');
    const region = query.region ?? ctx.actor.jurisdiction;
    if (
      !isWithinJurisdiction(region, ctx.actor.jurisdiction) ||
      !(await findRegion(this.db, region))
    )
      throw notFound('区域');
    const to = query.to ?? localDateOf(now);
    const from = query.from ?? addDays(to, -(SUMMARY_DAYS - 1));
    const period = {
      region,
      from: new Date(startOfLocalDate(from)),
      to: new Date(startOfLocalDate(addDays(to, 1))),
    };
    const childLength = childCodeLength(region);
    const [total, children] = await Promise.all([
      responseStats(this.db, { ...period, groupLength: region.length }),
      childLength > region.length
        ? responseStats(this.db, { ...period, groupLength: childLength })
        : Promise.resolve([]),
    ]);
    const names = await this.regions.fullNames([region, ...children.map((c) => c.group_code)]);
    const ref = (code: string): RegionRef => ({ code, ...names.get(code)! });
    return {
      region: ref(region),
      from,
      to,
      total: stats(total[0]),
      byRegion: children.map((c) => ({ region: ref(c.group_code), ...stats(c) })),
    };
  }
}

/** A 404 that names the emergency. */
function asEmergencyNotFound(error: unknown): never {
  throw error instanceof AppError && error.status === 404 ? notFound('紧急情况') : error;
}

/** An emergency in a list. */
export function toEmergencyItem(
  r: EmergencyRow,
  village: RegionRef,
  now: number,
): EmergencyListItemDto {
  const status = r.status as FindingStatus;
  const level = r.escalation_level as EscalationLevel;
  const acknowledgedAt = r.acknowledged_at?.toISOString() ?? null;
  const waiting = !r.acknowledged_at && status !== 'resolved' && status !== 'closed';
  return {
    id: r.id,
    elder: { id: r.elder_id, name: r.elder_name },
    village,
    title: r.title,
    description: r.description,
    source: r.source,
    visitId: r.visit_id,
    status,
    state: emergencyStateOf({ status, acknowledgedAt, level }),
    level,
    createdAt: r.created_at.toISOString(),
    createdBy: actorRef(r.created_by, r.created_by_name),
    acknowledgedAt,
    acknowledgedBy: actorRef(r.acknowledged_by, r.acknowledged_by_name),
    responseSeconds: responseSecondsOf(r),
    deadlineAt: waiting ? (r.deadline_at?.toISOString() ?? null) : null,
    overdue: waiting && r.deadline_at !== null && r.deadline_at.getTime() < now,
    checklist: (r.emergency_checklist ?? {}) as EmergencyChecklist,
  };
}
