import {
  FINDING_SEVERITY_LABELS,
  VISIT_METHOD_LABELS,
  localDateOf,
  methodLabel,
  periodOf,
  type FindingSeverity,
  type FormTemplate,
  type VisitDto,
  type VisitLocation,
} from '@tanfang/domain';

/** The China date `YYYY-MM-DD` of an instant. */
export function chinaDate(iso: string): string {
  return localDateOf(Date.parse(iso));
}

/** The China calendar year of an instant (or of now). */
export function chinaYear(iso?: string): number {
  return Number(localDateOf(iso ? Date.parse(iso) : Date.now()).slice(0, 4));
}

/** 1–4: the quarter of the China calendar year a visit falls in. */
export function quarterOf(iso: string): 1 | 2 | 3 | 4 {
  return Number(periodOf('quarter', chinaDate(iso)).key.slice(-1)) as 1 | 2 | 3 | 4;
}

/** `2026-03-05` parts as numbers (年 月 日 of the printed forms). */
export function dateParts(iso: string): { year: number; month: number; day: number } {
  const d = chinaDate(iso);
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) };
}

/** The method as the visit's own template calls it (鞍山: 实地/电话), else the general name. */
export function visitMethodLabel(visit: VisitDto, template: FormTemplate | undefined): string {
  return (template && methodLabel(template, visit.method)) ?? VISIT_METHOD_LABELS[visit.method];
}

/** Where the phone was, as words: 已定位 ±N 米, or 未定位. */
export function locationText(location: VisitLocation | null): string {
  return location ? `已定位 ±${Math.round(location.accuracy)} 米` : '未定位';
}

/** Tag colours of the severities: the more urgent, the redder. */
export const SEVERITY_COLORS: Record<FindingSeverity, string> = {
  low: 'blue',
  medium: 'orange',
  high: 'red',
  emergency: '#cf1322',
};

/** Severities, most urgent first (the findings page's order). */
export const SEVERITY_RANK: Record<FindingSeverity, number> = {
  emergency: 0,
  high: 1,
  medium: 2,
  low: 3,
};

/** The severity's Chinese word. */
export const severityLabel = (s: FindingSeverity) => FINDING_SEVERITY_LABELS[s];

/**
 * Where a visit is shown on the elder's page (its tab, year and the visit opened); without a visit
 * (an emergency raised by staff), the elder's visits of the year of `when`.
 */
export function elderVisitPath(elderId: string, visitId: string | null, when: string): string {
  const q = new URLSearchParams({ tab: 'visits', year: String(chinaYear(when)) });
  if (visitId) q.set('visit', visitId);
  return `/elders/${encodeURIComponent(elderId)}?${q.toString()}`;
}
