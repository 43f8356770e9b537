/**
 * What a paper visit (补录) entered by village or township staff is made of: the campaign checks in
 * force at the visit's time, the template offered by default, and China wall-clock conversions.
 * Pure; the server checks the same rules again.
 */
import {
  selects,
  type Answers,
  type CampaignDto,
  type ChecklistItem,
  type Role,
  type ScheduleProfile,
  type TemplateSummaryDto,
  type VisitorDto,
} from '@tanfang/domain';

/** The template used when the elder's rule names none (丹东 2023 is the province's newest form). */
export const DEFAULT_TEMPLATE_KEY = 'dandong-2023';

/**
 * The checks of the campaigns in force at `atIso` that select the elder, each once — as the server
 * adds them to the form (a campaign counts from `startsAt` up to, not including, `endsAt`).
 */
export function checklistAt(
  campaigns: readonly CampaignDto[],
  profile: ScheduleProfile,
  atIso: string,
): ChecklistItem[] {
  const at = Date.parse(atIso);
  const out = new Map<string, ChecklistItem>();
  for (const c of campaigns) {
    if (c.status === 'cancelled') continue;
    if (Date.parse(c.startsAt) > at || Date.parse(c.endsAt) <= at) continue;
    if (!selects(c, profile)) continue;
    for (const item of c.checklist) if (!out.has(item.key)) out.set(item.key, item);
  }
  return [...out.values()];
}

/** Answers without campaign checks that are not in force (any more) at the chosen time. */
export function withoutStaleChecks(answers: Answers, checklist: readonly ChecklistItem[]): Answers {
  const keep = new Set(checklist.map((c) => `check_${c.key}`));
  return Object.fromEntries(
    Object.entries(answers).filter(([k]) => !k.startsWith('check_') || keep.has(k)),
  );
}

/** The template offered first: the newest version of the rule's key, else of 丹东 2023. */
export function defaultTemplate(
  templates: readonly TemplateSummaryDto[],
  ruleKey: string | null | undefined,
): TemplateSummaryDto | undefined {
  const newest = (key: string) =>
    templates.filter((t) => t.key === key).sort((a, b) => b.version - a.version)[0];
  return (ruleKey ? newest(ruleKey) : undefined) ?? newest(DEFAULT_TEMPLATE_KEY) ?? templates[0];
}

/** Active visitors who cover the elder's village (their area is the village or encloses it). */
export function visitorsCovering(
  visitors: readonly VisitorDto[],
  villageCode: string,
): VisitorDto[] {
  return visitors.filter((v) => v.status === 'active' && villageCode.startsWith(v.region.code));
}

/** Roles that enter a visit made on paper (the visits service's staff recorders). */
export function canEnterPaperVisits(role: Role): boolean {
  return role === 'village' || role === 'township';
}
