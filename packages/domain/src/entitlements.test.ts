import { describe, expect, it } from 'vitest';
import type { Category } from './elder.js';
import {
  ENTITLEMENT_RULE_KEYS,
  ENTITLEMENT_RULES,
  EntitlementDismissalInput,
  entitlementHints,
  entitlementRuleName,
  type EntitlementSubject,
} from './entitlements.js';

/** An elder of 72 with nothing that suggests a benefit, with the given facts changed. */
function buildSubject(
  overrides: Partial<Omit<EntitlementSubject, 'data'>> & {
    data?: Partial<EntitlementSubject['data']>;
  } = {},
): EntitlementSubject {
  return {
    age: overrides.age ?? 72,
    categories: overrides.categories ?? [],
    data: {
      disability: { disabled: false },
      health: 'healthy',
      livingSituation: 'fair',
      assistance: 'none',
      benefits: [{ kind: 'pension' }],
      ...overrides.data,
    },
  };
}

const rules = (s: EntitlementSubject) => entitlementHints(s).map((h) => h.rule);

describe('entitlement hints (权益提示)', () => {
  it('gives no hint for an elder whose record shows no gap', () => {
    expect(entitlementHints(buildSubject())).toEqual([]);
  });

  it('tells a 重残 elder (grade 1) without the disability subsidies to apply, naming the grade', () => {
    const hints = entitlementHints(
      buildSubject({
        categories: ['severely_disabled'],
        data: { disability: { disabled: true, grade: 1 } },
      }),
    );
    expect(hints.map((h) => h.rule)).toEqual(['severe_disability_subsidy']);
    expect(hints[0]).toMatchObject({
      name: '重残未享受残疾人两项补贴',
      message: expect.stringContaining('残疾等级一级'),
    });
    expect(hints[0]!.message).toContain('告知其依法申请');
  });

  it('treats a grade-2 certificate as 重残 even when the category was not saved', () => {
    expect(rules(buildSubject({ data: { disability: { disabled: true, grade: 2 } } }))).toEqual([
      'severe_disability_subsidy',
    ]);
  });

  it('says nothing about disability once 残疾人两项补贴 is recorded', () => {
    const s = buildSubject({
      categories: ['severely_disabled'],
      data: {
        disability: { disabled: true, grade: 1 },
        benefits: [{ kind: 'disability_subsidy' }],
      },
    });
    expect(rules(s)).toEqual([]);
  });

  it('tells an elder of 80 or over without 高龄津贴 to apply, with the age, but not one of 79', () => {
    const at80 = entitlementHints(buildSubject({ age: 80 }));
    expect(at80.map((h) => h.rule)).toEqual(['old_age_allowance']);
    expect(at80[0]!.message).toBe('该老年人已满 80 周岁，未登记领取高龄津贴，请告知其依法申请。');
    expect(rules(buildSubject({ age: 79 }))).toEqual([]);
    expect(
      rules(buildSubject({ age: 86, data: { benefits: [{ kind: 'old_age_allowance' }] } })),
    ).toEqual([]);
  });

  it('flags a 特困 elder with no support recorded, from the 低保/特困 field or the category', () => {
    expect(rules(buildSubject({ data: { assistance: 'extreme_poverty' } }))).toEqual([
      'extreme_poverty_support',
    ]);
    expect(rules(buildSubject({ categories: ['extreme_poverty'] }))).toEqual([
      'extreme_poverty_support',
    ]);
    expect(
      rules(
        buildSubject({
          data: { assistance: 'extreme_poverty', benefits: [{ kind: 'extreme_poverty_support' }] },
        }),
      ),
    ).toEqual([]);
  });

  it('flags a 失能 elder without a care subsidy, unless the disability care subsidy is paid', () => {
    expect(rules(buildSubject({ data: { health: 'disabled' } }))).toEqual([
      'incapacity_care_subsidy',
    ]);
    expect(
      rules(
        buildSubject({
          categories: ['incapacitated'],
          data: { benefits: [{ kind: 'care_subsidy' }] },
        }),
      ),
    ).toEqual([]);
  });

  it('flags a 低保 household without 低保金, but not a 特困 one (特困 is its own rule)', () => {
    expect(rules(buildSubject({ data: { assistance: 'subsistence' } }))).toEqual([
      'subsistence_allowance',
    ]);
    expect(
      rules(buildSubject({ categories: ['subsistence', 'extreme_poverty'] as Category[] })),
    ).toEqual(['extreme_poverty_support']);
  });

  it('flags a 计划生育特殊家庭 elder without the special support', () => {
    expect(rules(buildSubject({ categories: ['bereaved_family'] }))).toEqual([
      'bereaved_family_support',
    ]);
  });

  it('flags a poor disabled elder of grade 3 on 低保 for the living subsidy', () => {
    const s = buildSubject({
      data: {
        disability: { disabled: true, grade: 3 },
        assistance: 'subsistence',
        benefits: [{ kind: 'subsistence_allowance' }],
      },
    });
    expect(rules(s)).toEqual(['poor_disability_subsidy']);
  });

  it('suggests 低保 or 特困 for an elder living in poverty with neither', () => {
    expect(rules(buildSubject({ data: { livingSituation: 'poor' } }))).toEqual([
      'poverty_assistance',
    ]);
    expect(
      rules(
        buildSubject({
          data: {
            livingSituation: 'poor',
            assistance: 'subsistence',
            benefits: [{ kind: 'subsistence_allowance' }],
          },
        }),
      ),
    ).toEqual([]);
  });

  it('lists several hints in the rules’ order', () => {
    const s = buildSubject({
      age: 84,
      categories: ['severely_disabled', 'extreme_poverty', 'very_old'],
      data: { disability: { disabled: true, grade: 1 }, assistance: 'extreme_poverty' },
    });
    expect(rules(s)).toEqual([
      'severe_disability_subsidy',
      'old_age_allowance',
      'extreme_poverty_support',
    ]);
  });

  it('reads a record saved before benefits existed as receiving none', () => {
    expect(rules({ age: 81, categories: [], data: {} })).toEqual(['old_age_allowance']);
  });

  it('names every rule in Chinese, cites its basis and ends by asking to tell the elder to apply', () => {
    expect(ENTITLEMENT_RULES.map((r) => r.key)).toEqual([...ENTITLEMENT_RULE_KEYS]);
    for (const key of ENTITLEMENT_RULE_KEYS)
      expect(entitlementRuleName(key)).toMatch(/[\u4e00-\u9fa5]/);
    const everything = buildSubject({
      age: 90,
      categories: ['bereaved_family', 'incapacitated', 'severely_disabled'],
      data: {
        disability: { disabled: true, grade: 1 },
        assistance: 'subsistence',
        benefits: [],
      },
    });
    for (const h of entitlementHints(everything)) {
      expect(h.basis.length).toBeGreaterThan(4);
      expect(h.message).toMatch(/告知其依法申请。$/);
    }
  });

  it('requires a reason to dismiss a hint, and a known rule', () => {
    const missing = EntitlementDismissalInput.safeParse({ rule: 'old_age_allowance', reason: ' ' });
    expect(missing.error?.issues[0]).toMatchObject({ path: ['reason'], message: '请填写忽略原因' });
    const unknown = EntitlementDismissalInput.safeParse({ rule: 'free_lunch', reason: '已核实' });
    expect(unknown.error?.issues[0]).toMatchObject({ path: ['rule'], message: '提示规则不存在' });
  });
});
