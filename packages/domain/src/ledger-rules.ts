/**
 * 台账规则 (ledger rules): what an elder record implies. Age and gender come from the ID number;
 * some categories follow from the data (derived), some are likely and left to staff (suggested);
 * entered categories that the data contradict are flagged; the care tier follows from the final
 * categories. Pure functions, no I/O. See docs/rules.md.
 *
 * Sources cited below:
 * - 丹东 2023: 丹民发〔2023〕61号《丹东市特殊困难老年人探访关爱服务实施方案》, 附件2 有关名词解释,
 *   and its 探访关爱服务记录表 (附件1).
 * - 海南 2018: 琼民发〔2018〕13号, 农村留守老年人信息采集表.
 * - 鞍山 2020: 鞍民发〔2020〕30号《鞍山市农村留守等老年人定期巡访实施方案》.
 * - 2022 指导意见: 民政部等 10 部门《关于开展特殊困难老年人探访关爱服务的指导意见》(2022).
 */
import {
  ASSISTANCE_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  TIERS,
  type Category,
  type ElderData,
  type Tier,
} from './elder.js';
import { ageOn, parseIdNumber, type Gender } from './idcard.js';

/** 丹东 2023 附件2: 老年人 = 60 周岁（含）以上. */
export const MIN_ELDER_AGE = 60;
/** Age from which an elder is 高龄 (this system's threshold; the source documents name 高龄 but do not define it). */
export const VERY_OLD_AGE = 80;
/** 丹东 2023 附件2: 留守 = all children away 长期（通常半年以上）; counted in whole calendar months. */
export const LEFT_BEHIND_MONTHS = 6;

/** A category of the elder and why it applies. */
export interface CategoryFinding {
  category: Category;
  /** 'derived': follows from the data, applied automatically; 'suggested': likely, staff confirm; 'entered': chosen by staff */
  source: 'derived' | 'suggested' | 'entered';
  /** Chinese sentence citing the document's definition and the data. */
  why: string;
}

/** Entered data that disagree with each other; flagged, not refused. */
export interface Contradiction {
  /** Stable code, e.g. 'living_alone_with_member'. */
  code: string;
  /** Path in ElderData, e.g. 'categories' or 'disability'. */
  field: string;
  /** Chinese message naming the data and the definition. */
  message: string;
}

/** The computed care tier, the one in force, and why. */
export interface TierResult {
  computed: Tier;
  effective: Tier;
  /** Chinese sentences naming what made the computed tier. */
  reasons: string[];
  override?: { tier: Tier; reason: string };
}

/** Everything the rules say about one elder record. */
export interface ElderEvaluation {
  /** From the ID number, YYYY-MM-DD. */
  birthDate: string;
  /** From the ID number. */
  gender: Gender;
  /** Full years on the record date. */
  age: number;
  /** Final set: entered ∪ derived (not suggested), in CATEGORIES order, no duplicates. */
  categories: Category[];
  /** One per category in `categories` plus the suggested ones, in CATEGORIES order. */
  findings: CategoryFinding[];
  contradictions: Contradiction[];
  tier: TierResult;
}

/** Errors that refuse the record (field + Chinese message). */
export interface RuleError {
  field: string;
  message: string;
}

// The definitions, quoted from 丹东 2023 附件2 有关名词解释.
const DEF = {
  elder: '丹东 2023 附件2：老年人是指年龄在 60 周岁（含 60 周岁）以上的公民',
  living_alone: '丹东 2023 附件2：独居老人是指丧偶，子女不在身边的老年人',
  empty_nest: '丹东 2023 附件2：空巢老人是指子女离家后，独自居住的老年夫妇',
  left_behind:
    '丹东 2023 附件2：留守老人是指因子女（全部子女）长期（通常半年以上）离开户籍地进入城镇务工或经商或从事其他生产经营活动而在家留守的老年人',
  incapacitated: '丹东 2023 附件2：失能老人是指丧失生活自理能力的老年人',
  severely_disabled:
    '丹东 2023 附件2：重残老人是指持有第二代《中华人民共和国残疾人证》，残疾等级为一级、二级的老年人',
  very_old: '高龄为 80 周岁（含）以上；鞍山 2020 将高龄列为巡访重点保障对象',
  assistance:
    '丹东 2023 记录表 家庭基本情况：是否为低保对象 / 特困人员；海南 2018 信息采集表：是否享受低保',
  health: '海南 2018 信息采集表 健康状况：健康、部分失能、失能',
} as const;

const GRADE_NUMERALS = { 1: '一', 2: '二', 3: '三', 4: '四' } as const;

const label = (c: Category) => CATEGORY_LABELS[c];
const labels = (cs: readonly Category[]) => cs.map(label).join('、');

/** Whether `relation` (与被探访人关系) names the elder's spouse: 配偶, 老伴, 妻子, 丈夫, 爱人… but not 妻弟, 姐夫 or 前妻. */
export function isSpouseRelation(relation: string): boolean {
  const r = relation.trim();
  if (/配偶|老伴/.test(r) && !/前/.test(r)) return true;
  return /^(妻|妻子|夫|丈夫|爱人|老公|老婆|夫人)$/.test(r);
}

/** Whether `relation` names a son or daughter of the elder: 儿子, 女儿, 长子, 次女, 养子, 继女… but not 女婿 or 孙子. */
export function isChildRelation(relation: string): boolean {
  return /^([长次大二三四五六小幼]?(儿子|女儿|子|女)|儿|养子|养女|继子|继女)$/.test(
    relation.trim(),
  );
}

/** Months since year 0 of a YYYY-MM or YYYY-MM-DD string. */
function monthIndex(date: string): number {
  return Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
}

/** Throws on a malformed record date: a programming error, not the user's. */
function assertIsoDate(date: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) {
    throw new RangeError(`recordDate must be a real date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
}

const nameOf = (name: string, relation?: string) => (relation ? `${name}（${relation}）` : name);

/** Whether each child is away long enough for 留守, and the children that are not. */
function childrenAway(data: ElderData, recordDate: string) {
  const children = data.supporters.filter((s) => s.kind === 'child');
  const limit = monthIndex(recordDate) - LEFT_BEHIND_MONTHS;
  // 丹东 2023 附件2: 留守 = 全部子女 长期（通常半年以上）离开户籍地; compared by month.
  const notAway = children
    .filter((c) => c.awaySince === undefined || monthIndex(c.awaySince) > limit)
    .map((c) =>
      c.awaySince === undefined
        ? `${c.name}未登记外出时间`
        : `${c.name}自 ${c.awaySince} 起外出，至 ${recordDate} 不满半年`,
    );
  // A son or daughter listed as a household member living in is not away either.
  for (const m of data.householdMembers) {
    if (m.livesWithElder && isChildRelation(m.relation)) {
      notAway.push(`${nameOf(m.name, m.relation)}与老人同住`);
    }
  }
  return { children, notAway };
}

/** The household members living with the elder. */
const livingIn = (data: ElderData) => data.householdMembers.filter((m) => m.livesWithElder);

/** Every category finding in CATEGORIES order: derived from the data, else entered by staff, else suggested for staff to confirm. */
export function deriveCategories(
  data: ElderData,
  age: number,
  recordDate: string,
): CategoryFinding[] {
  assertIsoDate(recordDate);
  const derived = new Map<Category, string>();

  // 丹东 2023 附件2: 重残 = 第二代《残疾人证》残疾等级一级、二级.
  const grade = data.disability?.grade;
  if (data.disability?.disabled && (grade === 1 || grade === 2)) {
    derived.set(
      'severely_disabled',
      `残疾等级为${GRADE_NUMERALS[grade]}级（${DEF.severely_disabled}）`,
    );
  }

  // 高龄 = 80 周岁（含）以上 (system threshold; 鞍山 2020 names 高龄 a priority).
  if (age >= VERY_OLD_AGE) {
    derived.set('very_old', `按身份证号，${recordDate} 已满 ${age} 周岁（${DEF.very_old}）`);
  }

  // 丹东 2023 附件2: 留守 = all children away ≥ half a year.
  const { children, notAway } = childrenAway(data, recordDate);
  if (children.length > 0 && notAway.length === 0) {
    const list = children.map((c) => `${c.name} ${c.awaySince} 起`).join('、');
    derived.set(
      'left_behind',
      `全部 ${children.length} 名子女均已外出半年以上：${list}（${DEF.left_behind}）`,
    );
  }

  // 海南 2018 信息采集表 健康状况 失能; 丹东 2023 附件2: 失能 = 丧失生活自理能力.
  if (data.health === 'disabled') {
    derived.set('incapacitated', `健康状况为“失能”（${DEF.incapacitated}）`);
  }

  // 丹东 2023 记录表 二、家庭基本情况: 是否为低保对象 / 特困人员; 海南 2018 信息采集表: 是否享受低保.
  if (data.assistance === 'extreme_poverty') {
    derived.set('extreme_poverty', `“低保/特困”一栏为特困人员（${DEF.assistance}）`);
  }
  if (data.assistance === 'subsistence') {
    derived.set('subsistence', `“低保/特困”一栏为低保对象（${DEF.assistance}）`);
  }

  const entered = new Set(data.categories);
  const suggested = new Map<Category, string>();
  const inHome = livingIn(data);

  // 丹东 2023 附件2: 独居 = 丧偶，子女不在身边 — only the household is known here, so staff confirm.
  if (!entered.has('living_alone') && inHome.length === 0) {
    suggested.set(
      'living_alone',
      `没有登记与老人同住的家庭成员，可能属于独居，请核实老人是否丧偶、子女是否不在身边（${DEF.living_alone}）`,
    );
  }

  // 丹东 2023 附件2: 空巢 = 子女离家后独自居住的老年夫妇.
  if (
    !entered.has('empty_nest') &&
    inHome.length > 0 &&
    inHome.every((m) => isSpouseRelation(m.relation)) &&
    children.length > 0
  ) {
    const spouses = inHome.map((m) => nameOf(m.name, m.relation)).join('、');
    suggested.set(
      'empty_nest',
      `与老人同住的只有配偶${spouses}，登记有子女且子女不在家中同住，可能属于空巢，请核实（${DEF.empty_nest}）`,
    );
  }

  const findings: CategoryFinding[] = [];
  for (const category of CATEGORIES) {
    const why = derived.get(category);
    if (why !== undefined) findings.push({ category, source: 'derived', why });
    else if (entered.has(category))
      findings.push({ category, source: 'entered', why: '由工作人员认定' });
    else {
      const hint = suggested.get(category);
      if (hint !== undefined) findings.push({ category, source: 'suggested', why: hint });
    }
  }
  return findings;
}

/** The final categories (entered ∪ derived) from the findings, in CATEGORIES order. */
const finalCategories = (findings: CategoryFinding[]) =>
  findings.filter((f) => f.source !== 'suggested').map((f) => f.category);

/** Entered categories and data that disagree with each other (flagged for staff, the record is kept). */
export function findContradictions(
  data: ElderData,
  age: number,
  recordDate: string,
): Contradiction[] {
  assertIsoDate(recordDate);
  const out: Contradiction[] = [];
  const flag = (code: string, field: string, message: string) => out.push({ code, field, message });
  const entered = new Set(data.categories);
  const inHome = livingIn(data);
  const members = (ms: typeof inHome) => ms.map((m) => nameOf(m.name, m.relation)).join('、');

  // 丹东 2023 附件2: 独居 = 丧偶，子女不在身边.
  if (entered.has('living_alone') && inHome.length > 0) {
    flag(
      'living_alone_with_member',
      'categories',
      `已选择独居，但家庭成员${members(inHome)}与老人同住（${DEF.living_alone}）`,
    );
  }

  // 丹东 2023 附件2: 空巢 = 独自居住的老年夫妇.
  if (entered.has('empty_nest')) {
    const others = inHome.filter((m) => !isSpouseRelation(m.relation));
    if (others.length > 0) {
      flag(
        'empty_nest_with_others',
        'categories',
        `已选择空巢，但配偶以外的家庭成员${members(others)}与老人同住（${DEF.empty_nest}）`,
      );
    }
    if (!inHome.some((m) => isSpouseRelation(m.relation))) {
      flag(
        'empty_nest_without_spouse',
        'categories',
        `已选择空巢，但没有登记与老人同住的配偶（${DEF.empty_nest}）`,
      );
    }
  }

  if (entered.has('living_alone') && entered.has('empty_nest')) {
    flag(
      'living_alone_and_empty_nest',
      'categories',
      `独居和空巢不能同时选择（${DEF.living_alone}；空巢老人是指子女离家后，独自居住的老年夫妇）`,
    );
  }

  // 丹东 2023 附件2: 重残 = 持第二代残疾人证，一级、二级.
  const disability = data.disability;
  if (entered.has('severely_disabled')) {
    if (!disability?.disabled) {
      flag(
        'severely_disabled_not_disabled',
        'categories',
        `已选择重残，但“是否残疾”未选“是”（${DEF.severely_disabled}）`,
      );
    } else if (disability.grade === 3 || disability.grade === 4) {
      flag(
        'severely_disabled_grade',
        'categories',
        `已选择重残，但残疾等级为${GRADE_NUMERALS[disability.grade]}级（${DEF.severely_disabled}）`,
      );
    }
  }
  const severe =
    entered.has('severely_disabled') ||
    (disability?.disabled === true && (disability.grade === 1 || disability.grade === 2));
  if (severe && disability?.disabled && !disability.certificateNumber) {
    flag(
      'severely_disabled_without_certificate',
      'disability.certificateNumber',
      `重残老人应持有残疾人证，但未填写残疾人证号（${DEF.severely_disabled}）`,
    );
  }
  if (
    disability?.disabled === false &&
    (disability.grade !== undefined || disability.certificateNumber)
  ) {
    const given = [
      disability.grade !== undefined ? `残疾等级${GRADE_NUMERALS[disability.grade]}级` : '',
      disability.certificateNumber ? `残疾人证号 ${disability.certificateNumber}` : '',
    ].filter(Boolean);
    flag(
      'disability_details_without_disability',
      'disability',
      `“是否残疾”选了“否”，却填写了${given.join('和')}`,
    );
  }

  // 丹东 2023 附件2: 留守 = 全部子女长期（通常半年以上）离开户籍地.
  if (entered.has('left_behind')) {
    const { children, notAway } = childrenAway(data, recordDate);
    if (children.length === 0) {
      flag(
        'left_behind_no_children',
        'categories',
        `已选择留守，但没有登记子女（${DEF.left_behind}）`,
      );
    } else if (notAway.length > 0) {
      flag(
        'left_behind_child_not_away',
        'categories',
        `已选择留守，但${notAway.join('；')}（${DEF.left_behind}）`,
      );
    }
  }

  // 丹东 2023 附件2: 失能 = 丧失生活自理能力; 海南 2018 健康状况.
  if (entered.has('incapacitated') && data.health === 'healthy') {
    flag(
      'incapacitated_but_healthy',
      'categories',
      `已选择失能，但健康状况为“健康”（${DEF.incapacitated}）`,
    );
  }

  if (entered.has('very_old') && age < VERY_OLD_AGE) {
    flag(
      'very_old_under_80',
      'categories',
      `已选择高龄，但按身份证号老人在 ${recordDate} 为 ${age} 周岁，未满 80 周岁（${DEF.very_old}）`,
    );
  }

  // 丹东 2023 记录表 二、家庭基本情况: 是否为低保对象 / 特困人员 — one answer, so the category must match it.
  const assistance = ASSISTANCE_LABELS[data.assistance];
  for (const c of ['subsistence', 'extreme_poverty'] as const) {
    if (entered.has(c) && data.assistance !== c) {
      flag(
        `${c}_mismatch`,
        'categories',
        `已选择${label(c)}，但“低保/特困”一栏为“${assistance}”（${DEF.assistance}）`,
      );
    }
  }

  return out;
}

const KEY_CATEGORIES: readonly Category[] = [
  'living_alone',
  'empty_nest',
  'left_behind',
  'incapacitated',
  'severely_disabled',
  'bereaved_family',
  'extreme_poverty',
  'subsistence',
  'very_old',
];

const CONDITION_LABELS = {
  safeHousing: '住房',
  safeElectricity: '生活用电',
  safeWater: '饮水',
} as const;

/** The care tier (高风险 weekly, 重点 monthly, 一般 quarterly) from the final categories; data.tierOverride takes effect. */
export function computeTier(categories: Category[], data: ElderData, age: number): TierResult {
  const has = new Set(categories);
  const pick = (cs: readonly Category[]) => cs.filter((c) => has.has(c));
  const reasons: string[] = [];

  const frail = pick(['incapacitated', 'severely_disabled']);
  const alone = pick(['living_alone', 'empty_nest', 'left_behind']);
  if (frail.length > 0 && alone.length > 0) {
    reasons.push(`${labels(frail)}老人同时为${labels(alone)}老人，身边缺少家人照料`);
  }
  if (has.has('extreme_poverty') && has.has('incapacitated')) {
    reasons.push('特困人员同时失能');
  }
  if (age >= VERY_OLD_AGE && has.has('living_alone')) {
    reasons.push(`${age} 周岁高龄老人独居`);
  }
  const unattended = pick(['living_alone', 'left_behind']);
  const unsafe = (Object.keys(CONDITION_LABELS) as (keyof typeof CONDITION_LABELS)[])
    .filter((k) => data.livingConditions[k] === false)
    .map((k) => CONDITION_LABELS[k]);
  if (unattended.length > 0 && unsafe.length > 0) {
    reasons.push(`${labels(unattended)}老人的${unsafe.join('、')}不安全`);
  }

  let computed: Tier;
  if (reasons.length > 0) computed = 'high_risk';
  else {
    const key = pick(KEY_CATEGORIES);
    if (key.length > 0) {
      computed = 'key';
      reasons.push(`属于特殊困难老年人类别：${labels(key)}`);
    } else {
      computed = 'general';
      reasons.push(`不属于${labels(KEY_CATEGORIES)}等特殊困难老年人类别`);
    }
  }

  const override = data.tierOverride;
  return override
    ? {
        computed,
        effective: override.tier,
        reasons,
        override: { tier: override.tier, reason: override.reason },
      }
    : { computed, effective: computed, reasons };
}

/** Most urgent first: 0 = 高风险, 1 = 重点, 2 = 一般. */
export function tierRank(tier: Tier): number {
  return TIERS.indexOf(tier);
}

/** Applies every rule as of recordDate (YYYY-MM-DD): refuses a bad ID number or an age under 60, else evaluates. */
export function evaluateElder(
  data: ElderData,
  recordDate: string,
): { ok: true; evaluation: ElderEvaluation } | { ok: false; errors: RuleError[] } {
  assertIsoDate(recordDate);
  const parsed = parseIdNumber(data.idNumber, recordDate);
  if (!parsed.ok) return { ok: false, errors: [{ field: 'idNumber', message: parsed.message }] };
  const { birthDate, gender } = parsed.facts;
  const age = ageOn(birthDate, recordDate);
  // 丹东 2023 附件2: 老年人 = 60 周岁（含）以上.
  if (age < MIN_ELDER_AGE) {
    return {
      ok: false,
      errors: [
        {
          field: 'idNumber',
          message: `该人员在 ${recordDate} 为 ${age} 周岁，未满 ${MIN_ELDER_AGE} 周岁，不属于老年人（${DEF.elder}）`,
        },
      ],
    };
  }
  const findings = deriveCategories(data, age, recordDate);
  const categories = finalCategories(findings);
  return {
    ok: true,
    evaluation: {
      birthDate,
      gender,
      age,
      categories,
      findings,
      contradictions: findContradictions(data, age, recordDate),
      tier: computeTier(categories, data, age),
    },
  };
}
