import {
  AMENDABLE_VISITS_LIMIT,
  DAY_MS,
  VisitAmendmentInput,
  checkAnswers,
  deadlineOf,
  deadlineRuleOf,
  findingsOf,
  isEmergency,
  isUuid,
  isWithinJurisdiction,
  localDateOf,
  localDateTimeOf,
  uuidv7,
  versionChanges,
  visitTimeIssue,
  type AmendableVisitDto,
  type Answers,
  type ChecklistItem,
  type Role,
  type VisitDto,
  type VisitRevisionDto,
  type VisitVersion,
  type VisitorType,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { AppError, badRequest, forbidden, notFound, parseInput } from '../../http/errors.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { audit } from '../audit/audit.service.js';
import { alertEmergencyRaised } from '../emergencies/emergency-alerts.js';
import { overridesOfVillage } from '../findings/deadlines.repository.js';
import { displayNameOf, insertFindingEvents } from '../findings/findings.repository.js';
import type { RollupsService } from '../rollups/rollups.service.js';
import type { TemplatesService } from '../templates/templates.service.js';
import { visitorOfUser } from '../visitors/visitors.repository.js';
import {
  amendableVisitsOf,
  attachmentIdsOfVisit,
  lockVisit,
  raisedFindingKeys,
  registrationDate,
  revisionsOfVisit,
  writeAmendment,
  type VisitRevisionRow,
} from './amendments.repository.js';
import { findVisit } from './visits.repository.js';
import { VISIT_READERS, elderReadableBy, type VisitsService } from './visits.service.js';

/**
 * Roles that amend visits (更正): a visitor, only what they entered themselves, and village or
 * township staff, any visit of an elder in their jurisdiction (they supervise the recording).
 */
export const VISIT_AMENDERS: readonly Role[] = ['visitor', 'village', 'township'];

/** A 404 that names the visit, never the elder (the caller asked for a visit). */
function asVisitNotFound(error: unknown): never {
  throw error instanceof AppError && error.status === 404 ? notFound('探访记录') : error;
}

/** The content of a stored visit (or an earlier version of it) that an amendment may change. */
function versionOf(row: {
  visited_at: Date;
  method: VisitVersion['method'];
  answers: unknown;
  emergency: boolean;
  emergency_note: string | null;
}): VisitVersion {
  return {
    visitedAt: row.visited_at.toISOString(),
    method: row.method,
    answers: row.answers as Answers,
    emergency: row.emergency,
    emergencyNote: row.emergency_note,
  };
}

/** An earlier version for the API. */
function toRevisionDto(r: VisitRevisionRow): VisitRevisionDto {
  return {
    revision: r.revision,
    visitedAt: r.visited_at.toISOString(),
    method: r.method,
    visitor:
      r.visitor_id && r.visitor_name
        ? { id: r.visitor_id, name: r.visitor_name, type: r.visitor_type as VisitorType }
        : null,
    template: { key: r.template_key, version: r.template_version },
    answers: r.answers as Answers,
    emergency: r.emergency,
    emergencyNote: r.emergency_note,
    amendedAt: r.amended_at.toISOString(),
    amendedBy: { id: r.amended_by, name: r.amended_by_name ?? '（已删除的用户）' },
    reason: r.reason,
  };
}

/**
 * Corrections of visit records (更正) and their history (修改记录): a visit is amended in place
 * within a window after it was entered, the version it replaces kept in full. Never deleted.
 */
export class VisitAmendmentsService {
  constructor(
    private readonly db: Executor,
    private readonly templates: TemplatesService,
    private readonly visits: VisitsService,
    /** Days after entry during which a visit may be amended (TANFANG_VISIT_AMEND_DAYS). */
    private readonly amendDays: number,
    /** Told after commit when a correction raised an emergency (the live alert queues). */
    private readonly bus?: AlertBus,
    /** The visit-rate rollup: a corrected time or method moves the visit between windows. */
    private readonly rollups?: RollupsService,
  ) {}

  /**
   * `POST /api/visits/:id/amendments`: checks the corrected version as a recording is checked, then
   * in one transaction keeps the current version in `visit_revisions`, writes the new one with its
   * revision raised, raises the findings of rules that had not fired for this visit before (those
   * raised earlier stay, to be followed up), and logs `visit.amend`.
   */
  async amend(
    ctx: RequestContext,
    visitId: string,
    raw: unknown,
    now = Date.now(),
  ): Promise<VisitDto> {
    if (!VISIT_AMENDERS.includes(ctx.actor.role))
      throw forbidden('只有录入人或村（社区）、乡镇（街道）工作人员可以更正探访记录');
    if (!isUuid(visitId)) throw notFound('探访记录');
    const input = parseInput(VisitAmendmentInput, raw);

    let emergencyRaised = false;
    const amended = await this.db.transaction().execute(async (trx) => {
      const visit = await lockVisit(trx, visitId);
      if (!visit || !isWithinJurisdiction(visit.village_code, ctx.actor.jurisdiction))
        throw notFound('探访记录');
      const elder = await elderReadableBy(trx, ctx, visit.elder_id, now).catch(asVisitNotFound);
      if (ctx.actor.role === 'visitor' && visit.entered_by !== ctx.actor.userId)
        throw forbidden('探访人员只能更正本人录入的探访记录；其他记录请联系村（社区）工作人员更正');

      const until = visit.entered_at.getTime() + this.amendDays * DAY_MS;
      if (now > until)
        throw new AppError(
          409,
          'amend_window_closed',
          `该探访记录录入于 ${localDateTimeOf(visit.entered_at.getTime())}，只能在录入后 ${this.amendDays} 天内（${localDateTimeOf(until)} 前）更正，现已超过期限`,
          undefined,
          undefined,
          { amendableUntil: new Date(until).toISOString() },
        );
      if (input.revision !== visit.revision)
        throw new AppError(
          409,
          'revision_stale',
          `该探访记录已被他人更正，现为第 ${visit.revision} 版（您更正的是第 ${input.revision} 版），请刷新后重新更正`,
          'revision',
          undefined,
          { revision: visit.revision },
        );

      const visitedAt = Date.parse(input.visitedAt);
      const timeIssue = visitTimeIssue(visitedAt, now, {
        registered: await registrationDate(trx, elder.id),
        status: elder.status,
        statusSince: elder.status_since,
      });
      if (timeIssue) throw badRequest(timeIssue, 'visitedAt');

      // The form stays the one the visit was made with, with the campaign checks it had then.
      const found = await this.templates.find(visit.template_key, visit.template_version);
      if (!found)
        throw new Error(`template ${visit.template_key}@${visit.template_version} not found`);
      const { template } = found;
      if (!template.methods.some((m) => m.value === input.method))
        throw badRequest(
          `“${template.name}”的探访方式只有：${template.methods.map((m) => m.label).join('、')}`,
          'method',
        );
      const checklist = visit.checklist as ChecklistItem[];
      const issues = checkAnswers(template, input.answers, checklist);
      if (issues.length > 0) {
        const first = issues[0]!;
        throw new AppError(
          400,
          'invalid_answers',
          `探访记录填写有误：${first.message}${issues.length > 1 ? `（共 ${issues.length} 处）` : ''}`,
          first.field,
          issues,
        );
      }
      // A signature is kept as it was signed: only images already part of this visit.
      const attached = await attachmentIdsOfVisit(trx, visit.id);
      for (const [key, a] of Object.entries(input.answers))
        if ('signature' in a && !attached.has(a.signature))
          throw badRequest('更正时只能保留原有的签字，不能换用新的签字图片', `answers.${key}`);

      const before = versionOf(visit);
      const after: VisitVersion = {
        visitedAt: new Date(visitedAt).toISOString(),
        method: input.method,
        answers: input.answers,
        emergency: input.emergency,
        emergencyNote: input.emergencyNote || null,
      };
      const changes = versionChanges(template, checklist, before, after);
      if (changes.length === 0)
        throw new AppError(
          400,
          'no_change',
          '更正后的内容与原记录相同，请先修改需要更正的项目',
          'answers',
        );

      const raised = findingsOf(template, input.answers, {
        emergency: input.emergency,
        ...(after.emergencyNote ? { emergencyNote: after.emergencyNote } : {}),
        checklist,
      });
      const earlier = await raisedFindingKeys(trx, visit.id);
      const fresh = raised.filter((f) => !earlier.has(`${f.type}|${f.title}`));
      const findingIds = fresh.map(() => uuidv7(now)).sort();
      const amendedAt = new Date(now);
      const overrides = fresh.length > 0 ? await overridesOfVillage(trx, visit.village_code) : {};
      const findings = fresh.map((f, i) => {
        const rule = deadlineRuleOf(f, overrides);
        return {
          id: findingIds[i]!,
          visit_id: visit.id,
          elder_id: visit.elder_id,
          county_code: visit.county_code,
          village_code: visit.village_code,
          type: f.type,
          severity: f.severity,
          title: f.title,
          source: f.source,
          created_by: ctx.actor.userId,
          created_at: amendedAt,
          updated_at: amendedAt,
          deadline_at: deadlineOf(amendedAt, rule),
          deadline_action: rule.action,
        };
      });
      const updated = await writeAmendment(trx, {
        previous: {
          elder_id: visit.elder_id,
          visit_id: visit.id,
          county_code: visit.county_code,
          revision: visit.revision,
          visited_at: visit.visited_at,
          method: visit.method,
          visitor_id: visit.visitor_id,
          template_key: visit.template_key,
          template_version: visit.template_version,
          answers: JSON.stringify(visit.answers),
          emergency: visit.emergency,
          emergency_note: visit.emergency_note,
          amended_at: amendedAt,
          amended_by: ctx.actor.userId,
          reason: input.reason,
        },
        visitId: visit.id,
        expectedRevision: visit.revision,
        content: {
          visited_at: new Date(visitedAt),
          method: input.method,
          answers: JSON.stringify(input.answers),
          emergency: input.emergency,
          emergency_note: after.emergencyNote,
          amended_at: amendedAt,
          amended_by: ctx.actor.userId,
        },
        findings,
      });
      // The row is locked, so this cannot happen; if it did, nothing of it is kept.
      if (!updated) throw new Error(`visit ${visit.id} changed while locked`);
      // The windows of the old and the new time, recomputed from the visits (in this transaction).
      const times = [visit.visited_at.getTime(), visitedAt];
      await this.rollups?.refreshElders(
        [visit.elder_id],
        new Date(Math.min(...times)),
        new Date(Math.max(...times) + 1),
        trx,
      );
      // Each new finding's first step, and an emergency's alerts to the village and township.
      const actorName = findings.length > 0 ? await displayNameOf(trx, ctx.actor.userId) : null;
      await insertFindingEvents(
        trx,
        findings.map((f) => ({
          id: uuidv7(now),
          finding_id: f.id,
          elder_id: f.elder_id,
          county_code: f.county_code,
          at: amendedAt,
          actor_id: ctx.actor.userId,
          actor_name: actorName,
          kind: 'raised',
          from_status: null,
          to_status: 'open',
          detail: {
            visitId: visit.id,
            source: f.source,
            amendment: updated.revision,
            deadlineAt: f.deadline_at.toISOString(),
            deadlineAction: f.deadline_action,
          },
        })),
      );
      for (const f of findings.filter(isEmergency))
        await alertEmergencyRaised(trx, f, elder.name, after.emergencyNote);
      emergencyRaised = findings.some(isEmergency);
      await audit(trx, ctx, {
        action: 'visit.amend',
        entity: 'visit',
        entityId: visit.id,
        regionCode: elder.village_code,
        detail: {
          elderId: elder.id,
          revision: updated.revision,
          reason: input.reason,
          changed: changes.map((c) => c.field),
          findings: fresh.length,
        },
      });
      return updated;
    });
    if (emergencyRaised) this.bus?.publish({ regionCode: amended.village_code, kind: 'emergency' });
    return (await this.visits.presentAll([amended]))[0]!;
  }

  /**
   * `GET /api/visits/amendable`: the visits the user entered that they may still amend — within
   * the window after entry, in their jurisdiction and, for a visitor, of elders assigned to them
   * today — newest entered first, at most 50. Only ever the user's own entries (the read is
   * logged).
   */
  async amendable(ctx: RequestContext, now = Date.now()): Promise<{ items: AmendableVisitDto[] }> {
    if (!VISIT_AMENDERS.includes(ctx.actor.role))
      throw forbidden('只有录入人或村（社区）、乡镇（街道）工作人员可以更正探访记录');
    let assignedTo: { visitorId: string; today: string } | undefined;
    if (ctx.actor.role === 'visitor') {
      const visitor = await visitorOfUser(this.db, ctx.actor.userId);
      if (!visitor) return { items: [] };
      assignedTo = { visitorId: visitor.id, today: localDateOf(now) };
    }
    const rows = await amendableVisitsOf(this.db, {
      userId: ctx.actor.userId,
      since: new Date(now - this.amendDays * DAY_MS),
      jurisdiction: ctx.actor.jurisdiction,
      ...(assignedTo ? { assignedTo } : {}),
      limit: AMENDABLE_VISITS_LIMIT,
    });
    await audit(this.db, ctx, {
      action: 'visit.amendable',
      entity: 'user',
      entityId: ctx.actor.userId,
      regionCode: ctx.actor.jurisdiction,
      detail: { returned: rows.length },
    });
    const visits = await this.visits.presentAll(rows);
    return {
      items: visits.map((v, i) => ({
        ...v,
        elderName: rows[i]!.elder_name,
        villageName: rows[i]!.village_name ?? rows[i]!.village_code,
      })),
    };
  }

  /**
   * `GET /api/visits/:id/revisions`: the earlier versions of a visit, oldest first, for whoever
   * may read the visit (the read is logged).
   */
  async revisions(
    ctx: RequestContext,
    visitId: string,
    now = Date.now(),
  ): Promise<{ items: VisitRevisionDto[] }> {
    if (!VISIT_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访记录');
    if (!isUuid(visitId)) throw notFound('探访记录');
    const visit = await findVisit(this.db, visitId);
    if (!visit || !isWithinJurisdiction(visit.village_code, ctx.actor.jurisdiction))
      throw notFound('探访记录');
    await elderReadableBy(this.db, ctx, visit.elder_id, now).catch(asVisitNotFound);
    const rows = await revisionsOfVisit(this.db, visit.elder_id, visit.id);
    await audit(this.db, ctx, {
      action: 'visit.revisions',
      entity: 'visit',
      entityId: visit.id,
      regionCode: visit.village_code,
      detail: { returned: rows.length },
    });
    return { items: rows.map(toRevisionDto) };
  }
}
