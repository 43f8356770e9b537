import {
  SPOT_CHECK_RESULT_LABELS,
  type SpotCheckProgress,
  type SpotCheckResult,
  type SpotCheckSampleDto,
} from '@tanfang/domain';

/** Tag colours of results. */
export const RESULT_COLORS: Record<SpotCheckResult, string> = {
  pending: 'default',
  verified_phone: 'green',
  verified_in_person: 'cyan',
  not_verified: 'red',
};

/** A result's Chinese word. */
export const resultLabel = (r: SpotCheckResult) => SPOT_CHECK_RESULT_LABELS[r];

/** 2026年11月. */
export function monthText(month: string): string {
  return `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
}

/** How the sample was sized: 按比例 30%（每人至少 1 条） or 每人 2 条. */
export function sizingText(
  s: Pick<SpotCheckSampleDto, 'ratePercent' | 'perVisitor' | 'minPerVisitor'>,
) {
  const rule = s.ratePercent !== null ? `按比例 ${s.ratePercent}%` : `每人 ${s.perVisitor} 条`;
  return `${rule}（每名探访人员至少 ${s.minPerVisitor} 条）`;
}

/** The pass rate as a percent with one decimal, or a dash before anything is checked. */
export function passRateText(p: Pick<SpotCheckProgress, 'passRate'>): string {
  return p.passRate === null ? '—' : `${(p.passRate * 100).toFixed(1)}%`;
}
