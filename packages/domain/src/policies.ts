/**
 * Visit policies (探访频次规则) and campaigns (专项探访): which elders are visited how often, with
 * which methods counting and which form, and the time-boxed extra visits of extreme weather,
 * public-health events, festivals, 汛期 and 供暖季. Sources are cited in docs/rules.md.
 */
import { z } from 'zod';
import { CATEGORIES, TIERS, type Category, type RegionRef, type Tier } from './elder.js';
import { IsoDate, labelled, oneOf, requiredText, text } from './schema-helpers.js';

/** How a visit was made. */
export const VISIT_METHOD_LABELS = {
  in_person: '上门探访',
  phone: '电话问候',
  video: '互联网音(视)频探访',
  other: '其他',
} as const;
/** How a visit was made. */
export type VisitMethod = keyof typeof VISIT_METHOD_LABELS;
/** Every visit method. */
export const VISIT_METHODS = labelled(VISIT_METHOD_LABELS);

/** The built-in form templates (issue 5 defines their content; a city may add its own). */
export const BUILTIN_TEMPLATE_LABELS = {
  'anshan-2020': '鞍山 2020 定期巡访情况表',
  'dandong-2023': '丹东 2023 探访关爱服务记录表',
} as const;
/** Key of a built-in template. */
export type BuiltinTemplateKey = keyof typeof BUILTIN_TEMPLATE_LABELS;

/** How often a policy asks for a visit. Periods are calendar periods in China time (UTC+8). */
export const CADENCE_LABELS = {
  weekly: '每周',
  every_n_days: '每 N 天',
  monthly: '每月',
  quarterly: '每季度',
} as const;

/** The cadence of a policy: calendar week (Mon–Sun), month, quarter, or fixed N-day windows. */
export const Cadence = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('weekly') }),
    z.strictObject({
      kind: z.literal('every_n_days'),
      days: z
        .number({ error: '间隔天数必须是数字' })
        .int({ error: '间隔天数必须是整数' })
        .min(2, { error: '间隔天数至少 2 天' })
        .max(92, { error: '间隔天数最多 92 天（一个季度）' }),
    }),
    z.strictObject({ kind: z.literal('monthly') }),
    z.strictObject({ kind: z.literal('quarterly') }),
  ],
  {
    error:
      '探访频次应为：weekly（每周）、every_n_days（每 N 天）、monthly（每月）、quarterly（每季度）',
  },
);
/** The cadence of a policy. */
export type Cadence = z.infer<typeof Cadence>;

/** The Chinese name of a cadence (每月, 每 14 天…). */
export function cadenceLabel(cadence: Cadence): string {
  return cadence.kind === 'every_n_days' ? `每 ${cadence.days} 天` : CADENCE_LABELS[cadence.kind];
}

/** The nominal length of one period of a cadence, in days (for ranking and the short-window rule). */
export function cadenceDays(cadence: Cadence): number {
  switch (cadence.kind) {
    case 'weekly':
      return 7;
    case 'every_n_days':
      return cadence.days;
    case 'monthly':
      return 30;
    case 'quarterly':
      return 91;
  }
}

/** Whether two cadences make the same periods. */
export function sameCadence(a: Cadence, b: Cadence): boolean {
  return a.kind === b.kind && (a.kind !== 'every_n_days' || a.days === (b as typeof a).days);
}

/** The coarser period in which at least one visit must be in person. */
export const IN_PERSON_EVERY_LABELS = { month: '每月', quarter: '每季度', year: '每年' } as const;
/** The coarser period in which at least one visit must be in person. */
export type InPersonEvery = keyof typeof IN_PERSON_EVERY_LABELS;

const tiersField = z
  .array(z.enum(TIERS, { error: '分级应为 high_risk、key 或 general' }), {
    error: '分级必须是列表',
  })
  .max(3)
  .default([])
  .transform((v) => [...new Set(v)]);
const categoriesField = z
  .array(z.enum(CATEGORIES, { error: `类别应为：${CATEGORIES.join('、')}` }), {
    error: '类别必须是列表',
  })
  .max(CATEGORIES.length)
  .default([])
  .transform((v) => [...new Set(v)]);
const methodsField = (label: string) =>
  z
    .array(oneOf(VISIT_METHOD_LABELS, label), { error: `${label}必须是列表` })
    .min(1, { error: `请至少选择一种${label}` })
    .transform((v) => [...new Set(v)]);
const regionField = z
  .string({ error: '请选择适用区域 regionCode' })
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { error: '区划代码格式不正确' });
const templateField = z
  .string({ error: '请选择探访表 templateKey' })
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, { error: '探访表代码格式不正确' });

/** What a policy version says (everything but its region). */
export const PolicyContent = z.strictObject({
  name: requiredText('规则名称', 60),
  /** Empty = every tier. */
  tiers: tiersField,
  /** Empty = every category; otherwise the elder must have at least one of them. */
  categories: categoriesField,
  cadence: Cadence,
  countedMethods: methodsField('计入的探访方式'),
  inPersonEvery: z
    .enum(labelled(IN_PERSON_EVERY_LABELS), { error: '上门要求应为 month、quarter 或 year' })
    .nullable()
    .default(null),
  templateKey: templateField,
  /** Days after a period ends in which a visit may still be entered on time (补录宽限). */
  entryGraceDays: z
    .number({ error: '补录宽限天数必须是数字' })
    .int()
    .min(0, { error: '补录宽限天数不能为负' })
    .max(31, { error: '补录宽限天数最多 31 天' })
    .default(3),
  effectiveFrom: IsoDate,
  note: text('说明', 200).optional(),
});
/** What a policy version says. */
export type PolicyContent = z.infer<typeof PolicyContent>;

/** Body of `POST /api/policies`: a new policy for a region. */
export const PolicyCreateInput = PolicyContent.extend({ regionCode: regionField });
/** Body of `POST /api/policies`. */
export type PolicyCreateInput = z.infer<typeof PolicyCreateInput>;

/** Body of `POST /api/policies/:id/versions`: the policy's content from a new date on. */
export const PolicyVersionInput = PolicyContent;

/** Body of `POST /api/policies/:id/retire`: the policy ends from a date. */
export const PolicyRetireInput = z.strictObject({
  effectiveFrom: IsoDate,
  note: text('说明', 200).optional(),
});

/** Body of `POST /api/policies/presets/:key/apply`. */
export const PresetApplyInput = z.strictObject({
  regionCode: regionField,
  effectiveFrom: IsoDate,
});

/** One policy of a preset. */
export interface PresetPolicy {
  name: string;
  tiers: Tier[];
  categories: Category[];
  cadence: Cadence;
  countedMethods: VisitMethod[];
  inPersonEvery: InPersonEvery | null;
  templateKey: BuiltinTemplateKey;
}

/** A built-in set of policies a region can adopt in one step. */
export interface PolicyPreset {
  key: string;
  name: string;
  source: string;
  policies: PresetPolicy[];
}

/** The built-in presets (民政部 2022 指导意见, 丹东 2023, 鞍山 2020). */
export const POLICY_PRESETS: readonly PolicyPreset[] = [
  {
    key: 'national-2022',
    name: '全国 2022 指导意见（分级探访）',
    source:
      '民政部等《关于开展特殊困难老年人探访关爱服务的指导意见》(2022)：高风险每周、重点每月、一般每季度',
    policies: [
      {
        name: '高风险对象每周探访',
        tiers: ['high_risk'],
        categories: [],
        cadence: { kind: 'weekly' },
        countedMethods: ['in_person', 'phone', 'video'],
        inPersonEvery: 'month',
        templateKey: 'dandong-2023',
      },
      {
        name: '重点对象每月探访',
        tiers: ['key'],
        categories: [],
        cadence: { kind: 'monthly' },
        countedMethods: ['in_person', 'phone', 'video'],
        inPersonEvery: 'quarter',
        templateKey: 'dandong-2023',
      },
      {
        name: '一般对象每季度探访',
        tiers: ['general'],
        categories: [],
        cadence: { kind: 'quarterly' },
        countedMethods: ['in_person', 'phone', 'video'],
        inPersonEvery: null,
        templateKey: 'dandong-2023',
      },
    ],
  },
  {
    key: 'dandong-2023',
    name: '丹东 2023（每月探访，月探访率 100%）',
    source:
      '丹民发〔2023〕61号：“到 2025 年底，实现特殊困难老年人月探访率达到 100%”；探访方式：电话问候、上门探访、互联网音(视)频探访、其他',
    policies: [
      {
        name: '特殊困难老年人每月探访',
        tiers: [],
        categories: [],
        cadence: { kind: 'monthly' },
        countedMethods: ['in_person', 'phone', 'video', 'other'],
        inPersonEvery: null,
        templateKey: 'dandong-2023',
      },
    ],
  },
  {
    key: 'anshan-2020',
    name: '鞍山 2020（每季度巡访）',
    source: '鞍民发〔2020〕30号：“对巡访对象要求季度巡访一次”；巡访方式：实地、电话',
    policies: [
      {
        name: '农村留守等老年人季度巡访',
        tiers: [],
        categories: [],
        cadence: { kind: 'quarterly' },
        countedMethods: ['in_person', 'phone'],
        inPersonEvery: null,
        templateKey: 'anshan-2020',
      },
    ],
  },
];

/** Kinds of campaign (专项探访). */
export const CAMPAIGN_KIND_LABELS = {
  extreme_weather: '极端天气',
  public_health: '公共卫生事件',
  festival: '传统节日',
  flood_season: '汛期',
  heating_season: '供暖季',
  major_event: '重大事件',
  other: '其他',
} as const;
/** Kind of campaign. */
export type CampaignKind = keyof typeof CAMPAIGN_KIND_LABELS;

/** One extra item a campaign adds to the visit form while it is in force. */
export const ChecklistItem = z.strictObject({
  key: z
    .string({ error: '检查项代码必须是文字' })
    .regex(/^[a-z][a-z0-9_]{0,39}$/, { error: '检查项代码应为小写字母、数字或下划线' }),
  label: requiredText('检查项名称', 40),
});
/** One extra item a campaign adds to the visit form. */
export type ChecklistItem = z.infer<typeof ChecklistItem>;

/**
 * The checklist a kind of campaign brings by default. 鞍山 2020: “汛期重点检查电线线路和防汛安全，
 * 供暖季重点检查室内温度和取暖安全”.
 */
export const DEFAULT_CHECKLISTS: Record<CampaignKind, ChecklistItem[]> = {
  flood_season: [
    { key: 'wiring_safety', label: '电线线路安全' },
    { key: 'flood_safety', label: '防汛安全（房屋、低洼处、转移预案）' },
  ],
  heating_season: [
    { key: 'indoor_temperature', label: '室内温度是否适宜' },
    { key: 'heating_safety', label: '取暖安全（煤气中毒、火灾隐患）' },
  ],
  extreme_weather: [{ key: 'weather_safety', label: '防寒防暑、房屋安全' }],
  public_health: [{ key: 'health_protection', label: '防护物资与就医渠道' }],
  festival: [{ key: 'festival_greeting', label: '节日问候与生活物资' }],
  major_event: [{ key: 'event_safety', label: '人身安全与生活安排' }],
  other: [],
};

const instant = (label: string) =>
  z.iso.datetime({
    offset: true,
    error: `${label}应为带时区的日期时间，如 2026-07-01T00:00:00+08:00`,
  });

/** Body of `POST /api/campaigns`. */
export const CampaignInput = z
  .strictObject({
    regionCode: regionField,
    name: requiredText('专项名称', 60),
    kind: oneOf(CAMPAIGN_KIND_LABELS, '专项类型'),
    startsAt: instant('开始时间'),
    endsAt: instant('结束时间'),
    /** An extra visit is required within this long of each window's start. */
    within: z.strictObject({
      value: z
        .number({ error: '时限必须是数字' })
        .int({ error: '时限必须是整数' })
        .min(1, { error: '时限至少为 1' })
        .max(2160, { error: '时限过长' }),
      unit: z.enum(['hours', 'days'], { error: '时限单位应为 hours（小时）或 days（天）' }),
    }),
    tiers: tiersField,
    categories: categoriesField,
    countedMethods: methodsField('计入的探访方式').default(['in_person', 'phone', 'video']),
    /** Extra form items; the kind's default checklist when absent. */
    checklist: z.array(ChecklistItem, { error: '检查项必须是列表' }).max(20).optional(),
    note: text('说明', 200).optional(),
  })
  .superRefine((v, ctx) => {
    if (Date.parse(v.endsAt) <= Date.parse(v.startsAt)) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '结束时间必须晚于开始时间' });
    }
    if (Date.parse(v.endsAt) - Date.parse(v.startsAt) > 366 * 86_400_000) {
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: '专项最长一年' });
    }
    const keys = new Set<string>();
    for (const [i, item] of (v.checklist ?? []).entries()) {
      if (keys.has(item.key)) {
        ctx.addIssue({ code: 'custom', path: ['checklist', i, 'key'], message: '检查项代码重复' });
      }
      keys.add(item.key);
    }
  });
/** Body of `POST /api/campaigns`. */
export type CampaignInput = z.infer<typeof CampaignInput>;

/** The hours of a campaign's `within`. */
export function withinHours(within: { value: number; unit: 'hours' | 'days' }): number {
  return within.unit === 'hours' ? within.value : within.value * 24;
}

/** A policy version as the schedule engine reads it. */
export interface PolicyRule {
  policyId: string;
  version: number;
  regionCode: string;
  effectiveFrom: string;
  retired: boolean;
  name: string;
  tiers: Tier[];
  categories: Category[];
  cadence: Cadence;
  countedMethods: VisitMethod[];
  inPersonEvery: InPersonEvery | null;
  templateKey: string;
  entryGraceDays: number;
}

/** A campaign as the schedule engine reads it (cancelled campaigns are left out by the caller). */
export interface CampaignRule {
  id: string;
  regionCode: string;
  name: string;
  kind: CampaignKind;
  /** ISO instants. */
  startsAt: string;
  endsAt: string;
  withinHours: number;
  tiers: Tier[];
  categories: Category[];
  countedMethods: VisitMethod[];
  checklist: ChecklistItem[];
}

/** One version of a policy in responses. */
export interface PolicyVersionDto {
  version: number;
  effectiveFrom: string;
  retired: boolean;
  name: string;
  tiers: Tier[];
  categories: Category[];
  cadence: Cadence;
  countedMethods: VisitMethod[];
  inPersonEvery: InPersonEvery | null;
  templateKey: string;
  entryGraceDays: number;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** A policy with its versions, newest first. */
export interface PolicyDto {
  id: string;
  region: RegionRef;
  preset: string | null;
  /** The version in force today (null if not yet in force or retired). */
  current: PolicyVersionDto | null;
  versions: PolicyVersionDto[];
  /** Whether the signed-in user may change it (it lies within their jurisdiction). */
  editable: boolean;
}

/** A campaign in responses. */
export interface CampaignDto {
  id: string;
  region: RegionRef;
  name: string;
  kind: CampaignKind;
  startsAt: string;
  endsAt: string;
  within: { value: number; unit: 'hours' | 'days' };
  tiers: Tier[];
  categories: Category[];
  countedMethods: VisitMethod[];
  checklist: ChecklistItem[];
  note: string | null;
  status: 'scheduled' | 'in_force' | 'ended' | 'cancelled';
  editable: boolean;
  createdAt: string;
}
