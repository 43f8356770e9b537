import type { StatisticsColumnKind } from '@tanfang/domain';

/** A ratio as a percentage with one decimal (66.7%), or a dash when there is none. */
export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)}%`;
}

/** A statistics cell as the .xlsx shows it: counts as they are, rates as %, minutes to 0.1. */
export function cellText(kind: StatisticsColumnKind, value: string | number | null): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'percent':
      return percent(value);
    case 'minutes':
      return value.toFixed(1);
    case 'count':
    case 'text':
      return String(value);
  }
}

/** A file-name part without characters file systems refuse. */
export const safeFileName = (name: string) => name.replace(/[\\/:*?"<>|]/g, '_');
