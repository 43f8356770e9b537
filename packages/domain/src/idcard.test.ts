import { describe, expect, it } from 'vitest';
import { ageOn, idCheckCharacter, maskIdNumber, maskPhone, parseIdNumber } from './idcard.js';

/** Builds a valid ID number from its first 17 digits. */
const withCheck = (first17: string) => first17 + idCheckCharacter(first17);

describe('GB 11643 ID numbers', () => {
  it('computes the check character (ISO 7064 MOD 11-2)', () => {
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(parseIdNumber('11010519491231002X').ok).toBe(true);
    expect(parseIdNumber('11010519491231002x').ok).toBe(true);
  });

  it('gives birth date, gender and address code', () => {
    const r = parseIdNumber(withCheck('21062419500315001'));
    expect(r).toEqual({
      ok: true,
      facts: {
        idNumber: withCheck('21062419500315001'),
        birthDate: '1950-03-15',
        gender: 'male',
        addressCode: '210624',
      },
    });
    const f = parseIdNumber(withCheck('21062419500315002'));
    expect(f.ok && f.facts.gender).toBe('female');
  });

  it('refuses a wrong check digit, saying which it should be', () => {
    const r = parseIdNumber('110105194912310021');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toBe('身份证号校验码错误：按前 17 位计算，最后一位应为 X');
  });

  it('refuses an impossible or future birth date', () => {
    const feb30 = parseIdNumber(withCheck('21062419500230001'));
    expect(!feb30.ok && feb30.message).toContain('不是有效日期');
    const future = parseIdNumber(withCheck('21062420300101001'), '2026-11-22');
    expect(!future.ok && future.message).toContain('晚于今天');
  });

  it('refuses the wrong shape', () => {
    for (const bad of ['', '21062419500315', '2106241950031500AB', "210624195003150' OR"]) {
      expect(parseIdNumber(bad).ok).toBe(false);
    }
  });

  it('counts full years of age', () => {
    expect(ageOn('1966-11-23', '2026-11-22')).toBe(59);
    expect(ageOn('1966-11-22', '2026-11-22')).toBe(60);
    expect(ageOn('1946-02-28', '2026-02-27')).toBe(79);
  });

  it('masks for lists', () => {
    expect(maskIdNumber('21030219500315123X')).toBe('210302********123X');
    expect(maskPhone('13800138000')).toBe('138****8000');
  });
});
