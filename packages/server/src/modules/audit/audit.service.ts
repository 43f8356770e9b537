import {
  AuditListQuery,
  canReadAudit,
  isWithinJurisdiction,
  type AuditEntryDto,
  type Page,
} from '@tanfang/domain';
import type { Executor, RequestContext } from '../../context.js';
import { forbidden, notFound, parseInput } from '../../http/errors.js';
import { insertAudit, listAudit } from './audit.repository.js';

/** What was done, to what, and where: the caller's part of an audit entry. */
export interface AuditEvent {
  action: string;
  entity: string;
  entityId?: string | null;
  regionCode?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Records an event for the signed-in actor, on `db` (pass the transaction of the change). */
export function audit(db: Executor, ctx: RequestContext, event: AuditEvent): Promise<void> {
  return insertAudit(db, {
    actorId: ctx.actor.userId,
    actorUsername: ctx.actor.username,
    action: event.action,
    entity: event.entity,
    entityId: event.entityId ?? null,
    regionCode: event.regionCode ?? null,
    requestId: ctx.requestId,
    ip: ctx.ip,
    detail: event.detail ?? null,
  });
}

/** The audit log as county, city, auditor and admin users see it: only their jurisdiction. */
export class AuditService {
  constructor(private readonly db: Executor) {}

  /** Lists entries within the actor's jurisdiction. */
  async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<AuditEntryDto>> {
    if (!canReadAudit(ctx.actor.role))
      throw forbidden('只有县、市民政部门、审计人员和管理员可以查看审计日志');
    const query = parseInput(AuditListQuery, rawQuery, 'query');
    if (query.region && !isWithinJurisdiction(query.region, ctx.actor.jurisdiction))
      throw notFound('区域');
    const { rows, total } = await listAudit(this.db, {
      jurisdiction: ctx.actor.jurisdiction,
      region: query.region,
      actor: query.actor,
      action: query.action,
      entity: query.entity,
      from: query.from,
      to: query.to,
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { id: r.actor_id, username: r.actor_username },
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        regionCode: r.region_code,
        requestId: r.request_id,
        ip: r.ip,
        detail: r.detail,
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }
}
