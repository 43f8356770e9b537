/**
 * The elder record (台账): every field of the 海南 2018 农村留守老年人信息采集表 and the 丹东 2023
 * 特殊困难老年人探访关爱服务记录表 sections 一 to 四. Codes are stable in the API; each has a
 * Chinese label.
 */
import { z } from 'zod';
import { parseIdNumber, type Gender } from './idcard.js';
import { PhoneNumber } from './users.js';
import { IsoDate, YearMonth, labelled, oneOf, requiredText, text } from './schema-helpers.js';

/** 丹东 2023 附件2 categories, plus 低保, 高龄, 其他. */
export const CATEGORY_LABELS = {
  living_alone: '独居',
  empty_nest: '空巢',
  left_behind: '留守',
  incapacitated: '失能',
  severely_disabled: '重残',
  bereaved_family: '计划生育特殊家庭',
  extreme_poverty: '特困',
  subsistence: '低保',
  very_old: '高龄',
  other: '其他',
} as const;
/** A category code. */
export type Category = keyof typeof CATEGORY_LABELS;
/** Every category code. */
export const CATEGORIES = labelled(CATEGORY_LABELS);

/** Care tiers after the 2022 national guidance: high-risk weekly, key monthly, general quarterly. */
export const TIER_LABELS = { high_risk: '高风险', key: '重点', general: '一般' } as const;
/** A tier code. */
export type Tier = keyof typeof TIER_LABELS;
/** Every tier, most urgent first. */
export const TIERS = labelled(TIER_LABELS);

/** 信息采集表 健康状况. */
export const HEALTH_LABELS = {
  healthy: '健康',
  partially_disabled: '部分失能',
  disabled: '失能',
} as const;
/** 信息采集表 生活状况. */
export const LIVING_SITUATION_LABELS = { good: '良好', fair: '一般', poor: '贫困' } as const;
/** 是否享受低保 / 特困人员. */
export const ASSISTANCE_LABELS = {
  none: '无',
  subsistence: '低保',
  extreme_poverty: '特困',
} as const;
/** 经济来源. */
export const INCOME_SOURCE_LABELS = {
  pension: '养老金',
  children: '子女赡养',
  labor: '劳动收入',
  assistance: '社会救助',
  land: '土地收益',
  savings: '储蓄',
  other: '其他',
} as const;
/** 家庭每月领取养老保险、社会救助和社会福利补贴等情况. */
export const BENEFIT_LABELS = {
  pension: '养老保险金',
  subsistence_allowance: '低保金',
  extreme_poverty_support: '特困供养金',
  old_age_allowance: '高龄津贴',
  disability_subsidy: '残疾人两项补贴',
  care_subsidy: '护理补贴',
  bereaved_family_support: '计划生育特别扶助金',
  other: '其他',
} as const;
/** 四、已享受帮扶情况 帮扶单位(组织). */
export const HELP_UNIT_LABELS = {
  party_government: '党政机关、群团组织',
  township_village: '乡镇(街道)、村(居)民委员会',
  enterprise: '企业',
  social_organization: '社会组织',
  social_worker: '专业社会工作者',
  volunteer: '志愿者',
  other: '其他',
} as const;
/** Ledger states; each change carries an effective date. */
export const ELDER_STATUS_LABELS = {
  active: '在册',
  moved: '迁出',
  institution: '入住机构',
  hospital: '住院',
  deceased: '已故',
} as const;
/** A ledger state. */
export type ElderStatus = keyof typeof ELDER_STATUS_LABELS;
/** 子女 or 其他赡养义务人(扶养人). */
export const SUPPORTER_KIND_LABELS = {
  child: '子女',
  other_supporter: '其他赡养义务人(扶养人)',
} as const;

/** The 56 ethnic groups (民族), in the national standard order (GB 3304). */
export const ETHNICITIES = [
  '汉族',
  '蒙古族',
  '回族',
  '藏族',
  '维吾尔族',
  '苗族',
  '彝族',
  '壮族',
  '布依族',
  '朝鲜族',
  '满族',
  '侗族',
  '瑶族',
  '白族',
  '土家族',
  '哈尼族',
  '哈萨克族',
  '傣族',
  '黎族',
  '傈僳族',
  '佤族',
  '畲族',
  '高山族',
  '拉祜族',
  '水族',
  '东乡族',
  '纳西族',
  '景颇族',
  '柯尔克孜族',
  '土族',
  '达斡尔族',
  '仫佬族',
  '羌族',
  '布朗族',
  '撒拉族',
  '毛南族',
  '仡佬族',
  '锡伯族',
  '阿昌族',
  '普米族',
  '塔吉克族',
  '怒族',
  '乌孜别克族',
  '俄罗斯族',
  '鄂温克族',
  '德昂族',
  '保安族',
  '裕固族',
  '京族',
  '塔塔尔族',
  '独龙族',
  '鄂伦春族',
  '赫哲族',
  '门巴族',
  '珞巴族',
  '基诺族',
  '其他',
] as const;

const GenderSchema = z.enum(['male', 'female'], { error: '性别应为 male（男）或 female（女）' });

/** An ID number checked by GB 11643 (form, check character, real past birth date). */
export const IdNumber = z
  .string({ error: '身份证号必须是字符串' })
  .trim()
  .superRefine((value, ctx) => {
    const r = parseIdNumber(value);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.message });
  })
  .transform((v) => v.toUpperCase());

/** 二、家庭基本情况: one member of the household. */
export const HouseholdMember = z.strictObject({
  name: requiredText('姓名', 50),
  gender: GenderSchema.optional(),
  idNumber: IdNumber.optional(),
  relation: requiredText('与被探访人关系', 20),
  health: oneOf(HEALTH_LABELS, '健康状况').optional(),
  assistance: oneOf(ASSISTANCE_LABELS, '低保/特困').optional(),
  /** Whether the member lives in the elder's home (独居 contradicts a member living in). */
  livesWithElder: z.boolean({ error: '是否同住应为是或否' }),
});

/** 子女信息 / 其他赡养义务人信息: where they work, since when, how often they come home. */
export const Supporter = z.strictObject({
  kind: oneOf(SUPPORTER_KIND_LABELS, '类别'),
  name: requiredText('姓名', 50),
  gender: GenderSchema.optional(),
  idNumber: IdNumber.optional(),
  phone: PhoneNumber.optional(),
  /** 外出地点; empty when at home. */
  workPlace: text('外出地点', 100).optional(),
  /** 外出时间 (since), YYYY-MM; absent when not away. */
  awaySince: YearMonth.optional(),
  /** 回家频率, e.g. 每年春节. */
  returnFrequency: text('回家频率', 50).optional(),
});

/** 临时照料人信息. */
export const Caregiver = z.strictObject({
  name: requiredText('姓名', 50),
  gender: GenderSchema.optional(),
  idNumber: IdNumber.optional(),
  relation: requiredText('与老年人关系', 20),
  address: text('地址', 200).optional(),
  phone: PhoneNumber.optional(),
});

/** 四、已享受帮扶情况. */
export const HelpReceived = z.strictObject({
  unitType: oneOf(HELP_UNIT_LABELS, '帮扶单位类型'),
  unitName: text('帮扶单位名称', 100).optional(),
  responsiblePerson: text('帮扶责任人', 50).optional(),
  measures: text('帮扶措施', 500).optional(),
});

/** 家庭每月领取的养老保险、社会救助和社会福利补贴. */
export const BenefitReceived = z.strictObject({
  kind: oneOf(BENEFIT_LABELS, '补贴类型'),
  monthlyAmount: z
    .number({ error: '金额必须是数字' })
    .min(0, { error: '金额不能为负' })
    .max(100000, { error: '金额过大' })
    .optional(),
  note: text('说明', 100).optional(),
});

/** The fields of an elder record, as entered (create; every field but identity may change). */
export const ElderFields = z.strictObject({
  name: requiredText('姓名', 50),
  idNumber: IdNumber,
  ethnicity: z.enum(ETHNICITIES, { error: '民族应为 56 个民族之一或“其他”' }).optional(),
  /** 户籍所在地. */
  registeredAddress: text('户籍所在地', 200).optional(),
  /** 居住地址: the village (12-digit code) plus the detail. */
  villageCode: z
    .string({ error: '请选择居住地所在村(居)' })
    .regex(/^\d{12}$/, { error: '居住地应为 12 位村(居)级区划代码' }),
  addressDetail: text('详细地址', 200).optional(),
  livesAtRegisteredPlace: z.boolean({ error: '是否居住在户籍所在地应为是或否' }).optional(),
  phone: PhoneNumber.optional(),
  emergencyContact: z
    .strictObject({
      name: requiredText('紧急联系人', 50),
      phone: PhoneNumber,
      relation: text('关系', 20).optional(),
    })
    .optional(),
  disability: z
    .strictObject({
      disabled: z.boolean({ error: '是否残疾应为是或否' }),
      certificateNumber: text('残疾人证号', 30).optional(),
      grade: z
        .union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)], {
          error: '残疾等级应为 1–4 级',
        })
        .optional(),
    })
    .optional(),
  /** Categories chosen by staff; derived ones are added by the rules (ledger-rules.ts). */
  categories: z
    .array(z.enum(CATEGORIES, { error: `类别应为：${CATEGORIES.join('、')}` }))
    .max(10)
    .default([]),
  health: oneOf(HEALTH_LABELS, '健康状况').optional(),
  diseases: text('患病类型', 200).optional(),
  livingSituation: oneOf(LIVING_SITUATION_LABELS, '生活状况').optional(),
  incomeSources: z.array(oneOf(INCOME_SOURCE_LABELS, '经济来源')).max(7).default([]),
  assistance: oneOf(ASSISTANCE_LABELS, '低保/特困').default('none'),
  monthlyHouseholdIncome: z
    .number({ error: '家庭每月收入必须是数字' })
    .min(0, { error: '收入不能为负' })
    .max(1_000_000, { error: '收入过大' })
    .optional(),
  benefits: z.array(BenefitReceived).max(20).default([]),
  livingConditions: z
    .strictObject({
      safeWater: z.boolean({ error: '饮水是否安全应为是或否' }).optional(),
      safeElectricity: z.boolean({ error: '生活用电是否安全应为是或否' }).optional(),
      safeHousing: z.boolean({ error: '住房是否安全应为是或否' }).optional(),
    })
    .default({}),
  householdMembers: z.array(HouseholdMember).max(30).default([]),
  supporters: z.array(Supporter).max(30).default([]),
  caregiver: Caregiver.optional(),
  help: z.array(HelpReceived).max(20).default([]),
  /** Staff override of the computed tier, with the reason. */
  tierOverride: z
    .strictObject({ tier: z.enum(TIERS), reason: requiredText('调整原因', 200) })
    .optional(),
  /** The date the information was collected (摸底日期); defaults to today. */
  recordDate: IsoDate.optional(),
});
/** Input of `POST /api/elders`. */
export type ElderInput = z.input<typeof ElderFields>;
/** Parsed elder fields. */
export type ElderData = z.output<typeof ElderFields>;

/**
 * Input of `PATCH /api/elders/:id`: any field but the ID number (a different person is a new
 * record). On the wire an optional field may also be `null` to clear it (CLEARABLE_ELDER_FIELDS),
 * and a masked number sent back unchanged keeps the stored one.
 */
export const ElderPatch = ElderFields.omit({ idNumber: true }).partial().strict();

/** Input of `POST /api/elders/:id/status`. */
export const ElderStatusChange = z.strictObject({
  status: z.enum(labelled(ELDER_STATUS_LABELS), {
    error: '状态应为：active、moved、institution、hospital、deceased',
  }),
  effectiveDate: IsoDate,
  /** For a move within the system: the new village. */
  villageCode: z
    .string()
    .regex(/^\d{12}$/, { error: '迁入地应为 12 位村(居)级区划代码' })
    .optional(),
  note: text('说明', 200).optional(),
});

/** The gender of a member, from their ID number when given. */
export function genderOf(member: {
  gender?: Gender | undefined;
  idNumber?: string | undefined;
}): Gender | undefined {
  if (member.idNumber) {
    const r = parseIdNumber(member.idNumber);
    if (r.ok) return r.facts.gender;
  }
  return member.gender;
}

/** Query of `GET /api/elders`. */
export const ElderListQuery = z.strictObject({
  region: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, { error: '区划代码格式不正确' })
    .optional(),
  category: z.enum(CATEGORIES, { error: `类别应为：${CATEGORIES.join('、')}` }).optional(),
  tier: z.enum(TIERS, { error: '分级应为 high_risk、key 或 general' }).optional(),
  status: z
    .enum(labelled(ELDER_STATUS_LABELS), {
      error: '状态应为 active、moved、institution、hospital 或 deceased',
    })
    .optional(),
  /** Chinese name (part) or pinyin initials, e.g. zs for 张三. */
  q: z.string().trim().max(30, { error: '搜索词最多 30 个字符' }).optional(),
  page: z.coerce.number({ error: '页码必须是数字' }).int().min(1).max(100000).default(1),
  pageSize: z.coerce.number({ error: '每页条数必须是数字' }).int().min(1).max(200).default(20),
});
/** Query of `GET /api/elders`. */
export type ElderListQuery = z.infer<typeof ElderListQuery>;

/** Body of `POST /api/elders/:id/reveal`: why the full numbers are needed (audit-logged). */
export const RevealInput = z.strictObject({ reason: requiredText('查看原因', 200) });

/** A region reference in responses. */
export interface RegionRef {
  code: string;
  name: string;
  fullName: string;
}

/** One row of the ledger list: personal numbers masked. */
export interface ElderSummaryDto {
  id: string;
  name: string;
  gender: Gender;
  /** Full years. The birth date itself is given only by reveal: with it, the masked ID would be readable. */
  age: number;
  idNumberMasked: string;
  phoneMasked: string | null;
  village: RegionRef;
  categories: Category[];
  tier: Tier;
  status: ElderStatus;
  statusSince: string;
  contradictionCount: number;
  updatedAt: string;
}

/** A status change as kept in the history. */
export interface ElderStatusEntry {
  status: ElderStatus;
  effectiveDate: string;
  villageCode: string;
  note: string | null;
  recordedAt: string;
  recordedBy: string | null;
}

/** One change of the record, for the history. */
export interface ElderChangeEntry {
  at: string;
  by: string | null;
  action: string;
  fields: string[];
}

/**
 * The whole record as the API presents it. ID numbers and phones (the elder's and everyone
 * else's in it) are masked; `POST /api/elders/:id/reveal` gives them in full to roles allowed.
 */
export interface ElderDto extends ElderSummaryDto {
  version: number;
  data: ElderData;
  findings: { category: Category; source: 'derived' | 'suggested' | 'entered'; why: string }[];
  contradictions: { code: string; field: string; message: string }[];
  tierInfo: {
    computed: Tier;
    effective: Tier;
    reasons: string[];
    override?: { tier: Tier; reason: string };
  };
  statusHistory: ElderStatusEntry[];
  changes: ElderChangeEntry[];
  /** Same name and birth date in the same township (可能重复). */
  possibleDuplicates: { id: string; name: string; village: RegionRef }[];
  createdAt: string;
}

/** Full personal numbers, from `POST /api/elders/:id/reveal`. */
export interface ElderRevealDto {
  idNumber: string;
  birthDate: string;
  phone: string | null;
  emergencyContactPhone: string | null;
  householdMembers: { name: string; idNumber: string | null }[];
  supporters: { name: string; idNumber: string | null; phone: string | null }[];
  caregiver: { name: string; idNumber: string | null; phone: string | null } | null;
}

/** The answer to a move that takes the record out of the mover's jurisdiction. */
export interface ElderMovedDto {
  id: string;
  movedOutOfJurisdiction: true;
  village: RegionRef;
}

/** Optional fields that `PATCH /api/elders/:id` clears when sent as null. */
export const CLEARABLE_ELDER_FIELDS = [
  'ethnicity',
  'registeredAddress',
  'addressDetail',
  'livesAtRegisteredPlace',
  'phone',
  'emergencyContact',
  'disability',
  'health',
  'diseases',
  'livingSituation',
  'monthlyHouseholdIncome',
  'caregiver',
  'tierOverride',
] as const;
