/**
 * Visit form templates (探访记录表) as versioned data: one renderer draws any of them, answers are
 * checked against the version a visit was made with, and rules in the template turn answers into
 * findings. Built in: 鞍山 2020 定期巡访情况表 and 丹东 2023 探访关爱服务记录表 section 五; a city can
 * upload its own (validated by `FormTemplate`).
 */
import { z } from 'zod';
import { VISIT_METHODS, type ChecklistItem, type VisitMethod } from './policies.js';
import { requiredText, text } from './schema-helpers.js';

const key = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: `${label}应为小写字母开头的字母、数字或下划线` });

/** One choice of an item; it may ask for a name (严重疾病名称) or a number (增加 N 人). */
export const ChoiceOption = z.strictObject({
  value: key('选项代码'),
  label: requiredText('选项名称', 20),
  /** The answer needs a text, e.g. the disease's name. */
  withText: requiredText('补充说明名称', 20).optional(),
  /** The answer needs a whole number, e.g. how many people. */
  withNumber: requiredText('数量单位', 10).optional(),
});
/** One choice of an item. */
export type ChoiceOption = z.infer<typeof ChoiceOption>;

/** An item of a form. */
export const FormItem = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('choice'),
      key: key('项目代码'),
      label: requiredText('项目名称', 30),
      options: z.array(ChoiceOption).min(2, { error: '选择题至少两个选项' }).max(8),
      /** The answer prefilled for an elder whose situation has not changed (无变化, 正常, 安全). */
      prefill: key('默认选项').optional(),
      required: z.boolean().default(true),
    }),
    z.strictObject({
      kind: z.literal('text'),
      key: key('项目代码'),
      label: requiredText('项目名称', 30),
      maxLength: z.number().int().min(1).max(2000).default(500),
      required: z.boolean().default(false),
    }),
    z.strictObject({
      kind: z.literal('signature'),
      key: key('项目代码'),
      label: requiredText('项目名称', 30),
      signer: z.enum(['visitor', 'elder', 'clerk'], {
        error: '签字人应为 visitor、elder 或 clerk',
      }),
      required: z.boolean().default(false),
    }),
  ],
  { error: '项目类型应为 choice（选择）、text（文字）或 signature（签字）' },
);
/** An item of a form. */
export type FormItem = z.infer<typeof FormItem>;

/** Kinds of finding a template rule can raise (the next issue follows them to their end). */
export const FINDING_TYPE_LABELS = {
  health_decline: '健康状况变差',
  mental: '精神状态较差',
  safety_hazard: '安全隐患',
  hygiene: '卫生与居住环境较差',
  hardship: '生活困难',
  family_crisis: '家庭变故',
  need: '服务需求',
  emergency: '紧急情况',
} as const;
/** Kind of finding. */
export type FindingType = keyof typeof FINDING_TYPE_LABELS;

/** How urgent a finding is. */
export const FINDING_SEVERITY_LABELS = {
  low: '一般',
  medium: '较重',
  high: '严重',
  emergency: '紧急',
} as const;
/** How urgent a finding is. */
export type FindingSeverity = keyof typeof FINDING_SEVERITY_LABELS;

/** A rule: when an item's answer is one of `values` (or any text, for a text item), raise a finding. */
export const FindingRule = z.strictObject({
  item: key('项目代码'),
  /** Choice values that raise it; omitted for a text item (any non-empty text raises it). */
  values: z.array(key('选项代码')).min(1).optional(),
  type: z.enum(Object.keys(FINDING_TYPE_LABELS) as [FindingType, ...FindingType[]], {
    error: '发现类型不正确',
  }),
  severity: z.enum(
    Object.keys(FINDING_SEVERITY_LABELS) as [FindingSeverity, ...FindingSeverity[]],
    { error: '严重程度应为 low、medium、high 或 emergency' },
  ),
  title: requiredText('发现名称', 40),
});
/** A finding rule. */
export type FindingRule = z.infer<typeof FindingRule>;

/** A form template (one version of it). */
export const FormTemplate = z
  .strictObject({
    key: z
      .string({ error: '表单代码必须是文字' })
      .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { error: '表单代码应为小写字母、数字或连字符' }),
    version: z.number({ error: '版本号必须是数字' }).int().min(1).max(999),
    name: requiredText('表单名称', 60),
    issuer: requiredText('发文单位', 60),
    /** The methods the form offers, in the form's own words (鞍山: 实地, 电话). */
    methods: z
      .array(
        z.strictObject({
          value: z.enum(VISIT_METHODS, { error: '探访方式应为 in_person、phone、video 或 other' }),
          label: requiredText('探访方式名称', 20),
        }),
      )
      .min(1, { error: '至少一种探访方式' }),
    sections: z
      .array(
        z.strictObject({
          key: key('栏目代码'),
          label: requiredText('栏目名称', 30),
          /** An optional section (丹东: the seven content areas). */
          optional: z.boolean().default(false),
          items: z.array(FormItem).min(1, { error: '栏目至少一个项目' }).max(40),
        }),
      )
      .min(1, { error: '至少一个栏目' })
      .max(30),
    findingRules: z.array(FindingRule).max(100).default([]),
    /** Which official table layout prints it. */
    print: z.enum(['anshan-quarterly', 'dandong-record', 'generic']).default('generic'),
  })
  .superRefine((t, ctx) => {
    const items = new Map<string, FormItem>();
    for (const [si, s] of t.sections.entries()) {
      for (const [ii, item] of s.items.entries()) {
        if (items.has(item.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'items', ii, 'key'],
            message: `项目代码 ${item.key} 重复`,
          });
        }
        items.set(item.key, item);
        if (
          item.kind === 'choice' &&
          item.prefill &&
          !item.options.some((o) => o.value === item.prefill)
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['sections', si, 'items', ii, 'prefill'],
            message: `默认选项 ${item.prefill} 不在选项中`,
          });
        }
      }
    }
    for (const [ri, rule] of t.findingRules.entries()) {
      const item = items.get(rule.item);
      if (!item) {
        ctx.addIssue({
          code: 'custom',
          path: ['findingRules', ri, 'item'],
          message: `规则引用的项目 ${rule.item} 不存在`,
        });
        continue;
      }
      if (item.kind === 'choice') {
        for (const v of rule.values ?? []) {
          if (!item.options.some((o) => o.value === v)) {
            ctx.addIssue({
              code: 'custom',
              path: ['findingRules', ri, 'values'],
              message: `项目 ${rule.item} 没有选项 ${v}`,
            });
          }
        }
        if (!rule.values) {
          ctx.addIssue({
            code: 'custom',
            path: ['findingRules', ri, 'values'],
            message: '选择题的规则须列出触发的选项',
          });
        }
      }
    }
  });
/** A form template (one version). */
export type FormTemplate = z.infer<typeof FormTemplate>;

/** An answer: a choice (with its text or number when the option asks), a text, or a signature. */
export const Answer = z.union([
  z.strictObject({
    value: key('选项代码'),
    text: text('补充说明', 100).optional(),
    number: z.number().int().min(0).max(99).optional(),
  }),
  z.strictObject({ text: text('内容', 2000) }),
  /** A signature: the id of its uploaded image. */
  z.strictObject({ signature: z.uuid({ error: '签字图片编号不正确' }) }),
]);
/** An answer. */
export type Answer = z.infer<typeof Answer>;

/** The answers of a visit, by item key (campaign checks by `check_<key>`). */
export const Answers = z.record(z.string().max(60), Answer);
/** The answers of a visit. */
export type Answers = z.infer<typeof Answers>;

/** The answer values of a campaign checklist item. */
export const CHECK_LABELS = { ok: '已检查，无问题', hazard: '发现隐患' } as const;

/** The key under which a campaign checklist item is answered. */
export function checkKey(item: ChecklistItem): string {
  return `check_${item.key}`;
}

/** A problem with an answer, naming it as `answers.<key>`. */
export interface AnswerIssue {
  field: string;
  message: string;
}

/**
 * Checks answers against a template version and the campaign checks in force: every required item
 * answered, choices among the options, the text or number an option asks for, nothing unknown.
 * Returns the problems (none: the answers fit).
 */
export function checkAnswers(
  template: FormTemplate,
  answers: Answers,
  checklist: readonly ChecklistItem[] = [],
): AnswerIssue[] {
  const issues: AnswerIssue[] = [];
  const known = new Set<string>();
  const field = (k: string) => `answers.${k}`;
  for (const section of template.sections) {
    for (const item of section.items) {
      known.add(item.key);
      const a = answers[item.key];
      if (!a) {
        if (item.required && !section.optional)
          issues.push({ field: field(item.key), message: `请填写“${item.label}”` });
        continue;
      }
      switch (item.kind) {
        case 'choice': {
          if (!('value' in a)) {
            issues.push({ field: field(item.key), message: `“${item.label}”应选择一项` });
            break;
          }
          const option = item.options.find((o) => o.value === a.value);
          if (!option) {
            issues.push({
              field: field(item.key),
              message: `“${item.label}”应为：${item.options.map((o) => o.label).join('、')}`,
            });
          } else if (option.withText && !a.text?.trim()) {
            issues.push({ field: field(item.key), message: `请填写${option.withText}` });
          } else if (option.withNumber && a.number === undefined) {
            issues.push({
              field: field(item.key),
              message: `请填写${option.label}的${option.withNumber}数`,
            });
          }
          break;
        }
        case 'text':
          if (!('text' in a) || 'value' in a) {
            issues.push({ field: field(item.key), message: `“${item.label}”应为文字` });
          } else if (a.text.length > item.maxLength) {
            issues.push({
              field: field(item.key),
              message: `“${item.label}”最多 ${item.maxLength} 个字`,
            });
          } else if (item.required && !a.text.trim()) {
            issues.push({ field: field(item.key), message: `请填写“${item.label}”` });
          }
          break;
        case 'signature':
          if (!('signature' in a))
            issues.push({ field: field(item.key), message: `“${item.label}”应为签字图片` });
          break;
      }
    }
  }
  for (const check of checklist) {
    const k = checkKey(check);
    known.add(k);
    const a = answers[k];
    if (!a || !('value' in a) || !(a.value in CHECK_LABELS)) {
      issues.push({ field: field(k), message: `请完成专项检查“${check.label}”` });
    }
  }
  for (const k of Object.keys(answers)) {
    if (!known.has(k))
      issues.push({
        field: field(k),
        message: `表单 ${template.key} 第 ${template.version} 版没有项目 ${k}`,
      });
  }
  return issues;
}

/** Answers prefilled for an elder whose situation has not changed. */
export function prefilledAnswers(template: FormTemplate): Answers {
  const out: Answers = {};
  for (const s of template.sections)
    for (const item of s.items)
      if (item.kind === 'choice' && item.prefill) out[item.key] = { value: item.prefill };
  return out;
}

/** A finding a visit's answers raise. */
export interface RaisedFinding {
  type: FindingType;
  severity: FindingSeverity;
  title: string;
  /** The item and what was answered (e.g. 疾病状况：严重疾病（脑梗）). */
  source: string;
}

/**
 * The findings a visit raises: the template's rules over the answers, each campaign check found
 * hazardous, and an emergency when the 紧急情况 switch is on.
 */
export function findingsOf(
  template: FormTemplate,
  answers: Answers,
  options: {
    emergency?: boolean;
    emergencyNote?: string;
    checklist?: readonly ChecklistItem[];
  } = {},
): RaisedFinding[] {
  const items = new Map<string, FormItem>();
  for (const s of template.sections) for (const i of s.items) items.set(i.key, i);
  const out: RaisedFinding[] = [];
  if (options.emergency) {
    out.push({
      type: 'emergency',
      severity: 'emergency',
      title: '紧急情况',
      source: options.emergencyNote?.trim() || '探访人员在现场报告紧急情况',
    });
  }
  for (const rule of template.findingRules) {
    const item = items.get(rule.item);
    const a = answers[rule.item];
    if (!item || !a) continue;
    if (item.kind === 'choice' && 'value' in a && rule.values?.includes(a.value)) {
      const option = item.options.find((o) => o.value === a.value)!;
      const detail = a.text
        ? `（${a.text}）`
        : a.number !== undefined
          ? ` ${a.number} ${option.withNumber ?? ''}`
          : '';
      out.push({
        type: rule.type,
        severity: rule.severity,
        title: rule.title,
        source: `${item.label}：${option.label}${detail}`,
      });
    } else if (item.kind === 'text' && !('value' in a) && 'text' in a && a.text.trim()) {
      out.push({
        type: rule.type,
        severity: rule.severity,
        title: rule.title,
        source: `${item.label}：${a.text.trim()}`,
      });
    }
  }
  for (const check of options.checklist ?? []) {
    const a = answers[checkKey(check)];
    if (a && 'value' in a && a.value === 'hazard') {
      out.push({
        type: 'safety_hazard',
        severity: 'high',
        title: `专项检查发现隐患：${check.label}`,
        source: a.text ? `${check.label}：${a.text}` : check.label,
      });
    }
  }
  return out;
}

/** The method labels a template offers, by method (for display). */
export function methodLabel(template: FormTemplate, method: VisitMethod): string | undefined {
  return template.methods.find((m) => m.value === method)?.label;
}
