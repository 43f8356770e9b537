/**
 * Ledger completeness (台账完整): which fields of an elder record the forms require, and which of
 * them a record lacks. One rule for the 绩效考评 indicator (scorecards) and the ledger-completeness
 * report (reports), so both count the same thing.
 *
 * The fields are those the two forms the ledger follows ask of every elder — 海南 2018 农村留守老年人
 * 信息采集表 (sections 1–4) and 丹东 2023 探访关爱服务记录表 (一 to 三) — plus the ones a form asks
 * only in a case (残疾人证号 of a disabled elder; 子女外出 and 临时照料人 of a 留守 elder; at least one
 * 子女或其他赡养人 of every elder but 特困 and 计划生育特殊家庭, and the phone of each listed). Name, ID
 * number (and with it gender and birth date), village and 低保/特困 are required by the record's own
 * schema and always present, so they are not listed.
 */

/** The required fields, by stable code, with the form's words. */
export const COMPLETENESS_FIELD_LABELS = {
  ethnicity: '民族',
  registeredAddress: '户籍所在地',
  addressDetail: '居住地址',
  livesAtRegisteredPlace: '是否居住在户籍所在地',
  phone: '联系电话',
  emergencyContact: '紧急联系人及电话',
  disability: '是否残疾',
  disabilityCertificate: '残疾人证号',
  disabilityGrade: '残疾等级',
  health: '健康状况',
  livingSituation: '生活状况',
  incomeSources: '经济来源',
  safeWater: '饮水是否安全',
  safeElectricity: '生活用电是否安全',
  safeHousing: '住房是否安全',
  monthlyHouseholdIncome: '家庭每月收入',
  supporters: '子女或其他赡养人',
  supporterPhones: '子女及赡养人联系电话',
  childrenAway: '子女外出地点及外出时间',
  caregiver: '临时照料人',
} as const;
/** A required field's code. */
export type CompletenessField = keyof typeof COMPLETENESS_FIELD_LABELS;

/** Where each required field comes from, and when it is asked (for docs and the UI's tooltips). */
export const COMPLETENESS_FIELD_SOURCES: Record<CompletenessField, string> = {
  ethnicity: '海南 2018 信息采集表 1.老年人信息',
  registeredAddress: '海南 2018 信息采集表 1.老年人信息',
  addressDetail: '海南 2018 信息采集表 1.老年人信息 居住地址',
  livesAtRegisteredPlace: '丹东 2023 记录表 一、探访对象基本情况',
  phone: '海南 2018 信息采集表 1; 丹东 2023 记录表 一',
  emergencyContact: '丹东 2023 记录表 一、探访对象基本情况',
  disability: '丹东 2023 记录表 一、探访对象基本情况',
  disabilityCertificate: '丹东 2023 记录表 一 (残疾的老年人)',
  disabilityGrade: '丹东 2023 附件2 重残 (残疾的老年人)',
  health: '海南 2018 信息采集表 1.老年人信息',
  livingSituation: '海南 2018 信息采集表 1.老年人信息',
  incomeSources: '海南 2018 信息采集表 1.老年人信息',
  safeWater: '丹东 2023 记录表 三、家庭生活条件',
  safeElectricity: '丹东 2023 记录表 三、家庭生活条件',
  safeHousing: '丹东 2023 记录表 三、家庭生活条件',
  monthlyHouseholdIncome: '丹东 2023 记录表 三、家庭生活条件',
  supporters: '海南 2018 信息采集表 2.子女信息、3.其他赡养义务人信息 (特困、计划生育特殊家庭除外)',
  supporterPhones: '海南 2018 信息采集表 2、3 (登记了子女或赡养人时)',
  childrenAway: '海南 2018 信息采集表 2 (留守老年人)',
  caregiver: '海南 2018 信息采集表 4 (留守老年人)',
};

/** Every required field code, in the forms' order. */
export const COMPLETENESS_FIELDS = Object.keys(COMPLETENESS_FIELD_LABELS) as CompletenessField[];

/**
 * What the rule reads of a record: the stored record (`data`: the elder's fields without their
 * own ID and phone, nested numbers possibly sealed — only presence matters), whether the elder's
 * own phone is on file (kept apart from `data`), and the final categories (entered ∪ derived).
 * `data` is read defensively: a record stored before a field existed simply lacks it.
 */
export interface LedgerCompletenessFacts {
  data: Readonly<Record<string, unknown>>;
  hasPhone: boolean;
  categories: readonly string[];
}

const filled = (v: unknown): boolean =>
  typeof v === 'string' ? v.trim() !== '' : v !== undefined && v !== null;
const record = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const list = (v: unknown): Record<string, unknown>[] =>
  Array.isArray(v) ? v.map(record).filter((x): x is Record<string, unknown> => x !== null) : [];

/**
 * Elders of whom no supporter is asked: 特困人员 have none by definition (《社会救助暂行办法》第十四条:
 * 无法定赡养、抚养、扶养义务人或者其法定义务人无履行能力), and a 计划生育特殊家庭 lost or has a
 * disabled only child (丹东 2023 附件2) — for them a supporter row is entered when there is one.
 */
function withoutSupporters(facts: LedgerCompletenessFacts): boolean {
  return (
    facts.data['assistance'] === 'extreme_poverty' ||
    facts.categories.includes('extreme_poverty') ||
    facts.categories.includes('bereaved_family')
  );
}

/**
 * For each field that applies to the record, whether it is filled. A field asked only in a case
 * (a disabled elder's certificate, a 留守 elder's children away and caregiver, the phones of the
 * supporters listed) applies only then.
 */
export function ledgerFieldChecks(
  facts: LedgerCompletenessFacts,
): { field: CompletenessField; filled: boolean }[] {
  const d = facts.data;
  const disability = record(d['disability']);
  const disabled = disability?.['disabled'] === true;
  const conditions = record(d['livingConditions']) ?? {};
  const contact = record(d['emergencyContact']);
  const supporters = list(d['supporters']);
  const children = supporters.filter((s) => s['kind'] === 'child');
  const leftBehind = facts.categories.includes('left_behind');
  const incomeSources = d['incomeSources'];
  const out: { field: CompletenessField; filled: boolean }[] = [
    { field: 'ethnicity', filled: filled(d['ethnicity']) },
    { field: 'registeredAddress', filled: filled(d['registeredAddress']) },
    { field: 'addressDetail', filled: filled(d['addressDetail']) },
    { field: 'livesAtRegisteredPlace', filled: typeof d['livesAtRegisteredPlace'] === 'boolean' },
    { field: 'phone', filled: facts.hasPhone },
    {
      field: 'emergencyContact',
      filled: contact !== null && filled(contact['name']) && filled(contact['phone']),
    },
    { field: 'disability', filled: typeof disability?.['disabled'] === 'boolean' },
  ];
  if (disabled) {
    out.push({ field: 'disabilityCertificate', filled: filled(disability['certificateNumber']) });
    out.push({ field: 'disabilityGrade', filled: filled(disability['grade']) });
  }
  out.push(
    { field: 'health', filled: filled(d['health']) },
    { field: 'livingSituation', filled: filled(d['livingSituation']) },
    {
      field: 'incomeSources',
      filled: Array.isArray(incomeSources) && incomeSources.length > 0,
    },
    { field: 'safeWater', filled: typeof conditions['safeWater'] === 'boolean' },
    { field: 'safeElectricity', filled: typeof conditions['safeElectricity'] === 'boolean' },
    { field: 'safeHousing', filled: typeof conditions['safeHousing'] === 'boolean' },
    { field: 'monthlyHouseholdIncome', filled: typeof d['monthlyHouseholdIncome'] === 'number' },
  );
  if (!withoutSupporters(facts)) out.push({ field: 'supporters', filled: supporters.length > 0 });
  if (supporters.length > 0)
    out.push({ field: 'supporterPhones', filled: supporters.every((s) => filled(s['phone'])) });
  if (leftBehind) {
    out.push({
      field: 'childrenAway',
      filled:
        children.length > 0 &&
        children.every((c) => filled(c['workPlace']) && filled(c['awaySince'])),
    });
    const caregiver = record(d['caregiver']);
    out.push({
      field: 'caregiver',
      filled: caregiver !== null && filled(caregiver['name']) && filled(caregiver['phone']),
    });
  }
  return out;
}

/** The required fields a record lacks, in the forms' order (empty: the record is complete). */
export function missingLedgerFields(facts: LedgerCompletenessFacts): CompletenessField[] {
  return ledgerFieldChecks(facts)
    .filter((c) => !c.filled)
    .map((c) => c.field);
}

/** Whether a record has every field the forms require of it (台账完整). */
export function isLedgerComplete(facts: LedgerCompletenessFacts): boolean {
  return ledgerFieldChecks(facts).every((c) => c.filled);
}

/** A field a record lacks: its code and the form's words. */
export interface MissingField {
  field: CompletenessField;
  label: string;
}

/** The required fields a record lacks, with their Chinese labels, in the forms' order. */
export function missingFields(facts: LedgerCompletenessFacts): MissingField[] {
  return missingLedgerFields(facts).map((field) => ({
    field,
    label: COMPLETENESS_FIELD_LABELS[field],
  }));
}

/** How complete a record is: of the fields required of it, how many are filled. */
export interface Completeness {
  filled: number;
  required: number;
  /** filled ÷ required (every record has required fields, so never 0 ÷ 0). */
  ratio: number;
}

/** How complete a record is (台账完整 when `filled === required`). */
export function completeness(facts: LedgerCompletenessFacts): Completeness {
  const checks = ledgerFieldChecks(facts);
  const filled = checks.filter((c) => c.filled).length;
  return { filled, required: checks.length, ratio: filled / checks.length };
}

/**
 * The facts of a record as entered (an `ElderData`, numbers in clear or masked): its own phone is
 * a field, its categories those entered.
 */
export function completenessFactsOf(data: {
  phone?: string | null | undefined;
  categories?: readonly string[] | undefined;
}): LedgerCompletenessFacts {
  return {
    data: data as Readonly<Record<string, unknown>>,
    hasPhone: typeof data.phone === 'string' && data.phone.trim() !== '',
    categories: data.categories ?? [],
  };
}
