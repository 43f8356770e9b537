import {
  deadlineStateOf,
  emergencyStateOf,
  isEmergency,
  uuidv7,
  type ActorRef,
  type DeadlineAction,
  type DisposalKind,
  type EmergencyChecklist,
  type EmergencyInfoDto,
  type EscalationLevel,
  type FindingDeadlineDto,
  type FindingDisposalDto,
  type FindingEventDto,
  type FindingEventKind,
  type FindingListItemDto,
  type FindingStatus,
  type RegionRef,
} from '@tanfang/domain';
import { toFindingDto } from '../visits/visits.service.js';
import type { FindingRow } from '../visits/visits.repository.js';
import type { DisposalRow, FindingEventRow, FindingListRow } from './findings.repository.js';

/** `n` UUIDv7 ids in ascending order, so steps written in one transaction list in order. */
export function orderedIds(n: number, now: number): string[] {
  return Array.from({ length: n }, () => uuidv7(now)).sort();
}

/** A user as a step or record names them. */
export function actorRef(id: string | null, name: string | null): ActorRef | null {
  return id ? { id, name: name ?? '（已删除的用户）' } : null;
}

/** The deadline of a finding row and its state at `now`. */
export function deadlineOfRow(f: FindingRow, now: number): FindingDeadlineDto | null {
  if (!f.deadline_at || !f.deadline_action) return null;
  const state = deadlineStateOf(
    {
      deadlineAt: f.deadline_at.toISOString(),
      deadlineAction: f.deadline_action,
      status: f.status as FindingStatus,
      acknowledgedAt: f.acknowledged_at?.toISOString() ?? null,
    },
    now,
  );
  return {
    at: f.deadline_at.toISOString(),
    action: f.deadline_action as DeadlineAction,
    state: state!,
  };
}

/** A finding in a list. */
export function toFindingListItem(
  r: FindingListRow,
  village: RegionRef,
  now: number,
): FindingListItemDto {
  return {
    ...toFindingDto(r),
    visitId: r.visit_id,
    visitedAt: r.visited_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    elder: { id: r.elder_id, name: r.elder_name },
    village,
    deadline: deadlineOfRow(r, now),
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '（已删除的用户）' } : null,
  };
}

/** Seconds from raising to acknowledging (null until acknowledged). */
export function responseSecondsOf(f: {
  created_at: Date;
  acknowledged_at: Date | null;
}): number | null {
  return f.acknowledged_at
    ? Math.max(0, Math.round((f.acknowledged_at.getTime() - f.created_at.getTime()) / 1000))
    : null;
}

/** The emergency part of a finding (null for other findings). */
export function emergencyInfoOf(
  f: FindingRow & { acknowledged_by_name: string | null },
  events: FindingEventRow[],
): EmergencyInfoDto | null {
  if (!isEmergency(f)) return null;
  const checklist = (f.emergency_checklist ?? {}) as EmergencyChecklist;
  const checklistAt: EmergencyInfoDto['checklistAt'] = {};
  for (const e of events) {
    const detail = (e.detail ?? {}) as {
      changes?: { field: keyof EmergencyChecklist }[];
      checklist?: EmergencyChecklist;
    };
    if (e.kind === 'checklist')
      for (const c of detail.changes ?? []) checklistAt[c.field] = e.at.toISOString();
    if (e.kind === 'raised')
      for (const field of Object.keys(detail.checklist ?? {}) as (keyof EmergencyChecklist)[])
        checklistAt[field] = e.at.toISOString();
  }
  return {
    state: emergencyStateOf({
      status: f.status as FindingStatus,
      acknowledgedAt: f.acknowledged_at?.toISOString() ?? null,
      level: f.escalation_level as EscalationLevel,
    }),
    level: f.escalation_level as EscalationLevel,
    escalatedAt: f.escalated_at?.toISOString() ?? null,
    acknowledgedAt: f.acknowledged_at?.toISOString() ?? null,
    acknowledgedBy: actorRef(f.acknowledged_by, f.acknowledged_by_name),
    responseSeconds: responseSecondsOf(f),
    checklist,
    checklistAt,
  };
}

/** A step for the API. */
export function toEventDto(e: FindingEventRow): FindingEventDto {
  return {
    id: e.id,
    at: e.at.toISOString(),
    kind: e.kind as FindingEventKind,
    actor: actorRef(e.actor_id, e.actor_name),
    fromStatus: (e.from_status as FindingStatus | null) ?? null,
    toStatus: (e.to_status as FindingStatus | null) ?? null,
    detail: (e.detail as Record<string, unknown> | null) ?? null,
  };
}

/** A disposal record for the API. */
export function toDisposalDto(d: DisposalRow): FindingDisposalDto {
  return {
    id: d.id,
    kind: d.kind as DisposalKind,
    description: d.description,
    handledOn: d.handled_on,
    createdAt: d.created_at.toISOString(),
    createdBy: actorRef(d.created_by, d.created_by_name),
  };
}
