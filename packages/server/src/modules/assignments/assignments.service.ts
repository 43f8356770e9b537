/**
 * Who visits whom (逐户确定探访关爱服务人员): each active elder has one primary visitor at a time
 * and any number of backups. Assignments are ended, never deleted, so the history says who was
 * responsible on any day; a reassignment ends and creates in one transaction.
 */
import {
  AssignInput,
  AssignmentListQuery,
  ELDER_STATUS_LABELS,
  EndAssignmentInput,
  ReassignInput,
  ageOn,
  isUuid,
  isWithinJurisdiction,
  regionCodePath,
  todayIso,
  uuidv7,
  type AssignResultDto,
  type AssignmentDto,
  type AssignmentRole,
  type Category,
  type ElderAssignmentHistoryDto,
  type ElderAssignmentRow,
  type Page,
  type ReassignPreviewDto,
  type ReassignResultDto,
  type VisitorRef,
  type VisitorType,
} from '@tanfang/domain';
import type { z } from 'zod';
import type { Executor, RequestContext } from '../../context.js';
import { badRequest, conflict, notFound, parseInput } from '../../http/errors.js';
import { audit } from '../audit/audit.service.js';
import { findElderInJurisdiction } from '../elders/elders.repository.js';
import { findRegion, findRegions } from '../regions/regions.repository.js';
import { fullName, type RegionsService } from '../regions/regions.service.js';
import {
  ASSIGNMENT_MANAGERS,
  ASSIGNMENT_READERS,
  names,
  requireRole,
} from '../visitors/visitors.service.js';
import {
  findVisitorInJurisdiction,
  lockVisitors,
  updateVisitorIfVersion,
  type VisitorRow,
} from '../visitors/visitors.repository.js';
import {
  activeEldersOfVillage,
  assignmentHistory,
  currentAssignmentsOfElders,
  endAssignments,
  findAssignmentInJurisdiction,
  findElders,
  insertAssignments,
  listElderAssignments,
  lockElders,
  openAssignmentsHeldBy,
  openAssignmentsOfElders,
  overlappingPrimaries,
  type AssignmentRow,
  type AssignmentWithVisitor,
  type ElderBrief,
} from './assignments.repository.js';

type Reassign = z.output<typeof ReassignInput>;

/** One elder's part of a reassignment. */
interface PlanItem {
  elder: ElderBrief;
  role: AssignmentRole;
  /** The assignment handed over (null: the elder gets a primary visitor for the first time). */
  from: AssignmentWithVisitor | null;
  /** Other assignments that end with it (the target's own backup when they become primary). */
  alsoEnds: AssignmentWithVisitor[];
  /** Whether the target gets a new assignment (not when they already visit the elder). */
  creates: boolean;
  note?: string;
}

/** A reassignment worked out against the current state. */
interface Plan {
  items: PlanItem[];
  target: VisitorRow;
  /** The source visitor (scope visitor). */
  source: VisitorRow | null;
  /** The region the change concerns, for the audit log. */
  regionCode: string;
  endIds: string[];
}

/** How a database error from a unique index reads to a user. */
function uniqueViolation(error: unknown): unknown {
  const e = error as { code?: string; constraint?: string };
  if (e.code !== '23505') return error;
  if (e.constraint === 'assignments_open_pair_key') {
    return conflict(
      'already_assigned',
      '该探访人员已是其中某位老年人的探访人，请刷新后重试',
      'elderIds',
    );
  }
  return conflict(
    'overlapping_assignment',
    '其中有老年人刚被他人分配了主要探访人，请刷新后重试',
    'elderIds',
  );
}

/** Who visits whom, and changes to it. */
export class AssignmentsService {
  constructor(
    private readonly db: Executor,
    private readonly regions: RegionsService,
  ) {}

  /**
   * Assigns one visitor to many elders in one role. All or nothing: any elder that cannot take
   * the assignment refuses the whole batch, naming the elders.
   */
  async assign(ctx: RequestContext, raw: unknown): Promise<AssignResultDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能分配探访人');
    const input = parseInput(AssignInput, raw);
    const created = await this.db
      .transaction()
      .execute(async (trx) => {
        const [visitor] = await lockVisitors(trx, [input.visitorId], ctx.actor.jurisdiction);
        if (!visitor) throw notFound('探访人员');
        if (visitor.status !== 'active') {
          throw badRequest(`探访人员 ${visitor.name} 已离岗，不能再分配`, 'visitorId');
        }
        const elders = await lockElders(trx, input.elderIds, ctx.actor.jurisdiction);
        if (elders.length !== input.elderIds.length) throw notFound('老年人记录');
        const byName = sortByName(elders);
        const inactive = byName.filter((e) => e.status !== 'active');
        if (inactive.length > 0) {
          throw badRequest(
            `以下老年人当前不在册，不能分配探访人：${inactive
              .map((e) => `${e.name}（${ELDER_STATUS_LABELS[e.status]}）`)
              .join('、')}`,
            'elderIds',
          );
        }
        const outside = byName.filter((e) => !e.village_code.startsWith(visitor.region_code));
        if (outside.length > 0) {
          const area = await placeName(trx, visitor.region_code);
          throw badRequest(
            `探访人员 ${visitor.name} 负责的区域（${area}）不包括以下老年人的居住地：${names(outside)}`,
            'visitorId',
          );
        }
        const open = await openAssignmentsOfElders(trx, input.elderIds);
        const already = new Set(
          open.filter((a) => a.visitor_id === visitor.id).map((a) => a.elder_id),
        );
        if (already.size > 0) {
          throw conflict(
            'already_assigned',
            `探访人员 ${visitor.name} 已是以下老年人的探访人：${names(byName.filter((e) => already.has(e.id)))}`,
            'elderIds',
          );
        }
        if (input.role === 'primary') {
          const overlapping = new Set(
            (await overlappingPrimaries(trx, input.elderIds, input.startDate)).map(
              (a) => a.elder_id,
            ),
          );
          if (overlapping.size > 0) {
            throw conflict(
              'overlapping_assignment',
              `以下老年人在 ${input.startDate} 起已有主要探访人（同一时间只能有一位主要探访人，更换请用“调整分配”）：${names(
                byName.filter((e) => overlapping.has(e.id)),
              )}`,
              'elderIds',
            );
          }
        }
        const rows = await insertAssignments(
          trx,
          byName.map((e) => ({
            id: uuidv7(),
            elder_id: e.id,
            county_code: e.county_code,
            visitor_id: visitor.id,
            role: input.role,
            start_date: input.startDate,
            created_by: ctx.actor.userId,
          })),
        );
        await audit(trx, ctx, {
          action: 'assignment.create',
          entity: 'assignment',
          regionCode: visitor.region_code,
          detail: {
            visitorId: visitor.id,
            role: input.role,
            startDate: input.startDate,
            count: rows.length,
            elderIds: rows.map((r) => r.elder_id),
            assignmentIds: rows.map((r) => r.id),
          },
        });
        return rows.map((r) => withVisitorColumns(r, visitor));
      })
      .catch((error: unknown) => {
        throw uniqueViolation(error);
      });
    return { created: created.map(present) };
  }

  /** Ends an assignment (the visitor stops visiting this elder from `endDate`). */
  async end(ctx: RequestContext, id: string, raw: unknown): Promise<AssignmentDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能变更探访分配');
    const input = parseInput(EndAssignmentInput, raw);
    if (!isUuid(id)) throw notFound('探访分配记录');
    const current = await findAssignmentInJurisdiction(this.db, id, ctx.actor.jurisdiction);
    if (!current) throw notFound('探访分配记录');
    if (current.end_date !== null) {
      throw conflict('already_ended', `该分配已于 ${current.end_date} 结束`);
    }
    if (input.endDate < current.start_date) {
      throw badRequest(`结束日期不能早于开始日期 ${current.start_date}`, 'endDate');
    }
    const ended = await this.db.transaction().execute(async (trx) => {
      const [row] = await endAssignments(trx, [id], {
        endDate: input.endDate,
        reason: input.reason,
        by: ctx.actor.userId,
      });
      if (!row) throw conflict('already_ended', '该分配已被他人结束，请刷新');
      await audit(trx, ctx, {
        action: 'assignment.end',
        entity: 'assignment',
        entityId: id,
        regionCode: current.village_code,
        detail: {
          elderId: row.elder_id,
          visitorId: row.visitor_id,
          role: row.role,
          endDate: input.endDate,
          reason: input.reason,
        },
      });
      return row;
    });
    return present({ ...current, ...ended });
  }

  /** What a reassignment would change; writes nothing. */
  async previewReassign(ctx: RequestContext, raw: unknown): Promise<ReassignPreviewDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能调整探访分配');
    const input = parseInput(ReassignInput, raw);
    const plan = await this.plan(this.db, ctx, input, false);
    const places = await this.regions.fullNames(plan.items.map((i) => i.elder.village_code));
    const to = visitorRef(plan.target);
    return {
      items: plan.items.map((i) => ({
        elder: {
          id: i.elder.id,
          name: i.elder.name,
          village: { code: i.elder.village_code, ...places.get(i.elder.village_code)! },
        },
        assignmentId: i.from?.id ?? null,
        role: i.role,
        from: i.from ? assignmentVisitorRef(i.from) : null,
        to,
        ...(i.note ? { note: i.note } : {}),
      })),
      total: plan.items.length,
      expectedAssignmentIds: plan.endIds,
    };
  }

  /**
   * Hands assignments over to another visitor from the effective date, in one transaction: each
   * affected assignment ends (with the reason) and the new one starts the same day. Refused if
   * the state differs from the preview the user saw.
   */
  async reassign(ctx: RequestContext, raw: unknown): Promise<ReassignResultDto> {
    requireRole(ctx, ASSIGNMENT_MANAGERS, '您的角色不能调整探访分配');
    const input = parseInput(ReassignInput, raw);
    return this.db
      .transaction()
      .execute(async (trx) => {
        const plan = await this.plan(trx, ctx, input, true);
        if (input.expectedAssignmentIds) {
          const expected = [...new Set(input.expectedAssignmentIds)].sort();
          if (expected.join() !== plan.endIds.join()) {
            throw conflict('preview_stale', '分配情况已变化，请重新预览');
          }
        }
        if (plan.items.length === 0) {
          throw badRequest('没有需要调整的分配', 'scope');
        }
        const ended = await endAssignments(trx, plan.endIds, {
          endDate: input.effectiveDate,
          reason: input.reason,
          by: ctx.actor.userId,
        });
        if (ended.length !== plan.endIds.length) {
          throw conflict('preview_stale', '分配情况已变化，请重新预览');
        }
        const created = await insertAssignments(
          trx,
          plan.items
            .filter((i) => i.creates)
            .map((i) => ({
              id: uuidv7(),
              elder_id: i.elder.id,
              county_code: i.elder.county_code,
              visitor_id: plan.target.id,
              role: i.role,
              start_date: input.effectiveDate,
              created_by: ctx.actor.userId,
            })),
        );
        await audit(trx, ctx, {
          action: 'assignment.reassign',
          entity: 'assignment',
          regionCode: plan.regionCode,
          detail: {
            scope: input.scope,
            fromVisitorId: plan.source?.id ?? null,
            toVisitorId: plan.target.id,
            effectiveDate: input.effectiveDate,
            reason: input.reason,
            ended: ended.length,
            created: created.length,
            endedIds: ended.map((a) => a.id),
            createdIds: created.map((a) => a.id),
          },
        });
        if (input.visitorLeaves && plan.source && plan.source.status === 'active') {
          await updateVisitorIfVersion(trx, plan.source.id, plan.source.version, {
            status: 'left',
            left_on: input.effectiveDate,
            updated_by: ctx.actor.userId,
          });
          await audit(trx, ctx, {
            action: 'visitor.leave',
            entity: 'visitor',
            entityId: plan.source.id,
            regionCode: plan.source.region_code,
            detail: {
              leftOn: input.effectiveDate,
              note: input.reason,
              reassignedTo: plan.target.id,
            },
          });
        }
        return { ended: ended.length, created: created.length };
      })
      .catch((error: unknown) => {
        throw uniqueViolation(error);
      });
  }

  /** Active elders with their current visitors; `unassigned=true`: 未落实探访人 (the read is logged). */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<ElderAssignmentRow>> {
    requireRole(ctx, ASSIGNMENT_READERS, '您的角色不能查看探访分配');
    const query = parseInput(AssignmentListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    if (query.visitorId) {
      const visitor = await findVisitorInJurisdiction(
        this.db,
        query.visitorId,
        ctx.actor.jurisdiction,
      );
      if (!visitor) throw notFound('探访人员');
    }
    const today = todayIso();
    const { rows, total } = await listElderAssignments(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      tier: query.tier,
      q: query.q,
      visitorId: query.visitorId,
      unassigned: query.unassigned,
      today,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    const [current, places] = await Promise.all([
      currentAssignmentsOfElders(
        this.db,
        rows.map((r) => r.id),
        today,
      ),
      this.regions.fullNames(rows.map((r) => r.village_code)),
    ]);
    await audit(this.db, ctx, {
      action: 'assignment.list',
      entity: 'assignment',
      regionCode: query.region ?? ctx.actor.jurisdiction,
      detail: { query, returned: rows.length },
    });
    return {
      items: rows.map((e) => {
        const mine = current.filter((a) => a.elder_id === e.id);
        const primary = mine.find((a) => a.role === 'primary');
        return {
          elder: {
            id: e.id,
            name: e.name,
            gender: e.gender,
            age: ageOn(e.birth_date, today),
            village: { code: e.village_code, ...places.get(e.village_code)! },
            tier: e.tier,
            categories: e.categories as Category[],
            status: e.status,
          },
          primary: primary ? present(primary) : null,
          backups: mine.filter((a) => a.role === 'backup').map(present),
        };
      }),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** Every assignment an elder has had, newest first (the read is logged). */
  async history(ctx: RequestContext, elderId: string): Promise<ElderAssignmentHistoryDto> {
    requireRole(ctx, ASSIGNMENT_READERS, '您的角色不能查看探访分配');
    if (!isUuid(elderId)) throw notFound('老年人记录');
    const elder = await findElderInJurisdiction(this.db, elderId, ctx.actor.jurisdiction);
    if (!elder) throw notFound('老年人记录');
    const rows = await assignmentHistory(this.db, elderId);
    await audit(this.db, ctx, {
      action: 'assignment.history',
      entity: 'elder',
      entityId: elderId,
      regionCode: elder.village_code,
      detail: { returned: rows.length },
    });
    return { items: rows.map(present) };
  }

  /**
   * Works out a reassignment against the current state (locking the visitors and elders when
   * `lock`, inside the commit's transaction), checking every rule; throws what the user must fix.
   */
  private async plan(
    db: Executor,
    ctx: RequestContext,
    input: Reassign,
    lock: boolean,
  ): Promise<Plan> {
    const { scope } = input;
    const jurisdiction = ctx.actor.jurisdiction;
    const sourceId = scope.kind === 'visitor' ? scope.visitorId : null;
    const visitors = lock
      ? await lockVisitors(
          db,
          sourceId ? [input.toVisitorId, sourceId] : [input.toVisitorId],
          jurisdiction,
        )
      : (
          await Promise.all(
            [input.toVisitorId, ...(sourceId ? [sourceId] : [])].map((id) =>
              findVisitorInJurisdiction(db, id, jurisdiction),
            ),
          )
        ).flatMap((v) => (v ? [v] : []));
    const source = sourceId ? visitors.find((v) => v.id === sourceId) : undefined;
    if (sourceId && !source) throw notFound('探访人员');
    const target = visitors.find((v) => v.id === input.toVisitorId);
    if (!target) throw notFound('接替的探访人员');
    if (target.status !== 'active') {
      throw badRequest(`接替的探访人员 ${target.name} 已离岗`, 'toVisitorId');
    }

    const loadElders = (ids: string[], within: string) =>
      lock ? lockElders(db, ids, within) : findElders(db, ids, within);
    let items: PlanItem[];
    let regionCode: string;
    if (scope.kind === 'visitor') {
      const held = await openAssignmentsHeldBy(db, source!.id);
      // Every assignment the visitor holds ends, even of an elder since moved out of the
      // jurisdiction (the elder was in it when assigned): a visitor who leaves holds nothing.
      const elders = await loadElders([...new Set(held.map((a) => a.elder_id))], '');
      const open = await openAssignmentsOfElders(
        db,
        elders.map((e) => e.id),
      );
      const byId = new Map(elders.map((e) => [e.id, e]));
      items = held
        .filter((a) => byId.has(a.elder_id))
        .map((a) =>
          this.handOver(
            byId.get(a.elder_id)!,
            a,
            open.filter((o) => o.elder_id === a.elder_id),
            target,
            source!,
          ),
        );
      regionCode = source!.region_code;
    } else {
      let elders: ElderBrief[];
      if (scope.kind === 'elder') {
        elders = await loadElders([scope.elderId], jurisdiction);
        if (elders.length === 0) throw notFound('老年人记录');
        const elder = elders[0]!;
        if (elder.status !== 'active') {
          throw badRequest(
            `${elder.name} 当前状态为“${ELDER_STATUS_LABELS[elder.status]}”，不能分配探访人`,
            'scope.elderId',
          );
        }
        regionCode = elder.village_code;
      } else {
        if (!isWithinJurisdiction(scope.villageCode, jurisdiction)) throw notFound('区域');
        if (!(await findRegion(db, scope.villageCode))) throw notFound('区域');
        elders = await activeEldersOfVillage(db, scope.villageCode, lock);
        regionCode = scope.villageCode;
      }
      const open = await openAssignmentsOfElders(
        db,
        elders.map((e) => e.id),
      );
      items = elders.flatMap((e) => {
        const mine = open.filter((o) => o.elder_id === e.id);
        const primary = mine.find((o) => o.role === 'primary') ?? null;
        if (primary?.visitor_id === target.id) return [];
        return [this.handOver(e, primary, mine, target, null)];
      });
    }
    items.sort(
      (a, b) =>
        byCode(a.elder.village_code, b.elder.village_code) ||
        byCode(a.elder.name, b.elder.name) ||
        (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1),
    );
    await this.checkPlan(db, input, items, target);
    const endIds = items.flatMap((i) => endsOf(i).map((a) => a.id)).sort();
    return { items, target, source: source ?? null, regionCode, endIds };
  }

  /** One elder's part: `from` goes to `target` (or only ends, when the target cannot take it). */
  private handOver(
    elder: ElderBrief,
    from: AssignmentWithVisitor | null,
    open: AssignmentWithVisitor[],
    target: VisitorRow,
    source: VisitorRow | null,
  ): PlanItem {
    const role = from?.role ?? 'primary';
    const base = { elder, role, from, alsoEnds: [] };
    if (elder.status !== 'active') {
      return {
        ...base,
        creates: false,
        note: `老年人当前状态为“${ELDER_STATUS_LABELS[elder.status]}”，只结束原分配`,
      };
    }
    if (source && !elder.village_code.startsWith(source.region_code)) {
      return { ...base, creates: false, note: '老年人已不在原探访人员负责的区域内，只结束原分配' };
    }
    const targetHolds = open.find((o) => o.visitor_id === target.id);
    if (!targetHolds) return { ...base, creates: true };
    if (role === 'primary' && targetHolds.role === 'backup') {
      return {
        ...base,
        alsoEnds: [targetHolds],
        creates: true,
        note: `${target.name} 原为备用探访人，其备用分配同时结束`,
      };
    }
    return {
      ...base,
      creates: false,
      note: `${target.name} 已是该老年人的${targetHolds.role === 'primary' ? '主要' : '备用'}探访人，只结束原分配`,
    };
  }

  /** The rules every reassignment must satisfy; the messages list the elders concerned. */
  private async checkPlan(
    db: Executor,
    input: Reassign,
    items: PlanItem[],
    target: VisitorRow,
  ): Promise<void> {
    const creating = items.filter((i) => i.creates);
    const uncovered = creating.filter((i) => !i.elder.village_code.startsWith(target.region_code));
    if (uncovered.length > 0) {
      const area = await placeName(db, target.region_code);
      throw badRequest(
        `接替的探访人员 ${target.name} 负责的区域（${area}）不包括以下老年人的居住地：${names(
          uncovered.map((i) => i.elder),
        )}`,
        'toVisitorId',
      );
    }
    const tooEarly = items.flatMap((i) =>
      endsOf(i)
        .filter((a) => a.start_date > input.effectiveDate)
        .map((a) => `${i.elder.name}（${a.start_date}）`),
    );
    if (tooEarly.length > 0) {
      throw badRequest(
        `生效日期不能早于现有分配的开始日期：${tooEarly.slice(0, 10).join('、')}`,
        'effectiveDate',
      );
    }
    const newPrimaries = creating.filter((i) => i.role === 'primary');
    const ending = items.flatMap((i) => endsOf(i).map((a) => a.id));
    const overlapping = new Set(
      (
        await overlappingPrimaries(
          db,
          newPrimaries.map((i) => i.elder.id),
          input.effectiveDate,
          ending,
        )
      ).map((a) => a.elder_id),
    );
    if (overlapping.size > 0) {
      throw conflict(
        'overlapping_assignment',
        `以下老年人在 ${input.effectiveDate} 起已有主要探访人记录，与新的分配重叠：${names(
          newPrimaries.filter((i) => overlapping.has(i.elder.id)).map((i) => i.elder),
        )}`,
        'effectiveDate',
      );
    }
  }
}

/** The assignments that end in one elder's part of a reassignment. */
function endsOf(item: PlanItem): AssignmentWithVisitor[] {
  return [...(item.from ? [item.from] : []), ...item.alsoEnds];
}

/** Compares as the databases' lists order text (by code point), so previews match the lists. */
function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Elders by name, then id. */
function sortByName<T extends { id: string; name: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => byCode(a.name, b.name) || byCode(a.id, b.id));
}

/**
 * The full name of a region, read on `db` (inside a transaction on PGlite, the one connection is
 * the transaction's: reading through the service's own handle would wait for it forever).
 */
async function placeName(db: Executor, code: string): Promise<string> {
  const names = new Map((await findRegions(db, regionCodePath(code))).map((r) => [r.code, r.name]));
  return fullName(regionCodePath(code).flatMap((c) => names.get(c) ?? []));
}

/** A new assignment row with the columns of its visitor, as queries return them. */
function withVisitorColumns(row: AssignmentRow, v: VisitorRow): AssignmentWithVisitor {
  return {
    ...row,
    visitor_name: v.name,
    visitor_type: v.type,
    visitor_phone_masked: v.phone_masked,
  };
}

/** A visitor as an assignment names them. */
function visitorRef(v: VisitorRow): VisitorRef {
  return { id: v.id, name: v.name, type: v.type as VisitorType, phoneMasked: v.phone_masked };
}

/** The visitor of an assignment. */
function assignmentVisitorRef(a: AssignmentWithVisitor): VisitorRef {
  return {
    id: a.visitor_id,
    name: a.visitor_name,
    type: a.visitor_type as VisitorType,
    phoneMasked: a.visitor_phone_masked,
  };
}

/** An assignment as the API presents it. */
function present(a: AssignmentWithVisitor): AssignmentDto {
  return {
    id: a.id,
    elderId: a.elder_id,
    visitor: assignmentVisitorRef(a),
    role: a.role,
    startDate: a.start_date,
    endDate: a.end_date,
    endReason: a.end_reason,
    createdAt: a.created_at.toISOString(),
  };
}
