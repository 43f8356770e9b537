/**
 * Drafts of visits (草稿): a form the visitor has started is kept on the phone as it is filled in,
 * so a reload, a killed tab or a flat battery loses nothing. What a draft holds, when one is worth
 * keeping, and how its time reads (pure).
 */
import {
  prefilledAnswers,
  type Answer,
  type Answers,
  type ChecklistItem,
  type FormTemplate,
  type VisitLocation,
  type VisitMethod,
} from '@tanfang/domain';
import { clockTime, localDate, monthDay } from '../../pages/worklist/worklistText';
import type { PlannedTask } from './visitPlan';

/** A photo or signature of a draft, under the attachment id it will be uploaded with. */
export interface DraftImage {
  id: string;
  /** The compressed JPEG (photos) or the PNG (signatures). */
  blob: Blob;
}

/**
 * A visit being filled in, one per account and elder. The visit's id and start time are the ones
 * made when the form first opened, so the visit keeps its real time and a resubmission after a
 * crash is the same record on the server.
 */
export interface VisitDraft {
  /** `userId|elderId` (see `draftKey`). */
  key: string;
  userId: string;
  elderId: string;
  elderName: string;
  visitId: string;
  /** When the visit started (the form first opened), ISO. */
  visitedAt: string;
  /** When the draft was last saved, ISO. */
  savedAt: string;
  /** The form version it is filled in on. */
  template: { key: string; version: number };
  /** The campaign checks in force when it started. */
  checklist: ChecklistItem[];
  /** The elder's tasks when it started (for the 不计入 hints). */
  tasks: PlannedTask[];
  method: VisitMethod | null;
  answers: Answers;
  emergency: boolean;
  emergencyNote: string;
  /** The position captured when the visit started, once the phone found it. */
  location?: VisitLocation;
  photos: DraftImage[];
  /** Signatures by the signature item they sign. */
  signatures: (DraftImage & { itemKey: string })[];
}

/** The key of an account's draft for an elder. */
export function draftKey(userId: string, elderId: string): string {
  return `${userId}|${elderId}`;
}

function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (!a || !b) return a === b;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return (
    ka.length === kb.length &&
    ka.every(
      (k, i) =>
        k === kb[i] && (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k],
    )
  );
}

/** Whether two sets of answers say the same thing. */
export function sameAnswers(a: Answers, b: Answers): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!sameAnswer(a[k], b[k])) return false;
  return true;
}

/**
 * Whether a form holds anything the visitor did: a method, an answer other than the no-change
 * prefill, a photo, a signature or the 紧急情况 switch. A form only opened and left is no draft.
 */
export function draftHasContent(
  template: FormTemplate,
  form: Pick<
    VisitDraft,
    'method' | 'answers' | 'emergency' | 'emergencyNote' | 'photos' | 'signatures'
  >,
): boolean {
  return (
    form.method !== null ||
    form.emergency ||
    form.emergencyNote.trim() !== '' ||
    form.photos.length > 0 ||
    form.signatures.length > 0 ||
    !sameAnswers(form.answers, prefilledAnswers(template))
  );
}

/** When a draft was saved, as the notice says it: 14:20 today, 11月21日 14:20 before. */
export function draftTimeWords(savedAt: string, now: Date = new Date()): string {
  const day = localDate(savedAt);
  const today = localDate(now.toISOString());
  return day === today ? clockTime(savedAt) : `${monthDay(day, today)} ${clockTime(savedAt)}`;
}
