/**
 * Calendar arithmetic in China time (UTC+8, no daylight saving): local dates, the instants they
 * start at, and the periods visits are counted in (ISO week, month, quarter, year, N-day window).
 */

/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
const OFFSET_MS = 8 * HOUR_MS;

/** The local (UTC+8) date 'YYYY-MM-DD' of an instant in ms. */
export function localDateOf(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10);
}

/** The local (UTC+8) date and time `YYYY-MM-DD HH:mm` of an instant in ms. */
export function localDateTimeOf(ms: number): string {
  const iso = new Date(ms + OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** The instant (ms) at which a local date begins (00:00 UTC+8). */
export function startOfLocalDate(date: string): number {
  return Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) - OFFSET_MS;
}

/** A date n days after (or before, for negative n) another. */
export function addDays(date: string, n: number): string {
  return localDateOf(startOfLocalDate(date) + n * DAY_MS);
}

/** Whole days from one date to another (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((startOfLocalDate(b) - startOfLocalDate(a)) / DAY_MS);
}

/** Units of calendar period. */
export type PeriodUnit = 'week' | 'month' | 'quarter' | 'year';

/** A calendar period: [start, end) as local dates, with a key such as 2026-11, 2026-Q4, 2026-W47. */
export interface Period {
  key: string;
  start: string;
  end: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function monthStart(y: number, m0: number): string {
  const d = new Date(Date.UTC(y, m0, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-01`;
}

/** The period of a unit that contains a date. */
export function periodOf(unit: PeriodUnit, date: string): Period {
  const y = +date.slice(0, 4);
  const m0 = +date.slice(5, 7) - 1;
  switch (unit) {
    case 'week': {
      const dow = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
      const start = addDays(date, -dow);
      const thursday = addDays(start, 3);
      const wy = +thursday.slice(0, 4);
      const week = Math.floor(daysBetween(`${wy}-01-01`, thursday) / 7) + 1;
      return { key: `${wy}-W${pad(week)}`, start, end: addDays(start, 7) };
    }
    case 'month':
      return { key: `${y}-${pad(m0 + 1)}`, start: monthStart(y, m0), end: monthStart(y, m0 + 1) };
    case 'quarter': {
      const q = Math.floor(m0 / 3);
      return { key: `${y}-Q${q + 1}`, start: monthStart(y, q * 3), end: monthStart(y, q * 3 + 3) };
    }
    case 'year':
      return { key: `${y}`, start: `${y}-01-01`, end: `${y + 1}-01-01` };
  }
}

/** The N-day window, counted from an anchor date, that contains a date. */
export function windowOf(anchor: string, days: number, date: string): Period {
  const k = Math.floor(daysBetween(anchor, date) / days);
  const start = addDays(anchor, k * days);
  return { key: `${start}+${days}d`, start, end: addDays(start, days) };
}

/**
 * Reads a period key: 2026 (year), 2026-Q4, 2026-11, 2026-W47. Undefined when it is not one.
 * Used by API queries such as `?period=2026-11`.
 */
export function parsePeriodKey(key: string): (Period & { unit: PeriodUnit }) | undefined {
  let m = /^(\d{4})$/.exec(key);
  if (m) return { unit: 'year', ...periodOf('year', `${m[1]}-01-01`) };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return { unit: 'quarter', ...periodOf('quarter', `${m[1]}-${pad(+m[2]! * 3 - 2)}-01`) };
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return { unit: 'month', ...periodOf('month', `${m[1]}-${m[2]}-01`) };
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    // ISO week 1 contains 4 January.
    const jan4 = `${m[1]}-01-04`;
    const week1 = periodOf('week', jan4);
    const p = periodOf('week', addDays(week1.start, (+m[2]! - 1) * 7));
    return p.key === key ? { unit: 'week', ...p } : undefined;
  }
  return undefined;
}

/** The months (YYYY-MM), oldest first, of the `count` months ending with the one of `today`. */
export function lastMonths(today: string, count: number): string[] {
  const out: string[] = [];
  let start = periodOf('month', today).start;
  for (let i = 0; i < count; i++) {
    out.unshift(start.slice(0, 7));
    start = periodOf('month', addDays(start, -1)).start;
  }
  return out;
}

/** The months (YYYY-MM) overlapping [start, end) local dates, oldest first. */
export function monthsOverlapping(start: string, end: string): string[] {
  const out: string[] = [];
  let m = periodOf('month', start);
  while (m.start < end) {
    out.push(m.key);
    m = periodOf('month', m.end);
  }
  return out;
}
