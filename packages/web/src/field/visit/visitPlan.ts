/**
 * What the visit form of an elder is made of, from the visitor's worklist: the template of the
 * policy in force, the checks of campaigns in force, the methods that count (pure).
 */
import {
  BUILTIN_TEMPLATES,
  checkAnswers,
  type AnswerIssue,
  type Answers,
  type ChecklistItem,
  type FormTemplate,
  type VisitDto,
  type VisitMethod,
  type WorklistItemDto,
} from '@tanfang/domain';

/** The template used when no policy names one (丹东 2023 is the province's newest form). */
export const FALLBACK_TEMPLATE_KEY = 'dandong-2023';

/** The form of a visit to one elder. */
export interface VisitPlan {
  templateKey: string;
  /** Campaign checks in force, each once. */
  checklist: ChecklistItem[];
  /** The elder's open tasks and the methods each counts (a visit by another method is kept, not counted). */
  tasks: PlannedTask[];
}

/** An open task of the elder, named for the visitor. */
export interface PlannedTask {
  /** 本期定期探访, or 专项探访“name”. */
  name: string;
  countedMethods: VisitMethod[];
}

/** The plan from the worklist items of one elder. */
export function planVisit(items: readonly WorklistItemDto[]): VisitPlan {
  const templateKey =
    items.find((i) => i.obligation.policy)?.obligation.policy?.templateKey ?? FALLBACK_TEMPLATE_KEY;
  const checklist: ChecklistItem[] = [];
  for (const i of items)
    for (const c of i.obligation.campaign?.checklist ?? [])
      if (!checklist.some((x) => x.key === c.key)) checklist.push(c);
  const tasks = items.map((i) => ({
    name: i.obligation.campaign ? `专项探访“${i.obligation.campaign.name}”` : '本期定期探访',
    countedMethods: [...i.obligation.countedMethods],
  }));
  return { templateKey, checklist, tasks };
}

/** The template key of each elder's visit form on a worklist, each once (to keep them offline). */
export function templateKeysNeeded(items: readonly WorklistItemDto[]): string[] {
  const byElder = new Map<string, WorklistItemDto[]>();
  for (const i of items) byElder.set(i.elder.id, [...(byElder.get(i.elder.id) ?? []), i]);
  return [...new Set([...byElder.values()].map((list) => planVisit(list).templateKey))];
}

/** The tasks a method would not count for. */
export function tasksNotCounted(tasks: readonly PlannedTask[], method: VisitMethod): PlannedTask[] {
  return tasks.filter((t) => !t.countedMethods.includes(method));
}

/** The newest built-in version of a template key, if it is built in. */
export function builtinTemplate(key: string): FormTemplate | undefined {
  return BUILTIN_TEMPLATES.filter((t) => t.key === key).sort((a, b) => b.version - a.version)[0];
}

/** The last visit's answers as hints: the newest visit, when it used the same form. */
export function previousAnswers(visits: readonly VisitDto[], templateKey: string): Answers | null {
  const last = visits[0];
  return last && last.template.key === templateKey ? last.answers : null;
}

/** Everything to fix before a visit may be stored: the method, then the domain's answer check. */
export function visitIssues(
  template: FormTemplate,
  method: VisitMethod | null,
  answers: Answers,
  checklist: readonly ChecklistItem[],
): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  if (!method) issues.push({ field: 'method', message: '请选择探访方式' });
  else if (!template.methods.some((m) => m.value === method))
    issues.push({ field: 'method', message: '这份表单没有所选的探访方式' });
  return [...issues, ...checkAnswers(template, answers, checklist)];
}
