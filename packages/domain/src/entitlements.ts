/**
 * 权益提示 (entitlement hints): gaps in the ledger that suggest an elder may qualify for a benefit
 * they do not receive. 丹东 2023 (二、(四)): 对可能符合相关社会保障政策待遇条件的特殊困难老年人，
 * 告知其依法申请 — so each hint names its rule and asks staff to tell the elder to apply; it is
 * never a decision on eligibility, which belongs to the agency that grants the benefit. Staff may
 * dismiss a hint with a reason. The rules read the 记录表 三 row 家庭每月领取养老保险、社会救助和
 * 社会福利补贴 (`benefits`), the categories (附件2), the disability grade, the health, the
 * 低保/特困 status and the age. Pure functions; see docs/rules.md (权益提示).
 */
import { z } from 'zod';
import type {
  BENEFIT_LABELS,
  Category,
  ElderData,
  HEALTH_LABELS,
  LIVING_SITUATION_LABELS,
} from './elder.js';
import { VERY_OLD_AGE } from './ledger-rules.js';
import { requiredText } from './schema-helpers.js';

/** What the rules read of an elder: the age today, the final categories and part of the record. */
export interface EntitlementSubject {
  /** Full years today. */
  age: number;
  categories: readonly Category[];
  data: {
    disability?: ElderData['disability'];
    health?: keyof typeof HEALTH_LABELS | undefined;
    livingSituation?: keyof typeof LIVING_SITUATION_LABELS | undefined;
    assistance?: ElderData['assistance'] | undefined;
    benefits?: readonly { kind: keyof typeof BENEFIT_LABELS }[] | undefined;
  };
}

/** The reason recorded when staff told the elder to apply (已告知). */
export const ENTITLEMENT_TOLD_REASON = '已告知其依法申请';

/** One rule: its key, its Chinese name, where it comes from, and when it fires. */
interface EntitlementRule {
  key: EntitlementRuleKey;
  name: string;
  /** The policy the benefit rests on (docs/rules.md). */
  basis: string;
  applies: (s: EntitlementSubject) => boolean;
  /** What staff read: the gap found, ending with 告知其依法申请. */
  message: (s: EntitlementSubject) => string;
}

/** The rule keys (stable: dismissals are stored by key). */
export const ENTITLEMENT_RULE_KEYS = [
  'severe_disability_subsidy',
  'old_age_allowance',
  'extreme_poverty_support',
  'incapacity_care_subsidy',
  'subsistence_allowance',
  'bereaved_family_support',
  'poor_disability_subsidy',
  'poverty_assistance',
] as const;
/** A rule key. */
export type EntitlementRuleKey = (typeof ENTITLEMENT_RULE_KEYS)[number];

const receives = (s: EntitlementSubject, kind: keyof typeof BENEFIT_LABELS) =>
  (s.data.benefits ?? []).some((b) => b.kind === kind);
const has = (s: EntitlementSubject, c: Category) => s.categories.includes(c);
const grade = (s: EntitlementSubject) =>
  s.data.disability?.disabled ? s.data.disability.grade : undefined;
/** 重残: the category, or a certificate of grade 1 or 2 (丹东 2023 附件2). */
const severelyDisabled = (s: EntitlementSubject) =>
  has(s, 'severely_disabled') || grade(s) === 1 || grade(s) === 2;
const extremePoverty = (s: EntitlementSubject) =>
  s.data.assistance === 'extreme_poverty' || has(s, 'extreme_poverty');
const subsistence = (s: EntitlementSubject) =>
  s.data.assistance === 'subsistence' || has(s, 'subsistence');
const incapacitated = (s: EntitlementSubject) =>
  s.data.health === 'disabled' || has(s, 'incapacitated');
const APPLY = '请告知其依法申请';

/** The rules, in the order hints are shown. */
export const ENTITLEMENT_RULES: readonly EntitlementRule[] = [
  {
    key: 'severe_disability_subsidy',
    name: '重残未享受残疾人两项补贴',
    basis: '国发〔2015〕52号 困难残疾人生活补贴和重度残疾人护理补贴（残疾人两项补贴）',
    applies: (s) => severelyDisabled(s) && !receives(s, 'disability_subsidy'),
    message: (s) =>
      `该老年人为重残${grade(s) ? `（残疾等级${grade(s) === 1 ? '一' : '二'}级）` : ''}，未登记领取残疾人两项补贴（重度残疾人护理补贴），${APPLY}。`,
  },
  {
    key: 'old_age_allowance',
    name: '高龄未享受高龄津贴',
    basis: '财社〔2014〕113号 经济困难的高龄、失能等老年人补贴制度；各地高龄津贴办法',
    applies: (s) => s.age >= VERY_OLD_AGE && !receives(s, 'old_age_allowance'),
    message: (s) => `该老年人已满 ${s.age} 周岁，未登记领取高龄津贴，${APPLY}。`,
  },
  {
    key: 'extreme_poverty_support',
    name: '特困人员未登记救助供养',
    basis: '《社会救助暂行办法》第三章 特困人员供养；国发〔2016〕14号 特困人员救助供养制度',
    applies: (s) => extremePoverty(s) && !receives(s, 'extreme_poverty_support'),
    message: () =>
      `该老年人为特困人员，台账未登记特困供养金（基本生活、照料护理），请核实供养是否落实；如未落实，${APPLY}。`,
  },
  {
    key: 'incapacity_care_subsidy',
    name: '失能未享受护理补贴',
    basis: '财社〔2014〕113号 经济困难的高龄、失能等老年人补贴制度（护理补贴）',
    applies: (s) =>
      incapacitated(s) && !receives(s, 'care_subsidy') && !receives(s, 'disability_subsidy'),
    message: () => `该老年人失能，未登记领取护理补贴，${APPLY}。`,
  },
  {
    key: 'subsistence_allowance',
    name: '低保对象未登记低保金',
    basis: '《社会救助暂行办法》第二章 最低生活保障',
    applies: (s) => subsistence(s) && !extremePoverty(s) && !receives(s, 'subsistence_allowance'),
    message: () =>
      `该老年人家庭为低保对象，台账未登记领取低保金，请核实是否按月发放；如未发放，${APPLY}。`,
  },
  {
    key: 'bereaved_family_support',
    name: '计划生育特殊家庭未享受特别扶助金',
    basis:
      '计划生育家庭特别扶助制度（国家卫生计生委等《关于进一步做好计划生育特殊困难家庭扶助工作的通知》，2013）',
    applies: (s) => has(s, 'bereaved_family') && !receives(s, 'bereaved_family_support'),
    message: () => `该老年人属计划生育特殊家庭，未登记领取计划生育特别扶助金，${APPLY}。`,
  },
  {
    key: 'poor_disability_subsidy',
    name: '困难残疾人未享受生活补贴',
    basis: '国发〔2015〕52号 困难残疾人生活补贴（低保家庭中的残疾人）',
    applies: (s) =>
      Boolean(s.data.disability?.disabled) &&
      !severelyDisabled(s) &&
      (subsistence(s) || extremePoverty(s)) &&
      !receives(s, 'disability_subsidy'),
    message: () => `该老年人持残疾人证且为低保或特困对象，未登记领取困难残疾人生活补贴，${APPLY}。`,
  },
  {
    key: 'poverty_assistance',
    name: '生活贫困未纳入低保或特困',
    basis: '《社会救助暂行办法》第二章 最低生活保障、第三章 特困人员供养',
    applies: (s) => s.data.livingSituation === 'poor' && !subsistence(s) && !extremePoverty(s),
    message: () =>
      `该老年人生活状况为贫困，尚未纳入低保或特困供养，可能符合社会救助条件，${APPLY}。`,
  },
];

/** A hint: the rule it comes from and what staff read. */
export interface EntitlementHint {
  rule: EntitlementRuleKey;
  name: string;
  message: string;
  basis: string;
}

/** The hints for an elder, in rule order (an empty list when the ledger shows no gap). */
export function entitlementHints(subject: EntitlementSubject): EntitlementHint[] {
  return ENTITLEMENT_RULES.filter((r) => r.applies(subject)).map((r) => ({
    rule: r.key,
    name: r.name,
    message: r.message(subject),
    basis: r.basis,
  }));
}

/** The Chinese name of a rule. */
export function entitlementRuleName(key: EntitlementRuleKey): string {
  return ENTITLEMENT_RULES.find((r) => r.key === key)!.name;
}

/** Body of `POST /api/elders/:id/entitlement-hints/dismissals`: dismiss a hint, with the reason. */
export const EntitlementDismissalInput = z.strictObject({
  rule: z.enum(ENTITLEMENT_RULE_KEYS, { error: '提示规则不存在' }),
  reason: requiredText('忽略原因', 200),
});
/** Input of a dismissal. */
export type EntitlementDismissalInput = z.input<typeof EntitlementDismissalInput>;

/** A hint as the API presents it; `dismissed` when staff dismissed it (listed on request). */
export interface EntitlementHintDto extends EntitlementHint {
  dismissed: { reason: string; at: string; by: string | null } | null;
}

/** `GET /api/elders/:id/entitlement-hints`: the hints in force, and the dismissed ones if asked. */
export interface EntitlementHintsDto {
  items: EntitlementHintDto[];
  /** Hints whose rule still applies but staff dismissed (only with `?dismissed=true`). */
  dismissed: EntitlementHintDto[];
  /** How many were dismissed (always given). */
  dismissedCount: number;
}

/** Query of `GET /api/elders/:id/entitlement-hints`: `dismissed=true` lists the dismissed ones too. */
export const EntitlementHintsQuery = z.strictObject({
  dismissed: z
    .enum(['true', 'false'], { error: '是否列出已忽略的提示应为 true 或 false' })
    .optional(),
});
