import { describe, expect, it } from 'vitest';
import { canAmendVisit } from './permissions';

describe('canAmendVisit', () => {
  const visit = { amendableUntil: '2026-12-08T02:00:00.000Z' };
  const before = Date.parse('2026-12-08T01:59:00Z');
  const after = Date.parse('2026-12-08T02:00:00Z');

  it('offers 更正 to village and township staff until the window ends', () => {
    expect(canAmendVisit('village', visit, before)).toBe(true);
    expect(canAmendVisit('township', visit, before)).toBe(true);
    expect(canAmendVisit('village', visit, after)).toBe(false);
  });

  it('does not offer 更正 to those who only read visits', () => {
    for (const role of ['county', 'city', 'auditor', 'admin'] as const)
      expect(canAmendVisit(role, visit, before)).toBe(false);
  });
});
