import type { AttachmentKind, ChecklistItem } from '@tanfang/domain';
import type { VisitBody } from './visitApi';

/** A photo or signature waiting with its visit, under the id it will be uploaded with. */
export interface OutboxAttachment {
  id: string;
  kind: AttachmentKind;
  /** The signature item it signs (signatures only). */
  itemKey?: string;
  blob: Blob;
  /** Whether the server already has it (a later retry skips it). */
  uploaded: boolean;
}

/** Why the server refused a visit (4xx): its message and the fields it names. */
export interface OutboxRejection {
  status: number;
  message: string;
  field?: string;
  details: { field: string; message: string }[];
}

/**
 * A visit in the outbox: the body to send (without `deviceTime`, stamped at each send), its
 * attachments, and what the form needs to reopen it for a correction.
 */
export interface OutboxVisit {
  /** The visit's id (UUIDv7, made when the form opened). */
  id: string;
  /** The account that recorded it: another account on the same phone never sends it. */
  userId: string;
  elderName: string;
  /** When it was put in the outbox (ISO). */
  savedAt: string;
  body: Omit<VisitBody, 'deviceTime'>;
  checklist: ChecklistItem[];
  attachments: OutboxAttachment[];
  /** `pending`: to send (again); `rejected`: the server refused it, the visitor must correct it. */
  status: 'pending' | 'rejected';
  attempts: number;
  /** Epoch ms of the next automatic try. */
  nextAttemptAt: number;
  /** The last network or server failure, for the bar. */
  lastError?: string;
  rejection?: OutboxRejection;
}
