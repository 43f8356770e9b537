import {
  ElderVisitsQuery,
  VISIT_AMEND_DAYS_DEFAULT,
  VisitInput,
  amendableUntil,
  checkAnswers,
  deadlineOf,
  deadlineRuleOf,
  findingsOf,
  isEmergency,
  isUuid,
  isWithinJurisdiction,
  localDateOf,
  parsePeriodKey,
  proofFlags,
  selects,
  startOfLocalDate,
  uuidv7,
  visitTimeIssue,
  type Answers,
  type AttachmentDto,
  type Category,
  type ChecklistItem,
  type FindingDto,
  type Role,
  type Tier,
  type VisitDto,
  type VisitLocation,
  type VisitorType,
  PROOF_LIMITS,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import {
  AppError,
  badRequest,
  conflict,
  forbidden,
  notFound,
  parseInput,
} from '../../http/errors.js';
import { Batcher } from '../../db/batcher.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { audit } from '../audit/audit.service.js';
import { alertEmergencyRaised } from '../emergencies/emergency-alerts.js';
import { isAssigned } from '../assignments/assignments.repository.js';
import { visitorOfUser } from '../visitors/visitors.repository.js';
import type { TemplatesService } from '../templates/templates.service.js';
import {
  attachmentsOfVisits,
  findAttachmentsMeta,
  findElderForVisit,
  findVisit,
  findingsOfVisits,
  insertVisitRecords,
  recordingFacts,
  type RecordingFacts,
  type RecordingFactsQuery,
  type VisitRecord,
  locatedInPersonVisits,
  visitsOfElder,
  visitorsByIds,
  type ElderForVisit,
  type FindingRow,
  type VisitRow,
} from './visits.repository.js';

/** Roles that record visits: the elder's visitor, and village or township staff (paper forms). */
export const VISIT_RECORDERS: readonly Role[] = ['visitor', 'village', 'township'];
/** Roles that read visits: the elder's visitor and the staff of the jurisdiction. */
export const VISIT_READERS: readonly Role[] = [
  'visitor',
  'village',
  'township',
  'county',
  'city',
  'auditor',
  'admin',
];

/**
 * The elder whose visits, findings or photos the user asks for: staff of a jurisdiction that
 * contains the elder, or a visitor assigned to the elder today. 404 for anyone else.
 */
export async function elderReadableBy(
  db: Executor,
  ctx: RequestContext,
  elderId: string,
  now = Date.now(),
): Promise<ElderForVisit> {
  if (!VISIT_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访记录');
  if (!isUuid(elderId)) throw notFound('老年人记录');
  const elder = await findElderForVisit(db, elderId);
  if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
    throw notFound('老年人记录');
  if (ctx.actor.role === 'visitor') {
    const visitor = await visitorOfUser(db, ctx.actor.userId);
    if (!visitor || !(await isAssigned(db, visitor.id, elderId, localDateOf(now))))
      throw notFound('老年人记录');
  }
  return elder;
}

/**
 * The elder a signed-in 探访人员 may record for (and upload photos of): one assigned to them today.
 * 403 naming why otherwise; 404 for an elder outside their jurisdiction.
 */
export async function elderOfOwnVisitor(
  db: Executor,
  ctx: RequestContext,
  elderId: string,
  now = Date.now(),
): Promise<ElderForVisit> {
  const elder = await findElderForVisit(db, elderId);
  if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
    throw notFound('老年人记录');
  const own = await visitorOfUser(db, ctx.actor.userId);
  if (!own) throw forbidden('您的账号尚未关联探访人员，请联系村（社区）工作人员');
  if (!(await isAssigned(db, own.id, elderId, localDateOf(now))))
    throw forbidden('您不是该老年人的探访人员，不能录入其探访记录');
  return elder;
}

/** The checks of the campaigns in force that select the elder (each item once). */
function checklistOf(
  elder: ElderForVisit,
  campaigns: RecordingFacts['campaigns'],
): ChecklistItem[] {
  const profile = { tier: elder.tier as Tier, categories: elder.categories as Category[] };
  const items = new Map<string, ChecklistItem>();
  for (const c of campaigns) {
    const rule = { tiers: c.tiers as Tier[], categories: c.categories as Category[] };
    if (!selects(rule, profile)) continue;
    for (const item of c.checklist) if (!items.has(item.key)) items.set(item.key, item);
  }
  return [...items.values()];
}

/** A located in-person visit, as `locatedInPersonVisits` reads it. */
export type LocatedVisit = Awaited<ReturnType<typeof locatedInPersonVisits>>[number];

/**
 * The reference of a visit's far_location flag, as when it was recorded: the locations of the
 * elder's last located in-person visits before it (`PROOF_LIMITS.referenceVisits`), from
 * `located` (any elders', oldest first). Empty unless the visit was in person.
 */
export function referenceLocations(
  located: readonly LocatedVisit[],
  visit: { id: string; elder_id: string; visited_at: Date; method: string },
): VisitLocation[] {
  if (visit.method !== 'in_person') return [];
  return located
    .filter(
      (v) => v.elder_id === visit.elder_id && v.id !== visit.id && v.visited_at < visit.visited_at,
    )
    .slice(-PROOF_LIMITS.referenceVisits)
    .map((v) => v.location as VisitLocation);
}

/** Visit records (探访记录): recording (idempotent by the client's id) and reading. */
export class VisitsService {
  /** Concurrent recordings read their facts in one statement… */
  private readonly facts = new Batcher<RecordingFactsQuery, RecordingFacts>(
    (queries) => recordingFacts(this.db, queries),
    { maxBatch: 200, maxInFlight: 2 },
  );
  /** …and write their visits (those without attachments) in one statement and one commit. */
  private readonly writes = new Batcher<VisitRecord, boolean>(
    (records) => this.writeMany(records),
    {
      maxBatch: 200,
      maxInFlight: 2,
    },
  );

  constructor(
    private readonly db: Executor,
    private readonly templates: TemplatesService,
    /** Days after entry during which a visit may be amended (更正; TANFANG_VISIT_AMEND_DAYS). */
    private readonly amendDays = VISIT_AMEND_DAYS_DEFAULT,
    /** Told after commit when a visit raised an emergency (the live alert queues). */
    private readonly bus?: AlertBus,
  ) {}

  /**
   * Writes a batch of visits; a visit whose id came twice in the batch is written once (the
   * others answer as retries). Should the statement fail, each visit is written on its own, so
   * one bad record fails alone.
   */
  private async writeMany(records: VisitRecord[]): Promise<(boolean | Error)[]> {
    const first = new Map<string, number>();
    records.forEach((r, i) => {
      if (!first.has(r.visit.id)) first.set(r.visit.id, i);
    });
    const distinct = [...first.values()].map((i) => records[i]!);
    let inserted: (boolean | Error)[];
    try {
      inserted = (await insertVisitRecords(this.db, distinct)).map((r) => r.inserted);
    } catch (error) {
      if (distinct.length === 1) throw error;
      inserted = await Promise.all(
        distinct.map((r) =>
          insertVisitRecords(this.db, [r]).then(
            ([w]) => w!.inserted,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          ),
        ),
      );
    }
    const byId = new Map(distinct.map((r, i) => [r.visit.id, inserted[i]!]));
    return records.map((r, i) => (first.get(r.visit.id) === i ? byId.get(r.visit.id)! : false));
  }

  /**
   * `POST /api/visits`. The first time: the visit, its findings and attachments in one transaction
   * (`created: true`). The same id again for the same elder: the stored record, unchanged.
   */
  async create(
    ctx: RequestContext,
    raw: unknown,
    now = Date.now(),
  ): Promise<{ created: boolean; visit: VisitDto }> {
    if (!VISIT_RECORDERS.includes(ctx.actor.role))
      throw forbidden('只有探访人员和村（社区）、乡镇（街道）工作人员可以录入探访记录');
    const input = parseInput(VisitInput, raw);
    const visitedAt = Date.parse(input.visitedAt);
    // One statement, shared with the recordings that arrive meanwhile, reads all that is checked.
    const facts = await this.facts.submit({
      elderId: input.elderId,
      visitId: input.id,
      userId: ctx.actor.userId,
      visitorId: ctx.actor.role === 'visitor' ? null : (input.visitorId ?? null),
      today: localDateOf(now),
      visitedAt: new Date(visitedAt),
      // Only a located in-person visit is compared with the earlier ones.
      located: input.method === 'in_person' && (input.location ?? null) !== null,
    });
    const elder = facts.elder;
    if (!elder || !isWithinJurisdiction(elder.village_code, ctx.actor.jurisdiction))
      throw notFound('老年人记录');
    const visitor = this.recorder(ctx, input.visitorId, elder, facts);
    if (facts.existingElderId) {
      const stored = await findVisit(this.db, input.id);
      if (stored) return { created: false, visit: await this.sameOrConflict(stored, elder.id) };
    }

    const timeIssue = visitTimeIssue(visitedAt, now, {
      registered: facts.registered,
      status: elder.status,
      statusSince: elder.status_since,
    });
    if (timeIssue) throw badRequest(timeIssue, 'visitedAt');
    const resolved = await this.templates.resolve(
      input.template.key,
      input.template.version,
      elder.village_code,
    );
    if (!resolved)
      throw badRequest(
        `探访记录表 ${input.template.key} 第 ${input.template.version} 版不存在或不适用于该地区`,
        'template',
      );
    const { template } = resolved;
    if (!template.methods.some((m) => m.value === input.method))
      throw badRequest(
        `“${template.name}”的探访方式只有：${template.methods.map((m) => m.label).join('、')}`,
        'method',
      );
    const checklist = checklistOf(elder, facts.campaigns);
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
    const attachmentIds = [
      ...new Set([
        ...input.attachmentIds,
        ...Object.values(input.answers).flatMap((a) => ('signature' in a ? [a.signature] : [])),
      ]),
    ];
    const attachments = await this.checkAttachments(attachmentIds, elder.id, input.id);

    const raised = findingsOf(template, input.answers, {
      emergency: input.emergency,
      ...(input.emergencyNote !== undefined ? { emergencyNote: input.emergencyNote } : {}),
      checklist,
    });
    // Ids in ascending order, so the findings list in the order the rules raised them.
    const findingIds = raised.map(() => uuidv7(now)).sort();
    const enteredAt = new Date(now);
    // Each finding's deadline from its type or severity: the region's own rule, else the default.
    const findings = raised.map((f, i) => {
      const rule = deadlineRuleOf(f, facts.deadlines);
      return {
        id: findingIds[i]!,
        visit_id: input.id,
        elder_id: elder.id,
        county_code: elder.county_code,
        village_code: elder.village_code,
        type: f.type,
        severity: f.severity,
        title: f.title,
        source: f.source,
        created_by: ctx.actor.userId,
        created_at: enteredAt,
        deadline_at: deadlineOf(enteredAt, rule),
        deadline_action: rule.action,
        event_id: uuidv7(now),
      };
    });
    const emergencies = findings.filter(isEmergency);
    const record: VisitRecord = {
      visit: {
        id: input.id,
        elder_id: elder.id,
        county_code: elder.county_code,
        village_code: elder.village_code,
        visitor_id: visitor.id,
        visited_at: new Date(visitedAt),
        entered_at: enteredAt,
        method: input.method,
        template_key: template.key,
        template_version: template.version,
        answers: input.answers,
        entered_by: ctx.actor.userId,
        device_time: input.deviceTime ? new Date(input.deviceTime) : null,
        location: input.location ?? null,
        emergency: input.emergency,
        emergency_note: input.emergencyNote ?? null,
        checklist,
        recorded_by_role: ctx.actor.role,
      },
      findings,
      audit: {
        actorId: ctx.actor.userId,
        actorUsername: ctx.actor.username,
        action: 'visit.create',
        entity: 'visit',
        entityId: input.id,
        regionCode: elder.village_code,
        requestId: ctx.requestId,
        ip: ctx.ip,
        detail: {
          elderId: elder.id,
          visitorId: visitor.id,
          method: input.method,
          template: `${template.key}@${template.version}`,
          findings: raised.length,
          emergency: input.emergency,
        },
      },
      attachmentIds,
    };
    // Without attachments or an emergency the visit joins the next batched write. With
    // attachments, a transaction of its own lets a shortfall (a file claimed by another visit
    // meanwhile) roll it back; an emergency (rare) alerts the village and the township in the
    // transaction that records it (the outbox), and the live queues after it commits.
    const inserted =
      attachmentIds.length === 0 && emergencies.length === 0
        ? await this.writes.submit(record)
        : await this.db.transaction().execute(async (trx) => {
            const [r] = await insertVisitRecords(trx, [record]);
            if (r!.inserted && r!.attached !== attachmentIds.length)
              throw badRequest('有附件已用于其他探访记录', 'attachmentIds');
            if (r!.inserted)
              for (const f of emergencies)
                await alertEmergencyRaised(trx, f, elder.name, input.emergencyNote ?? null);
            return r!.inserted;
          });
    if (inserted && emergencies.length > 0)
      this.bus?.publish({ regionCode: elder.village_code, kind: 'emergency' });
    if (!inserted) {
      // A parallel retry stored the same id first.
      const stored = await findVisit(this.db, input.id);
      if (!stored) throw new Error(`visit ${input.id} neither inserted nor found`);
      return { created: false, visit: await this.sameOrConflict(stored, elder.id) };
    }
    const location = input.location ?? null;
    const proof = proofFlags({
      visitedAt: new Date(visitedAt).toISOString(),
      enteredAt: enteredAt.toISOString(),
      deviceTime: input.deviceTime ? new Date(input.deviceTime).toISOString() : null,
      location,
      earlierLocations: input.method === 'in_person' ? facts.earlier : [],
    });
    return {
      created: true,
      visit: {
        id: input.id,
        elderId: elder.id,
        visitor: { id: visitor.id, name: visitor.name, type: visitor.type as VisitorType },
        visitedAt: new Date(visitedAt).toISOString(),
        enteredAt: enteredAt.toISOString(),
        deviceTime: input.deviceTime ? new Date(input.deviceTime).toISOString() : null,
        method: input.method,
        template: { key: template.key, version: template.version, name: template.name },
        answers: input.answers,
        emergency: input.emergency,
        emergencyNote: input.emergencyNote ?? null,
        checklist,
        location,
        attachments: attachments.map((a) => ({
          id: a.id,
          kind: a.kind,
          mime: a.mime,
          size: a.size,
          sha256: a.sha256,
        })),
        findings: findings.map((f) => ({
          id: f.id,
          type: f.type,
          severity: f.severity,
          title: f.title,
          source: f.source,
          status: 'open',
        })),
        proof: {
          receivedAt: enteredAt.toISOString(),
          deviceTime: input.deviceTime ? new Date(input.deviceTime).toISOString() : null,
          clockSkewMinutes: proof.clockSkewMinutes,
          location,
          flags: proof.flags,
        },
        revision: 1,
        amendedAt: null,
        amendableUntil: amendableUntil(enteredAt.toISOString(), this.amendDays),
        unverified: false,
      },
    };
  }

  /**
   * Who recorded it: a visitor for an elder assigned to them (the visitor is themselves), or
   * village/township staff naming an active visitor who covers the elder's village.
   */
  private recorder(
    ctx: RequestContext,
    visitorId: string | undefined,
    elder: ElderForVisit,
    facts: RecordingFacts,
  ): { id: string; name: string; type: string } {
    if (ctx.actor.role === 'visitor') {
      const own = facts.own;
      if (!own) throw forbidden('您的账号尚未关联探访人员，请联系村（社区）工作人员');
      if (visitorId && visitorId !== own.id) throw forbidden('探访人员只能录入本人的探访记录');
      if (!own.assigned) throw forbidden('您不是该老年人的探访人员，不能录入其探访记录');
      return own;
    }
    if (!visitorId) throw badRequest('请选择实际探访的探访人员', 'visitorId');
    const named = facts.named;
    if (!named || named.status !== 'active' || !elder.village_code.startsWith(named.region_code))
      throw badRequest('探访人员不存在、已离岗，或不负责该老年人所在的村（社区）', 'visitorId');
    return named;
  }

  /** `GET /api/visits/:id` (the read is logged). */
  async get(ctx: RequestContext, id: string, now = Date.now()): Promise<VisitDto> {
    if (!VISIT_READERS.includes(ctx.actor.role)) throw forbidden('您的角色不能查看探访记录');
    if (!isUuid(id)) throw notFound('探访记录');
    const row = await findVisit(this.db, id);
    if (!row || !isWithinJurisdiction(row.village_code, ctx.actor.jurisdiction))
      throw notFound('探访记录');
    await elderReadableBy(this.db, ctx, row.elder_id, now).catch((error: unknown) => {
      throw error instanceof AppError && error.status === 404 ? notFound('探访记录') : error;
    });
    await audit(this.db, ctx, {
      action: 'visit.read',
      entity: 'visit',
      entityId: id,
      regionCode: row.village_code,
    });
    return (await this.presentAll([row]))[0]!;
  }

  /** `GET /api/elders/:id/visits?year=`: newest first (China calendar year; all when omitted). */
  async listOfElder(
    ctx: RequestContext,
    elderId: string,
    rawQuery: unknown,
  ): Promise<{ items: VisitDto[] }> {
    const elder = await elderReadableBy(this.db, ctx, elderId);
    const { year } = parseInput(ElderVisitsQuery, rawQuery, 'query');
    const period = year ? parsePeriodKey(String(year)) : undefined;
    const [from, to] = period
      ? [new Date(startOfLocalDate(period.start)), new Date(startOfLocalDate(period.end))]
      : [null, null];
    const rows = await visitsOfElder(this.db, elder.id, from, to);
    await audit(this.db, ctx, {
      action: 'visit.list',
      entity: 'elder',
      entityId: elder.id,
      regionCode: elder.village_code,
      detail: { year: year ?? null, returned: rows.length },
    });
    return { items: await this.presentAll(rows) };
  }

  /** The stored record for a retry of the same elder; 409 when the id was used for another. */
  private async sameOrConflict(row: VisitRow, elderId: string): Promise<VisitDto> {
    if (row.elder_id !== elderId)
      throw conflict(
        'visit_id_conflict',
        '该探访记录编号已用于另一位老年人的探访记录，请重新生成编号后提交',
        'id',
      );
    return (await this.presentAll([row]))[0]!;
  }

  /** Every attachment exists, is the elder's, and is not part of another visit. */
  private async checkAttachments(ids: string[], elderId: string, visitId: string) {
    if (ids.length === 0) return [];
    const rows = new Map((await findAttachmentsMeta(this.db, ids)).map((r) => [r.id, r]));
    for (const id of ids) {
      const row = rows.get(id);
      if (!row || row.elder_id !== elderId)
        throw badRequest(`附件 ${id} 不存在或不属于该老年人，请先上传照片或签字`, 'attachmentIds');
      if (row.visit_id && row.visit_id !== visitId)
        throw badRequest(`附件 ${id} 已用于其他探访记录`, 'attachmentIds');
    }
    return ids.map((id) => rows.get(id)!);
  }

  /** Shapes visits for the API, with their visitor, files, findings and proof flags. */
  async presentAll(rows: VisitRow[]): Promise<VisitDto[]> {
    const ids = rows.map((r) => r.id);
    const elderIds = [
      ...new Set(rows.filter((r) => r.method === 'in_person').map((r) => r.elder_id)),
    ];
    const [visitors, attachments, findings, located] = await Promise.all([
      visitorsByIds(
        this.db,
        rows.flatMap((r) => (r.visitor_id ? [r.visitor_id] : [])),
      ),
      attachmentsOfVisits(this.db, ids),
      findingsOfVisits(this.db, ids),
      locatedInPersonVisits(this.db, elderIds),
    ]);
    const out: VisitDto[] = [];
    for (const r of rows) {
      const found = await this.templates.find(r.template_key, r.template_version);
      const visitor = r.visitor_id ? visitors.get(r.visitor_id) : undefined;
      const location = (r.location ?? null) as VisitLocation | null;
      const earlier = referenceLocations(located, r);
      const proof = proofFlags({
        visitedAt: r.visited_at.toISOString(),
        enteredAt: r.entered_at.toISOString(),
        deviceTime: r.device_time?.toISOString() ?? null,
        location,
        earlierLocations: earlier,
      });
      out.push({
        id: r.id,
        elderId: r.elder_id,
        visitor: visitor
          ? { id: visitor.id, name: visitor.name, type: visitor.type as VisitorType }
          : null,
        visitedAt: r.visited_at.toISOString(),
        enteredAt: r.entered_at.toISOString(),
        deviceTime: r.device_time?.toISOString() ?? null,
        method: r.method,
        template: {
          key: r.template_key,
          version: r.template_version,
          name: found?.template.name ?? r.template_key,
        },
        answers: r.answers as Answers,
        emergency: r.emergency,
        emergencyNote: r.emergency_note,
        checklist: r.checklist as ChecklistItem[],
        location,
        attachments: attachments
          .filter((a) => a.visit_id === r.id)
          .map((a): AttachmentDto => ({
            id: a.id,
            kind: a.kind,
            mime: a.mime,
            size: a.size,
            sha256: a.sha256,
          })),
        findings: findings.filter((f) => f.visit_id === r.id).map(toFindingDto),
        proof: {
          receivedAt: r.entered_at.toISOString(),
          deviceTime: r.device_time?.toISOString() ?? null,
          clockSkewMinutes: proof.clockSkewMinutes,
          location,
          flags: proof.flags,
        },
        revision: r.revision,
        amendedAt: r.amended_at?.toISOString() ?? null,
        amendableUntil: amendableUntil(r.entered_at.toISOString(), this.amendDays),
        unverified: r.unverified,
      });
    }
    return out;
  }
}

/** A finding row for the API. */
export function toFindingDto(f: FindingRow): FindingDto {
  return {
    id: f.id,
    type: f.type as FindingDto['type'],
    severity: f.severity as FindingDto['severity'],
    title: f.title,
    source: f.source,
    status: f.status as FindingDto['status'],
  };
}
