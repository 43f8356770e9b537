/**
 * What the field app's 更正 page decides without React: where a refusal of the server is shown,
 * what the visitor is told when the phone has no signal, and the visit's time as the phone's
 * date-time input holds it (China wall-clock, whatever the phone's time zone).
 */
import {
  VISIT_FUTURE_TOLERANCE_MS,
  localDateTimeOf,
  type AnswerIssue,
  type Answers,
  type ChecklistItem,
  type FormTemplate,
  checkAnswers,
} from '@tanfang/domain';

/** The fields of the 更正 page around the form, by the server's field names. */
export const AMEND_FIELDS = ['visitedAt', 'method', 'reason'] as const;
/** A field of the 更正 page around the form. */
export type AmendField = (typeof AMEND_FIELDS)[number];

/** Why a correction was not saved, placed where the visitor will see it. */
export interface AmendProblems {
  /** Next to 探访时间, 探访方式 and 更正原因. */
  fields: Partial<Record<AmendField, string>>;
  /** On the form's items (`answers.<key>`). */
  items: AnswerIssue[];
  /** Above 提交更正, for the whole correction. */
  form: string | null;
  /**
   * `offline`: not sent, the phone has no signal; `stale`: someone corrected it meanwhile (load
   * the new version); `closed`: the window has passed; `other` for the rest.
   */
  kind: 'offline' | 'stale' | 'closed' | 'other';
}

/** What the page says when a correction cannot be sent for want of signal. */
export const OFFLINE_MESSAGE =
  '手机没有网络，更正未提交。更正需要联网，请在有网络时更正；已填写的内容仍保留在本页。';

/** A failed call as `api.ts` reports it (an `ApiError`; status 0: the server was not reached). */
export interface AmendFailure {
  status: number;
  code: string;
  message: string;
  field?: string | undefined;
  details: readonly { field: string; message: string }[];
}

/** Places a refusal of `POST /api/visits/:id/amendments` on what it names. */
export function placeAmendFailure(e: AmendFailure): AmendProblems {
  const none = { fields: {}, items: [] };
  if (e.status === 0) return { ...none, form: OFFLINE_MESSAGE, kind: 'offline' };
  if (e.code === 'revision_stale') return { ...none, form: e.message, kind: 'stale' };
  if (e.code === 'amend_window_closed') return { ...none, form: e.message, kind: 'closed' };
  if (e.status !== 400) return { ...none, form: e.message, kind: 'other' };
  const reported =
    e.details.length > 0 ? e.details : [{ field: e.field ?? '', message: e.message }];
  const fields: AmendProblems['fields'] = {};
  const items: AnswerIssue[] = [];
  const rest: string[] = [];
  for (const d of reported) {
    const name = AMEND_FIELDS.find((f) => f === d.field);
    if (name) fields[name] ??= d.message;
    else if (d.field.startsWith('answers.')) items.push(d);
    else rest.push(d.message);
  }
  const form = rest.length > 0 ? rest.join('；') : items.length > 0 ? e.message : null;
  return { fields, items, form, kind: 'other' };
}

/** What the correction lacks before it is sent: the reason, a time not in the future, answers. */
export function amendIssues(
  input: { visitedAt: string; reason: string; answers: Answers },
  template: FormTemplate,
  checklist: readonly ChecklistItem[],
  now = Date.now(),
): { fields: Partial<Record<AmendField, string>>; items: AnswerIssue[] } {
  const fields: Partial<Record<AmendField, string>> = {};
  const at = Date.parse(input.visitedAt);
  if (Number.isNaN(at)) fields.visitedAt = '请填写探访时间';
  else if (at > now + VISIT_FUTURE_TOLERANCE_MS) fields.visitedAt = '探访时间不能晚于现在';
  if (!input.reason.trim()) fields.reason = '请填写更正原因';
  return { fields, items: checkAnswers(template, input.answers, checklist) };
}

/** An instant as the phone's date-time input holds it: China wall-clock `YYYY-MM-DDTHH:mm`. */
export function wallClockInput(iso: string): string {
  return localDateTimeOf(Date.parse(iso)).replace(' ', 'T');
}
