import { ageOn, parseIdNumber } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { dispositionFileName } from '../../api';
import { patchIssues, planPatch, standInBirthDate, standInIdNumber } from './elderForm';

describe('planPatch', () => {
  const baseline = {
    name: '张三',
    phone: '138****8000',
    diseases: '高血压',
    caregiver: { name: '李四', relation: '邻居', phone: '139****0001' },
    tierOverride: { tier: 'key', reason: '子女常年在外' },
    recordDate: '2026-01-05',
    categories: ['living_alone'],
  };

  it('sends null to clear an optional field', () => {
    const { patch, cleared } = planPatch(
      { ...baseline, diseases: undefined, caregiver: undefined, tierOverride: undefined },
      baseline,
    );
    expect(patch).toEqual({ diseases: null, caregiver: null, tierOverride: null });
    expect(cleared).toEqual([]);
  });

  it('sends masked numbers back unchanged with a changed part', () => {
    const caregiver = { ...baseline.caregiver, relation: '侄子' };
    const { patch } = planPatch({ ...baseline, caregiver }, baseline);
    expect(patch).toEqual({ caregiver });
  });

  it('refuses to clear a field that cannot be null', () => {
    const { patch, cleared } = planPatch({ ...baseline, recordDate: undefined }, baseline);
    expect(patch).toEqual({});
    expect(cleared).toEqual(['recordDate']);
  });

  it('sends nothing when nothing changed', () => {
    expect(planPatch({ ...baseline }, baseline).patch).toEqual({});
  });
});

describe('standInBirthDate', () => {
  it.each([
    [75, '2026-03-05'],
    [60, '2026-12-31'],
    [80, '2028-02-29'],
    [61, '2026-01-01'],
  ])('is the earliest birth date of someone %i on %s', (age, today) => {
    const birth = standInBirthDate(age, today);
    expect(ageOn(birth, today)).toBe(age);
    const dayBefore = new Date(`${birth}T00:00:00Z`);
    dayBefore.setUTCDate(dayBefore.getUTCDate() - 1);
    expect(ageOn(dayBefore.toISOString().slice(0, 10), today)).toBe(age + 1);
  });

  it('makes a valid stand-in ID number', () => {
    const id = standInIdNumber(standInBirthDate(72, '2026-03-05'), 'female');
    const parsed = parseIdNumber(id, '2026-03-05');
    expect(parsed.ok && parsed.facts.gender).toBe('female');
  });
});

describe('dispositionFileName', () => {
  it('prefers the UTF-8 name', () => {
    expect(
      dispositionFileName(
        `attachment; filename="___.xlsx"; filename*=UTF-8''${encodeURIComponent('摸底登记模板.xlsx')}`,
      ),
    ).toBe('摸底登记模板.xlsx');
  });
  it('falls back to the plain name', () => {
    expect(dispositionFileName('attachment; filename="report.xlsx"')).toBe('report.xlsx');
    expect(dispositionFileName(null)).toBeUndefined();
  });
});

describe('patchIssues', () => {
  const caregiver = {
    name: '王秀英',
    relation: '侄女',
    idNumber: '210624********0025',
    phone: '137****2233',
  };

  it('takes masked numbers kept from the record, and null', () => {
    const kept = new Set(['210624********0025', '137****2233']);
    expect(patchIssues({ caregiver, diseases: null }, kept)).toEqual([]);
  });

  it("refuses a masked-looking number that is not the record's", () => {
    const issues = patchIssues({ caregiver }, new Set(['137****2233']));
    expect(issues.map((i) => i.path.join('.'))).toEqual(['caregiver.idNumber']);
  });
});
