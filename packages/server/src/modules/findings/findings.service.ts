import {
  DisposalInput,
  FINDING_ACTORS,
  FINDING_STATUS_LABELS,
  FindingListQuery,
  FindingNoteInput,
  FindingOwnerInput,
  FindingTransitionInput,
  canActOnFindings,
  isEmergency,
  isUuid,
  isWithinJurisdiction,
  localDateOf,
  manualTransitions,
  type FindingDetailDto,
  type FindingListItemDto,
  type FindingListPage,
  type FindingStatus,
  type Role,
} from '@tanfang/domain';
import type { Updateable } from 'kysely';
import type { Executor, RequestContext } from '../../context.js';
import type { FindingsTable } from '../../db/schema.js';
import { AppError, badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { audit } from '../audit/audit.service.js';
import type { RegionsService } from '../regions/regions.service.js';
import { elderReadableBy } from '../visits/visits.service.js';
import type { FindingRow } from '../visits/visits.repository.js';
import {
  actorRef,
  emergencyInfoOf,
  orderedIds,
  responseSecondsOf,
  toDisposalDto,
  toEventDto,
  toFindingListItem,
} from './findings.present.js';
import {
  countDisposals,
  displayNameOf,
  disposalsOfFinding,
  eventsOfFinding,
  findFindingDetail,
  findingsOfElder,
  insertDisposal,
  insertFindingEvents,
  listFindings,
  lockFindingRow,
  staffOfVillage,
  updateFinding,
  type FindingListRow,
  type NewFindingEvent,
} from './findings.repository.js';

/** Roles that read the findings of a region. */
export const FINDING_READERS: readonly Role[] = [
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

const label = (s: FindingStatus) => FINDING_STATUS_LABELS[s];

/**
 * Findings (发现的问题) and their workflow: listed per region and per elder; each followed to its
 * end — accepted (受理), disposed of (处置情况记录), resolved (办结), closed — by village,
 * township or county staff of its jurisdiction, every step kept with who and when.
 */
export class FindingsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
    private readonly bus: AlertBus,
  ) {}

  /**
   * `GET /api/findings?region=&status=&severity=&type=&overdue=`: a page of the findings of a
   * region, 紧急 first, then newest.
   */
  async list(ctx: RequestContext, rawQuery: unknown, now = Date.now()): Promise<FindingListPage> {
    if (!FINDING_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看辖区的发现问题');
    const query = parseInput(FindingListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total, emergencies } = await listFindings(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      status: query.status,
      severity: query.severity,
      type: query.type,
      overdueAt: query.overdue ? new Date(now) : undefined,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    await audit(this.db, ctx, {
      action: 'finding.list',
      entity: 'finding',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: await this.present(rows, now),
      total,
      emergencies,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** `GET /api/elders/:id/findings`: an elder's findings, newest first. */
  async ofElder(
    ctx: RequestContext,
    elderId: string,
    now = Date.now(),
  ): Promise<{ items: FindingListItemDto[] }> {
    const elder = await elderReadableBy(this.db, ctx, elderId);
    const rows = await findingsOfElder(this.db, elder.id);
    await audit(this.db, ctx, {
      action: 'finding.list',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { returned: rows.length },
    });
    return { items: await this.present(rows, now) };
  }

  /** `GET /api/findings/:id`: a finding with its history, disposals, deadline and next steps. */
  async get(ctx: RequestContext, id: string, now = Date.now()): Promise<FindingDetailDto> {
    if (!FINDING_READERS.includes(ctx.actor.role))
      throw forbidden('您的角色不能查看辖区的发现问题');
    const detail = await this.detail(ctx, id, now);
    await audit(this.db, ctx, {
      action: 'finding.read',
      entity: 'finding',
      entityId: detail.id,
      regionCode: detail.village.code,
    });
    return detail;
  }

  /**
   * The finding as `GET /api/findings/:id` shows it to the signed-in user (not logged: the
   * caller logs the read or the change). 404 outside the user's jurisdiction.
   */
  async detail(ctx: RequestContext, id: string, now = Date.now()): Promise<FindingDetailDto> {
    if (!isUuid(id)) throw notFound('发现问题');
    const row = await findFindingDetail(this.db, id);
    if (!row || !isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction))
      throw notFound('发现问题');
    const canAct = canActOnFindings(ctx.actor.role);
    const [events, disposals, village, staff] = await Promise.all([
      eventsOfFinding(this.db, row.id),
      disposalsOfFinding(this.db, row.id),
      this.regions.ref(row.village_code),
      canAct ? staffOfVillage(this.db, row.village_code) : Promise.resolve([]),
    ]);
    return {
      ...toFindingListItem(row, village, now),
      description: row.description,
      createdBy: actorRef(row.created_by, row.created_by_name),
      emergency: emergencyInfoOf(row, events),
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      closedAt: row.closed_at?.toISOString() ?? null,
      updatedAt: row.updated_at.toISOString(),
      events: events.map(toEventDto),
      disposals: disposals.map(toDisposalDto),
      allowed: canAct ? manualTransitions(row.status as FindingStatus) : [],
      canAct,
      ownerCandidates: staff.map((s) => ({
        id: s.id,
        name: s.display_name,
        role: s.role as Role,
        onDuty: s.on_duty,
      })),
    };
  }

  /**
   * `POST /api/findings/:id/transitions`: a change of status the workflow allows (409 listing
   * the allowed ones otherwise); closing needs a disposal record first. Accepting (处理中) an
   * unowned finding makes the acceptor its owner; any change of an unacknowledged emergency
   * acknowledges it (someone is dealing with it: the ladder stops).
   */
  async transition(
    ctx: RequestContext,
    id: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<FindingDetailDto> {
    this.requireActor(ctx);
    const input = parseInput(FindingTransitionInput, raw);
    const village = await this.db.transaction().execute(async (trx) => {
      const f = await this.lockInJurisdiction(trx, ctx, id);
      const from = f.status as FindingStatus;
      const allowed = manualTransitions(from);
      if (!allowed.includes(input.to)) {
        const message =
          allowed.length === 0
            ? `该问题已${label(from)}，不能再变更状态`
            : input.to === 'referred'
              ? `请使用“转介”选择服务机构，转介后问题即为“已转介”；当前为“${label(from)}”，可改为：${allowed.map(label).join('、')}`
              : `问题当前为“${label(from)}”，不能改为“${label(input.to)}”；可改为：${allowed.map(label).join('、')}`;
        throw new AppError(409, 'transition_not_allowed', message, 'to', undefined, {
          status: from,
          allowed,
        });
      }
      if (input.to === 'closed' && (await countDisposals(trx, f.id)) === 0)
        throw new AppError(
          409,
          'disposal_required',
          '请先填写处置情况记录：关闭问题前须记录处置情况（处置方式、处置经过和日期）',
          'to',
          undefined,
          { status: from, allowed },
        );
      const at = new Date(now);
      const name = await displayNameOf(trx, ctx.actor.userId);
      const set: Updateable<FindingsTable> = { status: input.to };
      if (input.to === 'resolved') set.resolved_at = at;
      if (input.to === 'closed') set.closed_at = at;
      if (from === 'resolved' && input.to === 'in_progress') set.resolved_at = null;
      const steps: Omit<NewFindingEvent, 'id'>[] = [];
      if (isEmergency(f) && !f.acknowledged_at) {
        set.acknowledged_at = at;
        set.acknowledged_by = ctx.actor.userId;
        steps.push(
          this.step(f, ctx, name, at, 'acknowledged', {
            level: f.escalation_level,
            responseSeconds: responseSecondsOf({ created_at: f.created_at, acknowledged_at: at }),
          }),
        );
      }
      steps.push({
        ...this.step(f, ctx, name, at, 'status', input.note ? { note: input.note } : null),
        from_status: from,
        to_status: input.to,
      });
      if (input.to === 'in_progress' && !f.owner_id) {
        set.owner_id = ctx.actor.userId;
        steps.push(
          this.step(f, ctx, name, at, 'assigned', {
            ownerId: ctx.actor.userId,
            ownerName: name,
          }),
        );
      }
      await updateFinding(trx, f.id, set);
      await this.writeSteps(trx, steps, now);
      await audit(trx, ctx, {
        action: 'finding.transition',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
        detail: { from, to: input.to, note: input.note ?? null },
      });
      return f.village_code;
    });
    this.bus.publish({ regionCode: village, kind: 'finding' });
    return this.detail(ctx, id, now);
  }

  /**
   * `POST /api/findings/:id/disposals`: a disposal record (处置情况记录) — how it was dealt with,
   * on which day (not in the future, not before the finding was raised). Not on a closed finding.
   */
  async addDisposal(
    ctx: RequestContext,
    id: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<FindingDetailDto> {
    this.requireActor(ctx);
    const input = parseInput(DisposalInput, raw);
    const today = localDateOf(now);
    if (input.handledOn > today) throw badRequest('处置日期不能晚于今天', 'handledOn');
    const village = await this.db.transaction().execute(async (trx) => {
      const f = await this.lockInJurisdiction(trx, ctx, id);
      if (f.status === 'closed')
        throw new AppError(409, 'finding_closed', '该问题已关闭，不能再添加处置情况记录', 'id');
      const raised = localDateOf(f.created_at.getTime());
      if (input.handledOn < raised)
        throw badRequest(`处置日期不能早于发现问题的日期（${raised}）`, 'handledOn');
      const at = new Date(now);
      const [disposalId] = orderedIds(1, now);
      await insertDisposal(trx, {
        id: disposalId!,
        finding_id: f.id,
        elder_id: f.elder_id,
        county_code: f.county_code,
        kind: input.kind,
        description: input.description,
        handled_on: input.handledOn,
        created_at: at,
        created_by: ctx.actor.userId,
      });
      const name = await displayNameOf(trx, ctx.actor.userId);
      await updateFinding(trx, f.id, {});
      await this.writeSteps(
        trx,
        [
          this.step(f, ctx, name, at, 'disposal', {
            disposalId,
            kind: input.kind,
            description: input.description,
            handledOn: input.handledOn,
          }),
        ],
        now,
      );
      await audit(trx, ctx, {
        action: 'finding.disposal',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
        detail: { disposalId, kind: input.kind, handledOn: input.handledOn },
      });
      return f.village_code;
    });
    this.bus.publish({ regionCode: village, kind: 'finding' });
    return this.detail(ctx, id, now);
  }

  /**
   * `PUT /api/findings/:id/owner`: the member of staff responsible — active village, township or
   * county staff whose jurisdiction contains the finding — or nobody (null).
   */
  async setOwner(
    ctx: RequestContext,
    id: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<FindingDetailDto> {
    this.requireActor(ctx);
    const input = parseInput(FindingOwnerInput, raw);
    const village = await this.db.transaction().execute(async (trx) => {
      const f = await this.lockInJurisdiction(trx, ctx, id);
      if (f.status === 'closed')
        throw new AppError(409, 'finding_closed', '该问题已关闭，不能再更换负责人', 'ownerId');
      let ownerName: string | null = null;
      if (input.ownerId) {
        const staff = await staffOfVillage(trx, f.village_code);
        const owner = staff.find((s) => s.id === input.ownerId);
        if (!owner)
          throw badRequest(
            '负责人应为该问题所在村（社区）、乡镇（街道）或县（区）的在用工作人员账号',
            'ownerId',
          );
        ownerName = owner.display_name;
      }
      if (f.owner_id === input.ownerId) return null;
      const at = new Date(now);
      await updateFinding(trx, f.id, { owner_id: input.ownerId });
      const name = await displayNameOf(trx, ctx.actor.userId);
      await this.writeSteps(
        trx,
        [
          this.step(f, ctx, name, at, 'assigned', {
            ownerId: input.ownerId,
            ownerName,
            previousOwnerId: f.owner_id,
          }),
        ],
        now,
      );
      await audit(trx, ctx, {
        action: 'finding.assign',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
        detail: { ownerId: input.ownerId, previousOwnerId: f.owner_id },
      });
      return f.village_code;
    });
    if (village) this.bus.publish({ regionCode: village, kind: 'finding' });
    return this.detail(ctx, id, now);
  }

  /** `POST /api/findings/:id/notes`: a note in the finding's history (备注). */
  async addNote(
    ctx: RequestContext,
    id: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<FindingDetailDto> {
    this.requireActor(ctx);
    const input = parseInput(FindingNoteInput, raw);
    await this.db.transaction().execute(async (trx) => {
      const f = await this.lockInJurisdiction(trx, ctx, id);
      const at = new Date(now);
      const name = await displayNameOf(trx, ctx.actor.userId);
      await updateFinding(trx, f.id, {});
      await this.writeSteps(trx, [this.step(f, ctx, name, at, 'note', { note: input.note })], now);
      await audit(trx, ctx, {
        action: 'finding.note',
        entity: 'finding',
        entityId: f.id,
        regionCode: f.village_code,
      });
    });
    return this.detail(ctx, id, now);
  }

  /** 403 for roles that only read findings. */
  requireActor(ctx: RequestContext): void {
    if (!FINDING_ACTORS.includes(ctx.actor.role))
      throw forbidden('只有村（社区）、乡镇（街道）、县（区）工作人员可以处理发现问题');
  }

  /** The finding, locked, if it lies within the user's jurisdiction; 404 otherwise. */
  async lockInJurisdiction(trx: Executor, ctx: RequestContext, id: string): Promise<FindingRow> {
    if (!isUuid(id)) throw notFound('发现问题');
    const f = await lockFindingRow(trx, id);
    if (!f || !isWithinJurisdiction(f.village_code, ctx.actor.jurisdiction))
      throw notFound('发现问题');
    return f;
  }

  /** A step taken by the signed-in user (its id is given when written). */
  step(
    f: FindingRow,
    ctx: RequestContext,
    actorName: string | null,
    at: Date,
    kind: NewFindingEvent['kind'],
    detail: Record<string, unknown> | null,
  ): Omit<NewFindingEvent, 'id'> {
    return {
      finding_id: f.id,
      elder_id: f.elder_id,
      county_code: f.county_code,
      at,
      actor_id: ctx.actor.userId,
      actor_name: actorName,
      kind,
      from_status: null,
      to_status: null,
      detail,
    };
  }

  /** Writes steps with ids in their order. */
  async writeSteps(trx: Executor, steps: Omit<NewFindingEvent, 'id'>[], now: number) {
    const ids = orderedIds(steps.length, now);
    await insertFindingEvents(
      trx,
      steps.map((s, i) => ({ ...s, id: ids[i]! })),
    );
  }

  private async present(rows: FindingListRow[], now: number): Promise<FindingListItemDto[]> {
    const places = await this.regions.fullNames(rows.map((r) => r.village_code));
    return rows.map((r) =>
      toFindingListItem(r, { code: r.village_code, ...places.get(r.village_code)! }, now),
    );
  }
}
