/**
 * Checking an uploaded template in the browser before it is sent: JSON parsed, then the domain's
 * `FormTemplate` schema, every problem named by its path with a Chinese message (the schema's own
 * where it has one, else a Chinese wording of zod's default). Pure.
 */
import { DANDONG_2023, FormTemplate, type TemplateSummaryDto } from '@tanfang/domain';

/** One problem of an uploaded template: where (`sections.0.items.3.key`) and what. */
export interface TemplateIssue {
  path: string;
  message: string;
}

/** The outcome of checking an upload. */
export type TemplateCheck =
  { ok: true; template: FormTemplate } | { ok: false; issues: TemplateIssue[] };

/** How the layouts of `print` are called. */
export const PRINT_LAYOUT_LABELS: Record<FormTemplate['print'], string> = {
  'anshan-quarterly': '鞍山巡访情况表（一年四季度一页）',
  'dandong-record': '丹东探访关爱服务记录表',
  generic: '通用格式',
};

type ParseParams = NonNullable<Parameters<typeof FormTemplate.safeParse>[1]>;
type ErrorMap = NonNullable<ParseParams['error']>;
type RawIssue = Parameters<ErrorMap>[0];

/** Chinese for the issues whose schema gave no message of its own (zod's English defaults). */
const chineseDefaults: ErrorMap = (raw: RawIssue) => {
  const issue = raw as RawIssue & {
    expected?: string;
    origin?: string;
    maximum?: number | bigint;
    minimum?: number | bigint;
    keys?: string[];
  };
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? '必填' : `类型不正确，应为 ${issue.expected ?? ''}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `过长，最多 ${String(issue.maximum)} 个字`
        : issue.origin === 'array'
          ? `最多 ${String(issue.maximum)} 项`
          : `不能大于 ${String(issue.maximum)}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `过短，至少 ${String(issue.minimum)} 个字`
        : issue.origin === 'array'
          ? `至少 ${String(issue.minimum)} 项`
          : `不能小于 ${String(issue.minimum)}`;
    case 'unrecognized_keys':
      return `不允许的字段：${(issue.keys ?? []).join('、')}`;
    case 'invalid_value':
      return '取值不正确';
    case 'invalid_format':
      return '格式不正确';
    case 'not_multiple_of':
      return '应为整数';
    default:
      return '内容不正确';
  }
};

/** A path as the server names fields (`sections.0.items.3.key`), or `（整个表单）`. */
function pathOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '（整个表单）' : path.map(String).join('.');
}

/** Parses and checks the text of an upload with the domain's schema. */
export function checkTemplateJson(text: string): TemplateCheck {
  const trimmed = text.trim();
  if (!trimmed)
    return { ok: false, issues: [{ path: '（整个表单）', message: '请选择或粘贴 JSON' }] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    const detail = e instanceof Error ? e.message : '';
    return {
      ok: false,
      issues: [{ path: '（整个表单）', message: `不是有效的 JSON：${detail}` }],
    };
  }
  const parsed = FormTemplate.safeParse(value, { error: chineseDefaults });
  if (parsed.success) return { ok: true, template: parsed.data };
  const issues = parsed.error.issues.flatMap((issue): TemplateIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({
          path: pathOf([...issue.path, k]),
          message: `不允许的字段：${k}`,
        }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
  return { ok: false, issues };
}

/** The next free version of a key among the templates listed. */
export function nextVersion(templates: readonly TemplateSummaryDto[], key: string): number {
  return Math.max(0, ...templates.filter((t) => t.key === key).map((t) => t.version)) + 1;
}

/** 下载示例: the 丹东 built-in as JSON under the next free version, a starting point for a city. */
export function sampleTemplateJson(templates: readonly TemplateSummaryDto[]): string {
  const sample: FormTemplate = {
    ...DANDONG_2023,
    version: nextVersion(templates, DANDONG_2023.key),
  };
  return `${JSON.stringify(sample, null, 2)}\n`;
}

/** How many items a template asks (all sections). */
export function itemCount(template: FormTemplate): number {
  return template.sections.reduce((n, s) => n + s.items.length, 0);
}
