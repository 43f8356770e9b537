import type {
  VisitorAccountDto,
  AssignInput,
  AssignResultDto,
  AssignmentDto,
  AssignmentListQuery,
  ElderAssignmentHistoryDto,
  ElderAssignmentRow,
  EndAssignmentInput,
  Page,
  ReassignInput,
  ReassignPreviewDto,
  ReassignResultDto,
  VisitorDto,
  VisitorInput,
  VisitorLeaveInput,
  VisitorListQuery,
  VisitorPatchInput,
} from '@tanfang/domain';
import { request } from '../../api';

/** Query of `GET /api/visitors` as the client sends it (page and size optional). */
export type VisitorListParams = Partial<VisitorListQuery>;
/** Query of `GET /api/assignments` as the client sends it (page and size optional). */
export type AssignmentListParams = Partial<AssignmentListQuery>;

const id = (value: string) => encodeURIComponent(value);

/** The typed endpoints of the visitor registry (探访人员) and household assignments (探访分配). */
export const visitorsApi = {
  listVisitors: (query: VisitorListParams) =>
    request<Page<VisitorDto>>('GET', '/api/visitors', { query: { ...query } }),
  visitor: (visitorId: string) => request<VisitorDto>('GET', `/api/visitors/${id(visitorId)}`),
  createVisitor: (input: VisitorInput) =>
    request<VisitorDto>('POST', '/api/visitors', { body: input }),
  updateVisitor: (visitorId: string, patch: VisitorPatchInput) =>
    request<VisitorDto>('PATCH', `/api/visitors/${id(visitorId)}`, { body: patch }),
  /** 离岗: refused (409 `has_open_assignments`) while the visitor still holds assignments. */
  leaveVisitor: (visitorId: string, input: VisitorLeaveInput) =>
    request<VisitorDto>('POST', `/api/visitors/${id(visitorId)}/leave`, { body: input }),

  /** Accounts of role 探访人员 whose area nests with a region, each with the visitor it is linked to. */
  listVisitorAccounts: (region: string) =>
    request<{ items: VisitorAccountDto[] }>('GET', '/api/visitors/accounts', { query: { region } }),

  /** Active elders with their current visitors; `unassigned: true` gives 未落实探访人. */
  listAssignments: (query: AssignmentListParams) =>
    request<Page<ElderAssignmentRow>>('GET', '/api/assignments', { query: { ...query } }),
  /** One visitor for many elders, all or nothing. */
  assign: (input: AssignInput) =>
    request<AssignResultDto>('POST', '/api/assignments', { body: input }),
  endAssignment: (assignmentId: string, input: EndAssignmentInput) =>
    request<AssignmentDto>('POST', `/api/assignments/${id(assignmentId)}/end`, { body: input }),
  /** What a reassignment would change; writes nothing. */
  previewReassign: (input: ReassignInput) =>
    request<ReassignPreviewDto>('POST', '/api/assignments/reassign/preview', { body: input }),
  /** Commits a reassignment (send the preview's `expectedAssignmentIds`). */
  reassign: (input: ReassignInput) =>
    request<ReassignResultDto>('POST', '/api/assignments/reassign', { body: input }),
  /** Every assignment an elder has had, newest first. */
  elderAssignments: (elderId: string) =>
    request<ElderAssignmentHistoryDto>('GET', `/api/elders/${id(elderId)}/assignments`),
};
