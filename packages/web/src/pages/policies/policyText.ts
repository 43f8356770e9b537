import {
  BUILTIN_TEMPLATE_LABELS,
  CATEGORY_LABELS,
  IN_PERSON_EVERY_LABELS,
  TIER_LABELS,
  VISIT_METHOD_LABELS,
  addDays,
  cadenceLabel,
  periodOf,
  sameCadence,
  todayIso,
  type Category,
  type InPersonEvery,
  type PolicyDto,
  type PolicyVersionDto,
  type Tier,
  type VisitMethod,
} from '@tanfang/domain';

/** The name of a built-in form template, or its key when the server knows one we do not. */
export function templateLabel(key: string): string {
  return Object.hasOwn(BUILTIN_TEMPLATE_LABELS, key)
    ? BUILTIN_TEMPLATE_LABELS[key as keyof typeof BUILTIN_TEMPLATE_LABELS]
    : key;
}

/** 上门要求 in words: 每月至少上门一次, or 不单独要求上门. */
export function inPersonLabel(every: InPersonEvery | null): string {
  return every ? `${IN_PERSON_EVERY_LABELS[every]}至少上门探访一次` : '不单独要求上门';
}

/** Who a rule selects, in words (empty lists = every elder). */
export function targetText(tiers: readonly Tier[], categories: readonly Category[]): string {
  const parts: string[] = [];
  if (tiers.length > 0) parts.push(`分级：${tiers.map((t) => TIER_LABELS[t]).join('、')}`);
  if (categories.length > 0)
    parts.push(`类别：${categories.map((c) => CATEGORY_LABELS[c]).join('、')}`);
  return parts.length > 0 ? parts.join('；') : '全部对象';
}

/** Visit methods in words. */
export function methodsText(methods: readonly VisitMethod[]): string {
  return methods.map((m) => VISIT_METHOD_LABELS[m]).join('、');
}

/** Where a policy stands today. */
export type PolicyState = 'in_force' | 'scheduled' | 'retired';

/** Chinese names of the policy states. */
export const POLICY_STATE_LABELS: Record<PolicyState, string> = {
  in_force: '生效中',
  scheduled: '未生效',
  retired: '已停用',
};

/**
 * A policy as the page shows it: its state, the version whose content to show (the one in force;
 * else the next to take effect; else the last one), and the versions dated after today.
 */
export function policyView(policy: PolicyDto, today = todayIso()) {
  // Versions come newest first; their dates rise with their numbers.
  const started = policy.versions.filter((v) => v.effectiveFrom <= today);
  const upcoming = policy.versions.filter((v) => v.effectiveFrom > today);
  const latestStarted = started[0];
  const state: PolicyState = policy.current ? 'in_force' : latestStarted ? 'retired' : 'scheduled';
  const nextInForce = [...upcoming].reverse().find((v) => !v.retired);
  const shown: PolicyVersionDto | undefined = policy.current ?? nextInForce ?? policy.versions[0];
  return {
    state,
    shown,
    /** Versions after today, oldest first (pending changes). */
    upcoming: [...upcoming].reverse(),
    /** Since when the state holds (the date of the version in force or of the retirement). */
    since: latestStarted?.effectiveFrom,
  };
}

/** What one version changed compared with the one before it (oldest → newest). */
export function versionChanges(
  version: PolicyVersionDto,
  previous: PolicyVersionDto | undefined,
): string[] {
  if (!previous) return ['制定规则'];
  if (version.retired) return ['停用规则'];
  const changes: string[] = [];
  if (previous.retired) changes.push('重新启用');
  if (version.name !== previous.name) changes.push(`名称：${previous.name} → ${version.name}`);
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((x) => b.includes(x));
  if (
    !sameSet(version.tiers, previous.tiers) ||
    !sameSet(version.categories, previous.categories)
  ) {
    changes.push(
      `适用对象：${targetText(previous.tiers, previous.categories)} → ${targetText(version.tiers, version.categories)}`,
    );
  }
  if (!sameCadence(version.cadence, previous.cadence)) {
    changes.push(`探访频次：${cadenceLabel(previous.cadence)} → ${cadenceLabel(version.cadence)}`);
  }
  if (!sameSet(version.countedMethods, previous.countedMethods)) {
    changes.push(
      `计入的探访方式：${methodsText(previous.countedMethods)} → ${methodsText(version.countedMethods)}`,
    );
  }
  if (version.inPersonEvery !== previous.inPersonEvery) {
    changes.push(
      `上门要求：${inPersonLabel(previous.inPersonEvery)} → ${inPersonLabel(version.inPersonEvery)}`,
    );
  }
  if (version.templateKey !== previous.templateKey) {
    changes.push(
      `探访表：${templateLabel(previous.templateKey)} → ${templateLabel(version.templateKey)}`,
    );
  }
  if (version.entryGraceDays !== previous.entryGraceDays) {
    changes.push(`补录宽限：${previous.entryGraceDays} 天 → ${version.entryGraceDays} 天`);
  }
  return changes.length > 0 ? changes : ['内容未变（仅重新确认）'];
}

/** The first day of next month (China time): the usual date a rule change takes effect. */
export function firstOfNextMonth(today = todayIso()): string {
  return periodOf('month', today).end;
}

/**
 * The suggested date of a policy's next version or retirement: the first of next month, unless
 * the latest version is dated on or after it (then the day after that version).
 */
export function nextChangeDate(policy: PolicyDto, today = todayIso()): string {
  const suggested = firstOfNextMonth(today);
  const latest = policy.versions[0]?.effectiveFrom;
  return latest && latest >= suggested ? addDays(latest, 1) : suggested;
}

/** Where one version stands today. */
export type VersionState = 'upcoming' | 'in_force' | 'retired' | 'superseded';

/** Chinese names of the version states. */
export const VERSION_STATE_LABELS: Record<VersionState, string> = {
  upcoming: '待生效',
  in_force: '现行',
  retired: '已停用',
  superseded: '已被替代',
};

/** The state of each version of a policy, newest first as the policy lists them. */
export function versionStates(policy: PolicyDto, today = todayIso()): VersionState[] {
  const inForce = policy.versions.find((v) => v.effectiveFrom <= today);
  return policy.versions.map((v) => {
    if (v.effectiveFrom > today) return 'upcoming';
    if (v !== inForce) return 'superseded';
    return v.retired ? 'retired' : 'in_force';
  });
}
