/**
 * The pure part of the visit form renderer: how an answer changes when a button is tapped, which
 * item an issue belongs to, and how a previous answer reads. No DOM, so it is unit-tested.
 */
import {
  CHECK_LABELS,
  checkKey,
  type Answer,
  type Answers,
  type AnswerIssue,
  type ChecklistItem,
  type FormItem,
  type FormTemplate,
} from '@tanfang/domain';

/** The value of a campaign check's answer. */
export type CheckValue = keyof typeof CHECK_LABELS;

/** A choice item of a template. */
export type ChoiceItem = Extract<FormItem, { kind: 'choice' }>;

/** Answers with one item's answer set (or removed when `answer` is undefined). */
export function withAnswer(answers: Answers, key: string, answer: Answer | undefined): Answers {
  const out: Answers = { ...answers };
  if (answer === undefined) delete out[key];
  else out[key] = answer;
  return out;
}

/**
 * Taps an option: picks it, keeping the extra text or number only when the same option is tapped
 * again (a different option drops what the previous one asked for).
 */
export function chooseOption(answers: Answers, item: ChoiceItem, value: string): Answers {
  const previous = answers[item.key];
  const same = previous && 'value' in previous && previous.value === value;
  if (same) return answers;
  return withAnswer(answers, item.key, { value });
}

/** Sets the text an option asks for (严重疾病 → 疾病名称). */
export function setOptionText(answers: Answers, key: string, text: string): Answers {
  const a = answers[key];
  if (!a || !('value' in a)) return answers;
  const { text: _old, ...rest } = a;
  return withAnswer(answers, key, text ? { ...rest, text } : rest);
}

/** Sets the number an option asks for (增加 → 人数); an empty or bad entry clears it. */
export function setOptionNumber(answers: Answers, key: string, input: string): Answers {
  const a = answers[key];
  if (!a || !('value' in a)) return answers;
  const { number: _old, ...rest } = a;
  const trimmed = input.trim();
  const n = /^\d{1,2}$/.test(trimmed) ? Number(trimmed) : undefined;
  return withAnswer(answers, key, n === undefined ? rest : { ...rest, number: n });
}

/** Sets a text item; an empty text removes the answer (an unanswered optional item). */
export function setText(answers: Answers, key: string, text: string): Answers {
  return withAnswer(answers, key, text === '' ? undefined : { text });
}

/** Sets a signature item to an uploaded (or queued) image id, or clears it. */
export function setSignature(answers: Answers, key: string, id: string | null): Answers {
  return withAnswer(answers, key, id ? { signature: id } : undefined);
}

/** Answers a campaign check; the note is kept only for 发现隐患. */
export function setCheck(
  answers: Answers,
  check: ChecklistItem,
  value: CheckValue,
  note?: string,
): Answers {
  const answer: Answer = value === 'hazard' && note ? { value, text: note } : { value };
  return withAnswer(answers, checkKey(check), answer);
}

/** The value of a campaign check's answer, if answered. */
export function checkValueOf(answers: Answers, check: ChecklistItem): CheckValue | undefined {
  const a = answers[checkKey(check)];
  return a && 'value' in a && a.value in CHECK_LABELS ? (a.value as CheckValue) : undefined;
}

/** The issues of a form by answer key (`answers.mood` → `mood`), first message of each. */
export function issuesByKey(issues: readonly AnswerIssue[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of issues) {
    const m = /^answers\.(.+)$/.exec(issue.field);
    if (m && !out.has(m[1]!)) out.set(m[1]!, issue.message);
  }
  return out;
}

/** Issues that belong to no item of the form (shown above it). */
export function formLevelIssues(issues: readonly AnswerIssue[]): AnswerIssue[] {
  return issues.filter((i) => !i.field.startsWith('answers.'));
}

/** Whether an optional section opens by itself: it has an answer or an issue. */
export function sectionStartsOpen(
  section: FormTemplate['sections'][number],
  answers: Answers,
  issueKeys: ReadonlyMap<string, string>,
): boolean {
  if (!section.optional) return true;
  return section.items.some((i) => answers[i.key] !== undefined || issueKeys.has(i.key));
}

/** An answer in words, as a hint of the last visit: 严重疾病（脑梗）, 增加 2 人, the text, 已签字. */
export function answerWords(item: FormItem, answer: Answer | undefined): string | null {
  if (!answer) return null;
  switch (item.kind) {
    case 'choice': {
      if (!('value' in answer)) return null;
      const option = item.options.find((o) => o.value === answer.value);
      if (!option) return null;
      if (answer.text) return `${option.label}（${answer.text}）`;
      if (answer.number !== undefined)
        return `${option.label} ${answer.number} ${option.withNumber ?? ''}`.trim();
      return option.label;
    }
    case 'text':
      if (!('text' in answer) || 'value' in answer || !answer.text.trim()) return null;
      return answer.text.length > 40 ? `${answer.text.slice(0, 40)}…` : answer.text;
    case 'signature':
      return 'signature' in answer ? '已签字' : null;
  }
}

/** The keys of the items whose answer differs from the no-change prefill. */
export function changedKeys(template: FormTemplate, answers: Answers): string[] {
  const out: string[] = [];
  for (const s of template.sections)
    for (const item of s.items) {
      if (item.kind !== 'choice') continue;
      const a = answers[item.key];
      if (a && 'value' in a && a.value !== item.prefill) out.push(item.key);
    }
  return out;
}
