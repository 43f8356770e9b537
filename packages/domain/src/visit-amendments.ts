/**
 * Corrections of visit records (更正): within a window after a visit was entered, its author or a
 * supervisor sends the whole corrected version with a reason; the version it replaces is kept
 * (修改记录). What changed between two versions is worked out here, so the console shows it in the
 * template's own words and the server names it in the audit log.
 */
import { z } from 'zod';
import { DAY_MS, localDateTimeOf } from './periods.js';
import { VISIT_METHOD_LABELS, type ChecklistItem, type VisitMethod } from './policies.js';
import { requiredText } from './schema-helpers.js';
import {
  CHECK_LABELS,
  checkKey,
  methodLabel,
  type Answer,
  type Answers,
  type FormItem,
  type FormTemplate,
} from './templates.js';
import { VisitInput, type VisitDto } from './visits.js';
import type { VisitorType } from './visitors.js';

/** Days after a visit was entered during which it may be amended, unless configured otherwise. */
export const VISIT_AMEND_DAYS_DEFAULT = 7;

/**
 * Body of `POST /api/visits/:id/amendments`: the version read (`revision`), the whole corrected
 * content — checked as when recording — and why it is corrected.
 */
export const VisitAmendmentInput = VisitInput.pick({
  visitedAt: true,
  method: true,
  answers: true,
  emergency: true,
  emergencyNote: true,
}).extend({
  /** The version the correction was made from; another amendment meanwhile makes it stale. */
  revision: z
    .number({ error: '记录版本必须是数字' })
    .int({ error: '记录版本必须是整数' })
    .min(1, { error: '记录版本至少为 1' }),
  reason: requiredText('更正原因', 200),
});
/** Body of `POST /api/visits/:id/amendments`. */
export type VisitAmendmentInput = z.infer<typeof VisitAmendmentInput>;

/** An earlier version of a visit, and who replaced it with the next version, when and why. */
export interface VisitRevisionDto {
  /** The version number (1 is the visit as first recorded). */
  revision: number;
  visitedAt: string;
  method: VisitMethod;
  visitor: { id: string; name: string; type: VisitorType } | null;
  template: { key: string; version: number };
  answers: Answers;
  emergency: boolean;
  emergencyNote: string | null;
  /** When this version was replaced by the next. */
  amendedAt: string;
  amendedBy: { id: string; name: string } | null;
  /** 更正原因 given by who replaced it. */
  reason: string;
}

/**
 * A visit the signed-in user entered and may still amend (`GET /api/visits/amendable`), with
 * whom it was for and where, so the field app lists it without the worklist (a visited elder
 * leaves the worklist).
 */
export interface AmendableVisitDto extends VisitDto {
  elderName: string;
  /** The name of the village (村/社区) the visit was recorded in. */
  villageName: string;
}

/** How many of their recent entries `GET /api/visits/amendable` lists (newest entered first). */
export const AMENDABLE_VISITS_LIMIT = 50;

/** The instant until which a visit entered at `enteredAt` may be amended (entered + `days`). */
export function amendableUntil(enteredAt: string, days: number): string {
  return new Date(Date.parse(enteredAt) + days * DAY_MS).toISOString();
}

/** The content of a visit that an amendment may change. */
export interface VisitVersion {
  visitedAt: string;
  method: VisitMethod;
  answers: Answers;
  emergency: boolean;
  emergencyNote: string | null;
}

/** One thing that differs between two versions, in words: 燃气安全 安全 → 不安全. */
export interface VersionChange {
  /** `visitedAt`, `method`, `emergency`, `emergencyNote` or `answers.<key>`. */
  field: string;
  label: string;
  before: string;
  after: string;
}

const UNANSWERED = '未填写';

/** An answer in words: the option's label with its text or number, a text, 已签字 — or 未填写. */
export function answerText(item: FormItem, answer: Answer | undefined): string {
  if (!answer) return item.kind === 'signature' ? '未签字' : UNANSWERED;
  switch (item.kind) {
    case 'choice': {
      if (!('value' in answer)) return UNANSWERED;
      const option = item.options.find((o) => o.value === answer.value);
      const label = option?.label ?? answer.value;
      if (answer.text) return `${label}（${answer.text}）`;
      if (answer.number !== undefined)
        return `${label} ${answer.number} ${option?.withNumber ?? ''}`.trim();
      return label;
    }
    case 'text':
      return 'text' in answer && !('value' in answer) && answer.text.trim()
        ? answer.text
        : UNANSWERED;
    case 'signature':
      return 'signature' in answer ? '已签字' : '未签字';
  }
}

/** A campaign check's answer in words: 发现隐患（煤炉无烟囱）. */
function checkText(answer: Answer | undefined): string {
  if (!answer || !('value' in answer) || !(answer.value in CHECK_LABELS)) return UNANSWERED;
  const label = CHECK_LABELS[answer.value as keyof typeof CHECK_LABELS];
  return answer.text ? `${label}（${answer.text}）` : label;
}

/** An answer of unknown shape (an item the template does not have), as plain words. */
function rawText(answer: Answer | undefined): string {
  if (!answer) return UNANSWERED;
  if ('value' in answer)
    return [answer.value, answer.text, answer.number]
      .filter((x) => x !== undefined && x !== '')
      .join(' ');
  if ('text' in answer) return answer.text;
  return '已签字';
}

function sameAnswer(a: Answer | undefined, b: Answer | undefined): boolean {
  if (!a || !b) return a === b;
  const canon = (x: Answer) => JSON.stringify(x, Object.keys(x).sort());
  return canon(a) === canon(b);
}

/**
 * What differs from `before` to `after`: the visit's time, method and emergency, then each answer
 * in the template's order (campaign checks after the form's items), labelled as the form labels
 * them. The template may be missing (not loaded): answers are then named by their keys.
 */
export function versionChanges(
  template: FormTemplate | undefined,
  checklist: readonly ChecklistItem[],
  before: VisitVersion,
  after: VisitVersion,
): VersionChange[] {
  const out: VersionChange[] = [];
  const method = (m: VisitMethod) =>
    (template && methodLabel(template, m)) ?? VISIT_METHOD_LABELS[m];
  if (Date.parse(before.visitedAt) !== Date.parse(after.visitedAt))
    out.push({
      field: 'visitedAt',
      label: '探访时间',
      before: localDateTimeOf(Date.parse(before.visitedAt)),
      after: localDateTimeOf(Date.parse(after.visitedAt)),
    });
  if (before.method !== after.method)
    out.push({
      field: 'method',
      label: '探访方式',
      before: method(before.method),
      after: method(after.method),
    });
  if (before.emergency !== after.emergency)
    out.push({
      field: 'emergency',
      label: '紧急情况',
      before: before.emergency ? '是' : '否',
      after: after.emergency ? '是' : '否',
    });
  if ((before.emergencyNote ?? '') !== (after.emergencyNote ?? ''))
    out.push({
      field: 'emergencyNote',
      label: '紧急情况说明',
      before: before.emergencyNote || UNANSWERED,
      after: after.emergencyNote || UNANSWERED,
    });

  const seen = new Set<string>();
  const answer = (key: string, label: string, words: (a: Answer | undefined) => string) => {
    seen.add(key);
    const a = before.answers[key];
    const b = after.answers[key];
    if (!sameAnswer(a, b))
      out.push({ field: `answers.${key}`, label, before: words(a), after: words(b) });
  };
  for (const section of template?.sections ?? [])
    for (const item of section.items) answer(item.key, item.label, (a) => answerText(item, a));
  for (const check of checklist) answer(checkKey(check), check.label, checkText);
  const rest = [...new Set([...Object.keys(before.answers), ...Object.keys(after.answers)])];
  for (const key of rest) if (!seen.has(key)) answer(key, key, rawText);
  return out;
}
