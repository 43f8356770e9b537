import { describe, expect, it } from 'vitest';
import {
  addDays,
  lastMonths,
  monthsOverlapping,
  localDateOf,
  localDateTimeOf,
  parsePeriodKey,
  periodOf,
  startOfLocalDate,
  windowOf,
} from './periods.js';

describe('periods in China time', () => {
  it('puts 23:30 UTC on the next local day', () => {
    expect(localDateOf(Date.parse('2026-11-21T16:30:00Z'))).toBe('2026-11-22');
    expect(localDateOf(Date.parse('2026-11-21T15:59:59Z'))).toBe('2026-11-21');
    expect(localDateTimeOf(Date.parse('2026-11-21T16:30:00Z'))).toBe('2026-11-22 00:30');
    expect(new Date(startOfLocalDate('2026-11-22')).toISOString()).toBe('2026-11-21T16:00:00.000Z');
  });

  it('names ISO weeks, months, quarters and years', () => {
    expect(periodOf('week', '2026-11-22')).toEqual({
      key: '2026-W47',
      start: '2026-11-16',
      end: '2026-11-23',
    });
    // 2027-01-01 is a Friday: it belongs to the last week of 2026.
    expect(periodOf('week', '2027-01-01').key).toBe('2026-W53');
    expect(periodOf('month', '2026-12-31')).toEqual({
      key: '2026-12',
      start: '2026-12-01',
      end: '2027-01-01',
    });
    expect(periodOf('quarter', '2026-11-22')).toEqual({
      key: '2026-Q4',
      start: '2026-10-01',
      end: '2027-01-01',
    });
    expect(periodOf('year', '2026-02-28').end).toBe('2027-01-01');
  });

  it('counts N-day windows from their anchor, before and after it', () => {
    expect(windowOf('2026-11-01', 14, '2026-11-20')).toEqual({
      key: '2026-11-15+14d',
      start: '2026-11-15',
      end: '2026-11-29',
    });
    expect(windowOf('2026-11-01', 14, '2026-10-31').start).toBe('2026-10-18');
  });

  it('counts back the months of a trend across a year’s end, this one last', () => {
    expect(lastMonths('2026-02-10', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(lastMonths('2026-03-31', 1)).toEqual(['2026-03']);
  });

  it('lists the months a span of days overlaps, the end excluded', () => {
    expect(monthsOverlapping('2026-12-28', '2027-01-04')).toEqual(['2026-12', '2027-01']);
    expect(monthsOverlapping('2026-10-01', '2027-01-01')).toEqual([
      '2026-10',
      '2026-11',
      '2026-12',
    ]);
    expect(monthsOverlapping('2026-10-05', '2026-10-12')).toEqual(['2026-10']);
  });

  it('reads period keys back and refuses what is not one', () => {
    expect(parsePeriodKey('2026-11')).toMatchObject({ unit: 'month', start: '2026-11-01' });
    expect(parsePeriodKey('2026-Q2')).toMatchObject({ start: '2026-04-01', end: '2026-07-01' });
    expect(parsePeriodKey('2026-W01')).toMatchObject({ start: '2025-12-29' });
    expect(parsePeriodKey('2026-W47')?.start).toBe('2026-11-16');
    expect(parsePeriodKey('2026-W54')).toBeUndefined();
    expect(parsePeriodKey('2026-13')).toBeUndefined();
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
  });
});
