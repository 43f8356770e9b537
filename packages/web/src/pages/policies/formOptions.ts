import {
  BUILTIN_TEMPLATE_LABELS,
  CADENCE_LABELS,
  CATEGORIES,
  CATEGORY_LABELS,
  IN_PERSON_EVERY_LABELS,
  TIERS,
  TIER_LABELS,
  VISIT_METHODS,
  VISIT_METHOD_LABELS,
  type Cadence,
  type InPersonEvery,
} from '@tanfang/domain';

/** 分级 choices. */
export const TIER_OPTIONS = TIERS.map((t) => ({ value: t, label: TIER_LABELS[t] }));
/** 类别 choices. */
export const CATEGORY_OPTIONS = CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));
/** 探访方式 choices. */
export const METHOD_OPTIONS = VISIT_METHODS.map((m) => ({
  value: m,
  label: VISIT_METHOD_LABELS[m],
}));
/** 探访表 choices (the built-in templates). */
export const TEMPLATE_OPTIONS = Object.entries(BUILTIN_TEMPLATE_LABELS).map(([value, label]) => ({
  value,
  label,
}));

/** The kinds of cadence, in the order a user thinks of them. */
export const CADENCE_KINDS = Object.keys(CADENCE_LABELS) as Cadence['kind'][];
/** 探访频次 choices. */
export const CADENCE_OPTIONS = CADENCE_KINDS.map((k) => ({ value: k, label: CADENCE_LABELS[k] }));

/** The form's stand-in for “no in-person requirement” (the API's null). */
export const NO_IN_PERSON = 'none';
/** 上门要求 choices. */
export const IN_PERSON_OPTIONS: { value: InPersonEvery | typeof NO_IN_PERSON; label: string }[] = [
  { value: NO_IN_PERSON, label: '不单独要求上门' },
  ...(Object.keys(IN_PERSON_EVERY_LABELS) as InPersonEvery[]).map((k) => ({
    value: k,
    label: `${IN_PERSON_EVERY_LABELS[k]}至少上门一次`,
  })),
];
