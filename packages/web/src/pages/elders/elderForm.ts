/**
 * The elder form's values and their conversion to and from the API's ElderFields, the live check
 * with the domain schema and ledger rules, and the mapping of issue paths onto form fields.
 */
import {
  ElderFields,
  ElderPatch,
  evaluateElder,
  idCheckCharacter,
  todayIso,
  type Category,
  type ElderData,
  type ElderEvaluation,
  type Gender,
  type Tier,
} from '@tanfang/domain';
import type { FormInstance } from 'antd';
import { ELDER_CLEARABLE_FIELDS, type ApiError } from '../../api';
import type { SchemaIssue } from '../../lib/zodForm';
import { fieldLabel } from './labels';

type Health = NonNullable<ElderData['health']>;
type Assistance = ElderData['assistance'];
type LivingSituation = NonNullable<ElderData['livingSituation']>;
type IncomeSource = ElderData['incomeSources'][number];
type Ethnicity = NonNullable<ElderData['ethnicity']>;
type SupporterKind = ElderData['supporters'][number]['kind'];
type HelpUnit = ElderData['help'][number]['unitType'];
type BenefitKind = ElderData['benefits'][number]['kind'];
type DisabilityGrade = NonNullable<NonNullable<ElderData['disability']>['grade']>;

/** A yes/no question of the official forms, which may be left unanswered. */
export type YesNo = 'yes' | 'no' | 'unknown';

/** 二、家庭基本情况: one row. */
export interface MemberValues {
  name?: string;
  gender?: Gender;
  idNumber?: string;
  relation?: string;
  health?: Health;
  assistance?: Assistance;
  livesWithElder?: YesNo;
}

/** 子女信息 / 其他赡养义务人信息: one row. */
export interface SupporterValues {
  kind?: SupporterKind;
  name?: string;
  gender?: Gender;
  idNumber?: string;
  phone?: string;
  workPlace?: string;
  /** YYYY-MM. */
  awaySince?: string;
  returnFrequency?: string;
}

/** 临时照料人信息. */
export interface CaregiverValues {
  name?: string;
  gender?: Gender;
  idNumber?: string;
  relation?: string;
  address?: string;
  phone?: string;
}

/** 四、已享受帮扶情况: one row. */
export interface HelpValues {
  unitType?: HelpUnit;
  unitName?: string;
  responsiblePerson?: string;
  measures?: string;
}

/** 领取养老保险、社会救助和社会福利补贴: one row. */
export interface BenefitValues {
  kind?: BenefitKind;
  monthlyAmount?: number | null;
  note?: string;
}

/** Everything the elder form holds; paths match ElderFields, so errors map one to one. */
export interface ElderFormValues {
  name?: string;
  idNumber?: string;
  ethnicity?: Ethnicity;
  /** YYYY-MM-DD. */
  recordDate?: string;
  villageCode?: string;
  addressDetail?: string;
  registeredAddress?: string;
  livesAtRegisteredPlace?: YesNo;
  phone?: string;
  emergencyContact?: { name?: string; phone?: string; relation?: string };
  disability?: { disabled?: YesNo; certificateNumber?: string; grade?: DisabilityGrade };
  categories?: Category[];
  health?: Health;
  diseases?: string;
  livingSituation?: LivingSituation;
  incomeSources?: IncomeSource[];
  assistance?: Assistance;
  monthlyHouseholdIncome?: number | null;
  benefits?: BenefitValues[];
  livingConditions?: { safeWater?: YesNo; safeElectricity?: YesNo; safeHousing?: YesNo };
  householdMembers?: MemberValues[];
  supporters?: SupporterValues[];
  caregiver?: CaregiverValues;
  help?: HelpValues[];
  tierOverride?: { enabled?: boolean; tier?: Tier; reason?: string };
}

/** A plain JSON-like object (the input sent to the API, before the schema has checked it). */
export type Json = Record<string, unknown>;

const filled = (value: string | undefined): string | undefined =>
  value !== undefined && value.trim() !== '' ? value : undefined;
const fromYesNo = (value: YesNo | undefined): boolean | undefined =>
  value === 'yes' ? true : value === 'no' ? false : undefined;
/** `true`/`false`/absent as the form's 是/否/未填. */
export const toYesNo = (value: boolean | undefined): YesNo =>
  value === undefined ? 'unknown' : value ? 'yes' : 'no';
const compact = (object: Json): Json =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
const anyFilled = (...values: (string | undefined)[]) =>
  values.some((v) => filled(v) !== undefined);

/**
 * The API input of the form's values. Required texts stay '' when empty (so the schema says
 * "请填写…"), optional ones are left out; parts with nothing filled in are left out.
 */
export function toInput(values: ElderFormValues): Json {
  const contact = values.emergencyContact ?? {};
  const disability = values.disability ?? {};
  const caregiver = values.caregiver ?? {};
  const conditions = values.livingConditions ?? {};
  const override = values.tierOverride ?? {};
  return compact({
    name: values.name ?? '',
    idNumber: values.idNumber ?? '',
    ethnicity: values.ethnicity,
    registeredAddress: filled(values.registeredAddress),
    villageCode: values.villageCode,
    addressDetail: filled(values.addressDetail),
    livesAtRegisteredPlace: fromYesNo(values.livesAtRegisteredPlace),
    phone: filled(values.phone),
    emergencyContact: anyFilled(contact.name, contact.phone, contact.relation)
      ? compact({
          name: contact.name ?? '',
          phone: contact.phone ?? '',
          relation: filled(contact.relation),
        })
      : undefined,
    disability:
      fromYesNo(disability.disabled) !== undefined ||
      anyFilled(disability.certificateNumber) ||
      disability.grade !== undefined
        ? compact({
            disabled: fromYesNo(disability.disabled),
            certificateNumber: filled(disability.certificateNumber),
            grade: disability.grade,
          })
        : undefined,
    categories: values.categories ?? [],
    health: values.health,
    diseases: filled(values.diseases),
    livingSituation: values.livingSituation,
    incomeSources: values.incomeSources ?? [],
    assistance: values.assistance ?? 'none',
    monthlyHouseholdIncome: values.monthlyHouseholdIncome ?? undefined,
    benefits: (values.benefits ?? []).map((b) =>
      compact({
        kind: b?.kind,
        monthlyAmount: b?.monthlyAmount ?? undefined,
        note: filled(b?.note),
      }),
    ),
    livingConditions: compact({
      safeWater: fromYesNo(conditions.safeWater),
      safeElectricity: fromYesNo(conditions.safeElectricity),
      safeHousing: fromYesNo(conditions.safeHousing),
    }),
    householdMembers: (values.householdMembers ?? []).map((m) =>
      compact({
        name: m?.name ?? '',
        gender: m?.gender,
        idNumber: filled(m?.idNumber),
        relation: m?.relation ?? '',
        health: m?.health,
        assistance: m?.assistance,
        livesWithElder: fromYesNo(m?.livesWithElder),
      }),
    ),
    supporters: (values.supporters ?? []).map((s) =>
      compact({
        kind: s?.kind,
        name: s?.name ?? '',
        gender: s?.gender,
        idNumber: filled(s?.idNumber),
        phone: filled(s?.phone),
        workPlace: filled(s?.workPlace),
        awaySince: filled(s?.awaySince),
        returnFrequency: filled(s?.returnFrequency),
      }),
    ),
    caregiver: anyFilled(
      caregiver.name,
      caregiver.idNumber,
      caregiver.relation,
      caregiver.address,
      caregiver.phone,
    )
      ? compact({
          name: caregiver.name ?? '',
          gender: caregiver.gender,
          idNumber: filled(caregiver.idNumber),
          relation: caregiver.relation ?? '',
          address: filled(caregiver.address),
          phone: filled(caregiver.phone),
        })
      : undefined,
    help: (values.help ?? []).map((h) =>
      compact({
        unitType: h?.unitType,
        unitName: filled(h?.unitName),
        responsiblePerson: filled(h?.responsiblePerson),
        measures: filled(h?.measures),
      }),
    ),
    tierOverride: override.enabled
      ? { tier: override.tier, reason: override.reason ?? '' }
      : undefined,
    recordDate: filled(values.recordDate),
  });
}

/** The form's values for a stored record (as the API shows it: numbers masked). */
export function fromData(data: ElderData): ElderFormValues {
  return {
    name: data.name,
    idNumber: data.idNumber,
    ethnicity: data.ethnicity,
    recordDate: data.recordDate,
    villageCode: data.villageCode,
    addressDetail: data.addressDetail,
    registeredAddress: data.registeredAddress,
    livesAtRegisteredPlace: toYesNo(data.livesAtRegisteredPlace),
    phone: data.phone,
    emergencyContact: data.emergencyContact ? { ...data.emergencyContact } : {},
    disability: data.disability
      ? {
          disabled: toYesNo(data.disability.disabled),
          certificateNumber: data.disability.certificateNumber,
          grade: data.disability.grade,
        }
      : { disabled: 'unknown' },
    categories: [...data.categories],
    health: data.health,
    diseases: data.diseases,
    livingSituation: data.livingSituation,
    incomeSources: [...data.incomeSources],
    assistance: data.assistance,
    monthlyHouseholdIncome: data.monthlyHouseholdIncome,
    benefits: data.benefits.map((b) => ({ ...b })),
    livingConditions: {
      safeWater: toYesNo(data.livingConditions.safeWater),
      safeElectricity: toYesNo(data.livingConditions.safeElectricity),
      safeHousing: toYesNo(data.livingConditions.safeHousing),
    },
    householdMembers: data.householdMembers.map((m) => ({
      ...m,
      livesWithElder: m.livesWithElder ? 'yes' : 'no',
    })),
    supporters: data.supporters.map((s) => ({ ...s })),
    caregiver: data.caregiver ? { ...data.caregiver } : {},
    help: data.help.map((h) => ({ ...h })),
    tierOverride: data.tierOverride
      ? { enabled: true, tier: data.tierOverride.tier, reason: data.tierOverride.reason }
      : { enabled: false },
  };
}

/** The empty form of a new record. */
export function emptyFormValues(): ElderFormValues {
  return {
    recordDate: todayIso(),
    livesAtRegisteredPlace: 'unknown',
    disability: { disabled: 'unknown' },
    categories: [],
    incomeSources: [],
    assistance: 'none',
    livingConditions: { safeWater: 'unknown', safeElectricity: 'unknown', safeHousing: 'unknown' },
    householdMembers: [],
    supporters: [],
    benefits: [],
    help: [],
    emergencyContact: {},
    caregiver: {},
    tierOverride: { enabled: false },
  };
}

/** A form field's path: names and list indexes. */
export type FieldPath = (string | number)[];

/** A dotted API path (`supporters.0.awaySince`) as a form path. */
export function parsePath(path: string): FieldPath {
  return path.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const samePath = (a: readonly PropertyKey[], b: readonly PropertyKey[]) =>
  a.length === b.length && a.every((segment, i) => String(segment) === String(b[i]));

/** The value at a path of a JSON-like value. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Whether a value is a number masked by the server (210302********123X, 138****8000). */
export const isMasked = (value: unknown): value is string =>
  typeof value === 'string' && value.includes('*');

/** Every masked number in a record as the API shows it. */
export function maskedValues(root: unknown): Set<string> {
  const found = new Set<string>();
  const walk = (value: unknown) => {
    if (isMasked(value)) found.add(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(root);
  return found;
}

/** A valid phone standing in for a masked one (the rules never read phones). */
const STAND_IN_PHONE = '13000000000';

/**
 * A copy of a JSON-like value without the masked numbers (unknown to the browser): masked phones
 * become a stand-in (an emergency contact needs one), masked ID numbers are left out.
 */
function withoutMasked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMasked);
  if (value !== null && typeof value === 'object') {
    return compact(
      Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          isMasked(v) ? (k === 'phone' ? STAND_IN_PHONE : undefined) : withoutMasked(v),
        ]),
      ),
    );
  }
  return value;
}

/**
 * The earliest birth date of someone `age` years old on `today`: standing in for a birth date the
 * browser does not know (the record shows the age only), it never makes the elder younger than
 * they are, so the rules do not refuse a stored record as under 60.
 */
export function standInBirthDate(age: number, today: string = todayIso()): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const year = y - age - 1;
  // The day after today's month and day, in that year (after 2-29 comes 3-1, leap year or not).
  if (m === 2 && d === 29) return `${String(year).padStart(4, '0')}-03-01`;
  return new Date(Date.UTC(year, m - 1, d + 1)).toISOString().slice(0, 10);
}

/**
 * A valid stand-in ID number with a given birth date and gender, for running the rules on a
 * record whose real number the browser does not have (only birth date and gender matter there).
 */
export function standInIdNumber(birthDate: string, gender: Gender): string {
  const first17 = `110101${birthDate.replaceAll('-', '')}00${gender === 'male' ? 1 : 2}`;
  return first17 + idCheckCharacter(first17);
}

/** What the form's values amount to: schema issues, the rules' verdict, what was left out. */
export interface ElderAnalysis {
  /** The API input of the values. */
  input: Json;
  /** Schema issues plus the rules' refusals (masked numbers kept unchanged are not issues). */
  issues: SchemaIssue[];
  /** The rules' evaluation of what is valid; absent without a usable ID number. */
  evaluation?: ElderEvaluation;
  /** Why there is no evaluation. */
  evaluationError?: string;
  /** Parts left out of the evaluation because they are not valid yet. */
  skipped: string[];
  /**
   * The elder's age today, when the rules ran on a stand-in for a masked ID number: the birth
   * date is then unknown (and not shown), the age an estimate from the record's age.
   */
  standInAge?: number;
}

/** How the analysis treats an existing record's masked numbers. */
export interface AnalysisContext {
  /** Masked numbers from the loaded record: kept as they are, not issues. */
  kept: ReadonlySet<string>;
  /** Stands in for the elder's masked ID number in the rules (edit), with the age it is from. */
  standIn?: { idNumber: string; age: number };
}

/** The record the rules can evaluate: invalid parts dropped, masked numbers left out. */
function evaluable(input: Json, context: AnalysisContext): { data?: ElderData; skipped: string[] } {
  let candidate = withoutMasked(input) as Json;
  if (context.standIn && isMasked(input.idNumber)) {
    candidate.idNumber = context.standIn.idNumber;
  }
  // Name and village do not matter to the rules.
  candidate.name = filled(typeof candidate.name === 'string' ? candidate.name : undefined) ?? '—';
  if (typeof candidate.villageCode !== 'string' || !/^\d{12}$/.test(candidate.villageCode)) {
    candidate.villageCode = '000000000000';
  }
  const skipped = new Set<string>();
  for (let round = 0; round < 5; round++) {
    const result = ElderFields.safeParse(candidate);
    if (result.success) return { data: result.data, skipped: [...skipped] };
    const next: Json = { ...candidate };
    const dropItems = new Map<string, Set<number>>();
    for (const issue of result.error.issues) {
      const [head, index] = issue.path;
      if (typeof head !== 'string' || head === 'idNumber') return { skipped: [...skipped] };
      if (typeof index === 'number' && Array.isArray(candidate[head])) {
        const indexes = dropItems.get(head) ?? new Set<number>();
        indexes.add(index);
        dropItems.set(head, indexes);
        skipped.add(fieldLabel(`${head}.${index}`));
      } else {
        delete next[head];
        skipped.add(fieldLabel(head));
      }
    }
    for (const [head, indexes] of dropItems) {
      const list = candidate[head];
      if (Array.isArray(list)) next[head] = list.filter((_, i) => !indexes.has(i));
    }
    candidate = next;
  }
  return { skipped: [...skipped] };
}

/** Checks form values with the domain schema and runs the ledger rules on what is valid. */
export function analyseElder(values: ElderFormValues, context: AnalysisContext): ElderAnalysis {
  const input = toInput(values);
  const parsed = ElderFields.safeParse(input);
  const issues: SchemaIssue[] = parsed.success
    ? []
    : parsed.error.issues.filter((issue) => !context.kept.has(String(valueAt(input, issue.path))));
  const recordDate =
    typeof input.recordDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(input.recordDate)
      ? input.recordDate
      : todayIso();
  const { data, skipped } = evaluable(input, context);
  const standInAge =
    context.standIn && isMasked(input.idNumber) ? { standInAge: context.standIn.age } : {};
  if (!data) {
    return {
      input,
      issues,
      skipped,
      evaluationError: '填写有效的身份证号后，将显示出生日期、性别、年龄和自动认定的类别',
    };
  }
  const result = evaluateElder(data, recordDate);
  if (!result.ok) {
    // The rules refuse the record (under 60): the server would too.
    for (const error of result.errors) {
      issues.push({ path: parsePath(error.field), message: error.message });
    }
    return { input, issues, skipped, evaluationError: result.errors[0]?.message, ...standInAge };
  }
  return { input, issues, skipped, evaluation: result.evaluation, ...standInAge };
}

/** The first issue at exactly this path. */
export function issueAt(issues: readonly SchemaIssue[], path: FieldPath): SchemaIssue | undefined {
  return issues.find((issue) => samePath(issue.path, path));
}

/** A memo of the last analysis, so the field rules of one change share one run. */
export function createAnalyser(context: AnalysisContext) {
  let lastKey: string | null = null;
  let last: ElderAnalysis | null = null;
  return (values: ElderFormValues): ElderAnalysis => {
    const key = JSON.stringify(values);
    if (key !== lastKey || !last) {
      last = analyseElder(values, context);
      lastKey = key;
    }
    return last;
  };
}

/**
 * Puts issues (schema, rules or server) on the form's fields; returns the messages of those that
 * belong to no field of the form, labelled with the field's Chinese name.
 */
export function showIssues(
  form: FormInstance,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
  const registered = form.getFieldsError().map((f) => f.name);
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const rest: string[] = [];
  for (const issue of issues) {
    const path = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
    if (!registered.some((name) => samePath(name, path))) {
      const label = path.length > 0 ? `${fieldLabel(path.join('.'))}：` : '';
      const text = `${label}${issue.message}`;
      if (!rest.includes(text)) rest.push(text);
      continue;
    }
    const key = JSON.stringify(path);
    const entry = byField.get(key) ?? { name: path, errors: [] };
    if (!entry.errors.includes(issue.message)) entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  form.setFields([...byField.values()]);
  return rest;
}

/** A server error's field problems (`details`, else `field`) as issues with form paths. */
export function serverIssues(error: ApiError): SchemaIssue[] {
  const reported =
    error.details.length > 0
      ? error.details
      : error.field
        ? [{ field: error.field, message: error.message }]
        : [];
  return reported.map((d) => ({ path: parsePath(d.field), message: d.message }));
}

/** The fields a PATCH may send (all but the ID number), in the form's order. */
const PATCHABLE_KEYS = Object.keys(ElderPatch.shape);
const CLEARABLE: ReadonlySet<string> = new Set(ELDER_CLEARABLE_FIELDS);

/** What an edit sends, and what it cannot. */
export interface PatchPlan {
  /**
   * Changed fields with their new values; `null` clears an optional field. Masked numbers kept
   * unchanged are sent back as they are: the server keeps the stored number.
   */
  patch: Json;
  /** Fields that were filled and are now empty, which a PATCH cannot clear (required ones). */
  cleared: string[];
}

/** The PATCH of an edit: the top-level fields whose value differs from the loaded record. */
export function planPatch(current: Json, baseline: Json): PatchPlan {
  const patch: Json = {};
  const cleared: string[] = [];
  for (const key of PATCHABLE_KEYS) {
    const now = current[key];
    const before = baseline[key];
    if (JSON.stringify(now) === JSON.stringify(before)) continue;
    if (now === undefined) {
      if (CLEARABLE.has(key)) patch[key] = null;
      else cleared.push(key);
      continue;
    }
    patch[key] = now;
  }
  return { patch, cleared };
}

/**
 * Checks a PATCH with the domain schema: what is cleared (null, which the schema does not know)
 * is left out, and masked numbers kept unchanged are not issues (the server keeps them).
 */
export function patchIssues(patch: Json, kept: ReadonlySet<string>): SchemaIssue[] {
  const set = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null));
  const checked = ElderPatch.safeParse(set);
  if (checked.success) return [];
  return checked.error.issues.filter((issue) => !kept.has(String(valueAt(set, issue.path))));
}
