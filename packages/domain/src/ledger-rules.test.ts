import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  ElderFields,
  type Category,
  type ElderData,
  type ElderInput,
} from './elder.js';
import { idCheckCharacter } from './idcard.js';
import {
  computeTier,
  deriveCategories,
  evaluateElder,
  findContradictions,
  isChildRelation,
  isSpouseRelation,
  MIN_ELDER_AGE,
  tierRank,
  type ElderEvaluation,
} from './ledger-rules.js';

const RECORD_DATE = '2026-11-22';

/** A valid ID number (丹东 宽甸 210624) for a birth date YYYY-MM-DD; odd sequence = male. */
const idFor = (birthDate: string, sequence = '002') => {
  const first17 = `210624${birthDate.replaceAll('-', '')}${sequence}`;
  return first17 + idCheckCharacter(first17);
};

/** An elder record (born 1950-03-15, so 76 on RECORD_DATE) with the given fields changed. */
const elder = (overrides: Partial<ElderInput> = {}, birthDate = '1950-03-15'): ElderData =>
  ElderFields.parse({
    name: '王秀兰',
    idNumber: idFor(birthDate),
    villageCode: '210624100201',
    ...overrides,
  });

/** A household member living with the elder. */
const livesIn = (name: string, relation: string) => ({ name, relation, livesWithElder: true });
/** A son or daughter away since YYYY-MM (or not away when undefined). */
const child = (name: string, awaySince?: string) => ({
  kind: 'child' as const,
  name,
  ...(awaySince ? { awaySince, workPlace: '大连' } : {}),
});

/** Evaluates on RECORD_DATE and fails the test if the record is refused. */
const evaluate = (data: ElderData, recordDate = RECORD_DATE): ElderEvaluation => {
  const r = evaluateElder(data, recordDate);
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r.evaluation;
};
const sourceOf = (e: ElderEvaluation, c: Category) =>
  e.findings.find((f) => f.category === c)?.source;
const whyOf = (e: ElderEvaluation, c: Category) => e.findings.find((f) => f.category === c)?.why;
const codes = (e: ElderEvaluation) => e.contradictions.map((c) => c.code);

describe('who is an elder (丹东 2023 附件2: 60 周岁以上)', () => {
  it('refuses a person who is 59 on the record date, naming the date, the age and the definition', () => {
    const r = evaluateElder(elder({}, '1966-11-23'), RECORD_DATE);
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          field: 'idNumber',
          message:
            '该人员在 2026-11-22 为 59 周岁，未满 60 周岁，不属于老年人（丹东 2023 附件2：老年人是指年龄在 60 周岁（含 60 周岁）以上的公民）',
        },
      ],
    });
  });

  it('accepts a person on their 60th birthday, with birth date and gender from the ID number', () => {
    const e = evaluate(elder({}, '1966-11-22'));
    expect(e.age).toBe(MIN_ELDER_AGE);
    expect(e.birthDate).toBe('1966-11-22');
    expect(e.gender).toBe('female');
  });

  it('reads a male from an odd sequence number', () => {
    expect(evaluate(elder({ idNumber: idFor('1950-03-15', '001') })).gender).toBe('male');
  });

  it('refuses an ID number with a wrong check digit, saying which it should be', () => {
    const good = idFor('1950-03-15');
    const wrong = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const r = evaluateElder({ ...elder(), idNumber: wrong }, RECORD_DATE);
    expect(r).toEqual({
      ok: false,
      errors: [
        {
          field: 'idNumber',
          message: `身份证号校验码错误：按前 17 位计算，最后一位应为 ${good[17]}`,
        },
      ],
    });
  });

  it('refuses a birth date later than the record date', () => {
    const r = evaluateElder(elder({}, '1950-03-15'), '1950-03-14');
    expect(!r.ok && r.errors[0]?.field).toBe('idNumber');
    expect(!r.ok && r.errors[0]?.message).toContain('1950-03-15');
  });

  it('counts the age on the record date, not today', () => {
    expect(evaluate(elder({}, '1950-03-15'), '2020-03-14').age).toBe(69);
  });

  it('rejects a malformed record date as a programming error', () => {
    expect(() => evaluateElder(elder(), '2026-02-30')).toThrow(RangeError);
    expect(() => evaluateElder(elder(), '22/11/2026')).toThrow(RangeError);
  });
});

describe('derived categories', () => {
  it('derives 重残 from disability grade 1 or 2, citing the certificate definition', () => {
    const one = evaluate(
      elder({
        disability: { disabled: true, grade: 1, certificateNumber: '21062419500315000211' },
      }),
    );
    expect(one.categories).toContain('severely_disabled');
    expect(sourceOf(one, 'severely_disabled')).toBe('derived');
    expect(whyOf(one, 'severely_disabled')).toBe(
      '残疾等级为一级（丹东 2023 附件2：重残老人是指持有第二代《中华人民共和国残疾人证》，残疾等级为一级、二级的老年人）',
    );
    const two = evaluate(
      elder({ disability: { disabled: true, grade: 2, certificateNumber: 'X' } }),
    );
    expect(whyOf(two, 'severely_disabled')).toMatch(/^残疾等级为二级/);
  });

  it('does not derive 重残 from grade 3 or 4, or when not disabled', () => {
    for (const grade of [3, 4] as const) {
      expect(
        evaluate(elder({ disability: { disabled: true, grade, certificateNumber: 'X' } }))
          .categories,
      ).not.toContain('severely_disabled');
    }
    expect(evaluate(elder({ disability: { disabled: false, grade: 1 } })).categories).not.toContain(
      'severely_disabled',
    );
  });

  it('derives 高龄 from the 80th birthday on, but not the day before', () => {
    const eighty = evaluate(elder({}, '1946-11-22'));
    expect(eighty.categories).toContain('very_old');
    expect(whyOf(eighty, 'very_old')).toMatch(/^按身份证号，2026-11-22 已满 80 周岁/);
    expect(evaluate(elder({}, '1946-11-23')).categories).not.toContain('very_old');
  });

  it('derives 留守 when every child has been away at least six months, naming them', () => {
    const e = evaluate(elder({ supporters: [child('张大', '2019-03'), child('张二', '2026-05')] }));
    expect(e.categories).toContain('left_behind');
    expect(whyOf(e, 'left_behind')).toMatch(
      /^全部 2 名子女均已外出半年以上：张大 2019-03 起、张二 2026-05 起（丹东 2023 附件2：留守老人是指因子女（全部子女）长期（通常半年以上）/,
    );
  });

  it('does not derive 留守 when a child left less than six months ago', () => {
    const e = evaluate(elder({ supporters: [child('张大', '2019-03'), child('张二', '2026-06')] }));
    expect(e.categories).not.toContain('left_behind');
  });

  it('does not derive 留守 when a child has no away-since date', () => {
    expect(
      evaluate(elder({ supporters: [child('张大', '2019-03'), child('张二')] })).categories,
    ).not.toContain('left_behind');
  });

  it('does not derive 留守 without children, even if another supporter is away', () => {
    const e = evaluate(
      elder({
        supporters: [{ kind: 'other_supporter', name: '李侄', awaySince: '2015-01' }],
      }),
    );
    expect(e.categories).not.toContain('left_behind');
  });

  it('does not derive 留守 when a son listed in the household lives with the elder', () => {
    const e = evaluate(
      elder({
        supporters: [child('张大', '2019-03')],
        householdMembers: [livesIn('张小', '小儿子')],
      }),
    );
    expect(e.categories).not.toContain('left_behind');
  });

  it('derives 失能 from health 失能 only', () => {
    const e = evaluate(elder({ health: 'disabled' }));
    expect(e.categories).toContain('incapacitated');
    expect(whyOf(e, 'incapacitated')).toBe(
      '健康状况为“失能”（丹东 2023 附件2：失能老人是指丧失生活自理能力的老年人）',
    );
    expect(evaluate(elder({ health: 'partially_disabled' })).categories).not.toContain(
      'incapacitated',
    );
  });

  it('derives 特困 and 低保 from the assistance field', () => {
    const poor = evaluate(elder({ assistance: 'extreme_poverty' }));
    expect(poor.categories).toContain('extreme_poverty');
    expect(whyOf(poor, 'extreme_poverty')).toMatch(/^“低保\/特困”一栏为特困人员/);
    expect(poor.categories).not.toContain('subsistence');
    const sub = evaluate(elder({ assistance: 'subsistence' }));
    expect(sub.categories).toContain('subsistence');
    expect(sub.categories).not.toContain('extreme_poverty');
  });
});

describe('suggested categories (staff confirm)', () => {
  it('suggests 独居 when nobody lives with the elder, without adding it', () => {
    const e = evaluate(
      elder({ householdMembers: [{ name: '张大', relation: '儿子', livesWithElder: false }] }),
    );
    expect(sourceOf(e, 'living_alone')).toBe('suggested');
    expect(whyOf(e, 'living_alone')).toContain('请核实老人是否丧偶、子女是否不在身边');
    expect(e.categories).not.toContain('living_alone');
  });

  it('does not suggest 独居 when a household member lives in', () => {
    const e = evaluate(elder({ householdMembers: [livesIn('刘桂芝', '孙女')] }));
    expect(e.findings.map((f) => f.category)).not.toContain('living_alone');
  });

  it('suggests 空巢 for a couple living alone whose child is away', () => {
    const e = evaluate(
      elder({
        householdMembers: [livesIn('张福', '老伴')],
        supporters: [child('张大', '2026-10')],
      }),
    );
    expect(sourceOf(e, 'empty_nest')).toBe('suggested');
    expect(whyOf(e, 'empty_nest')).toContain('与老人同住的只有配偶张福（老伴）');
    expect(e.categories).not.toContain('empty_nest');
    expect(e.findings.map((f) => f.category)).not.toContain('living_alone');
  });

  it('does not suggest 空巢 when a grandchild lives with the couple too', () => {
    const e = evaluate(
      elder({
        householdMembers: [livesIn('张福', '丈夫'), livesIn('张小', '孙子')],
        supporters: [child('张大', '2019-03')],
      }),
    );
    expect(e.findings.map((f) => f.category)).not.toContain('empty_nest');
  });

  it('does not suggest 空巢 when no child is registered', () => {
    const e = evaluate(elder({ householdMembers: [livesIn('张福', '配偶')] }));
    expect(e.findings.map((f) => f.category)).not.toContain('empty_nest');
  });

  it('does not take a brother-in-law for a spouse', () => {
    const e = evaluate(
      elder({
        householdMembers: [livesIn('刘军', '妻弟')],
        supporters: [child('张大', '2019-03')],
      }),
    );
    expect(e.findings.map((f) => f.category)).not.toContain('empty_nest');
  });

  it('recognises spouses and children by the relation written on the form', () => {
    for (const r of ['配偶', '老伴', '妻子', '丈夫', '爱人', ' 夫 '])
      expect(isSpouseRelation(r)).toBe(true);
    for (const r of ['妻弟', '姐夫', '前妻', '前配偶', '儿媳', '孙子'])
      expect(isSpouseRelation(r)).toBe(false);
    for (const r of ['儿子', '女儿', '长子', '次女', '小儿子', '养女'])
      expect(isChildRelation(r)).toBe(true);
    for (const r of ['女婿', '孙子', '孙女', '儿媳', '侄子'])
      expect(isChildRelation(r)).toBe(false);
  });
});

describe('entered categories', () => {
  it('keeps a category chosen by staff, said to be decided by staff', () => {
    const e = evaluate(elder({ categories: ['bereaved_family', 'other'] }));
    expect(e.categories).toEqual(['bereaved_family', 'other']);
    expect(e.findings.filter((f) => f.source === 'entered')).toEqual([
      { category: 'bereaved_family', source: 'entered', why: '由工作人员认定' },
      { category: 'other', source: 'entered', why: '由工作人员认定' },
    ]);
  });

  it('reports an entered category that the data also prove once, as derived', () => {
    const e = evaluate(elder({ categories: ['very_old', 'very_old'] }, '1940-01-01'));
    expect(e.categories).toEqual(['very_old']);
    expect(e.findings.filter((f) => f.category === 'very_old')).toHaveLength(1);
    expect(sourceOf(e, 'very_old')).toBe('derived');
  });

  it('turns a suggestion into an entered category once staff choose it', () => {
    const e = evaluate(elder({ categories: ['living_alone'] }));
    expect(sourceOf(e, 'living_alone')).toBe('entered');
    expect(e.categories).toContain('living_alone');
  });

  it('lists categories in the fixed order whatever order staff chose them in', () => {
    const e = evaluate(
      elder(
        { categories: ['other', 'bereaved_family', 'living_alone'], health: 'disabled' },
        '1940-01-01',
      ),
    );
    expect(e.categories).toEqual([
      'living_alone',
      'incapacitated',
      'bereaved_family',
      'very_old',
      'other',
    ]);
  });
});

describe('contradictions (flagged, the record is kept)', () => {
  it('flags 独居 while a family member lives in, naming the member', () => {
    const e = evaluate(
      elder({ categories: ['living_alone'], householdMembers: [livesIn('张小', '孙子')] }),
    );
    expect(e.contradictions).toContainEqual({
      code: 'living_alone_with_member',
      field: 'categories',
      message:
        '已选择独居，但家庭成员张小（孙子）与老人同住（丹东 2023 附件2：独居老人是指丧偶，子女不在身边的老年人）',
    });
  });

  it('flags 空巢 while someone other than the spouse lives in', () => {
    const e = evaluate(
      elder({
        categories: ['empty_nest'],
        householdMembers: [livesIn('张福', '老伴'), livesIn('张小', '孙子')],
      }),
    );
    expect(codes(e)).toEqual(['empty_nest_with_others']);
    expect(e.contradictions[0]?.message).toContain('配偶以外的家庭成员张小（孙子）与老人同住');
  });

  it('flags 空巢 without a spouse living in', () => {
    const e = evaluate(elder({ categories: ['empty_nest'] }));
    expect(codes(e)).toEqual(['empty_nest_without_spouse']);
  });

  it('flags 独居 and 空巢 chosen together', () => {
    const e = evaluate(elder({ categories: ['living_alone', 'empty_nest'] }));
    expect(codes(e)).toContain('living_alone_and_empty_nest');
    expect(e.contradictions.find((c) => c.code === 'living_alone_and_empty_nest')?.message).toMatch(
      /^独居和空巢不能同时选择/,
    );
  });

  it('flags 重残 chosen for someone not recorded as disabled', () => {
    expect(codes(evaluate(elder({ categories: ['severely_disabled'] })))).toEqual([
      'severely_disabled_not_disabled',
    ]);
    expect(
      codes(
        evaluate(elder({ categories: ['severely_disabled'], disability: { disabled: false } })),
      ),
    ).toEqual(['severely_disabled_not_disabled']);
  });

  it('flags 重残 chosen with disability grade 3 or 4', () => {
    const e = evaluate(
      elder({
        categories: ['severely_disabled'],
        disability: { disabled: true, grade: 3, certificateNumber: 'X' },
      }),
    );
    expect(codes(e)).toEqual(['severely_disabled_grade']);
    expect(e.contradictions[0]?.message).toMatch(/^已选择重残，但残疾等级为三级/);
  });

  it('flags 重残 without a certificate number, whether chosen or derived', () => {
    const entered = evaluate(
      elder({ categories: ['severely_disabled'], disability: { disabled: true } }),
    );
    expect(entered.contradictions).toContainEqual(
      expect.objectContaining({
        code: 'severely_disabled_without_certificate',
        field: 'disability.certificateNumber',
      }),
    );
    const derived = evaluate(elder({ disability: { disabled: true, grade: 2 } }));
    expect(codes(derived)).toEqual(['severely_disabled_without_certificate']);
  });

  it('flags a grade or certificate number given for someone not disabled', () => {
    const e = evaluate(
      elder({ disability: { disabled: false, grade: 2, certificateNumber: 'C123' } }),
    );
    expect(e.contradictions).toEqual([
      {
        code: 'disability_details_without_disability',
        field: 'disability',
        message: '“是否残疾”选了“否”，却填写了残疾等级二级和残疾人证号 C123',
      },
    ]);
  });

  it('flags 留守 when a child is at home or left less than six months ago', () => {
    const e = evaluate(
      elder({
        categories: ['left_behind'],
        supporters: [child('张大', '2019-03'), child('张二', '2026-08'), child('张三')],
      }),
    );
    expect(e.contradictions).toHaveLength(1);
    expect(e.contradictions[0]?.code).toBe('left_behind_child_not_away');
    expect(e.contradictions[0]?.message).toMatch(
      /^已选择留守，但张二自 2026-08 起外出，至 2026-11-22 不满半年；张三未登记外出时间（丹东 2023 附件2/,
    );
  });

  it('flags 留守 without any child', () => {
    expect(codes(evaluate(elder({ categories: ['left_behind'] })))).toEqual([
      'left_behind_no_children',
    ]);
  });

  it('does not flag 留守 when every child has been away long enough', () => {
    const e = evaluate(
      elder({ categories: ['left_behind'], supporters: [child('张大', '2019-03')] }),
    );
    expect(e.contradictions).toEqual([]);
    expect(sourceOf(e, 'left_behind')).toBe('derived');
  });

  it('flags 失能 chosen while health is 健康', () => {
    const e = evaluate(elder({ categories: ['incapacitated'], health: 'healthy' }));
    expect(codes(e)).toEqual(['incapacitated_but_healthy']);
    expect(e.contradictions[0]?.message).toMatch(/^已选择失能，但健康状况为“健康”/);
  });

  it('flags 高龄 chosen for someone under 80, giving the age', () => {
    const e = evaluate(elder({ categories: ['very_old'] }, '1950-03-15'));
    expect(codes(e)).toEqual(['very_old_under_80']);
    expect(e.contradictions[0]?.message).toMatch(
      /^已选择高龄，但按身份证号老人在 2026-11-22 为 76 周岁，未满 80 周岁/,
    );
  });

  it('flags 低保 chosen while the assistance field says 特困', () => {
    const e = evaluate(elder({ categories: ['subsistence'], assistance: 'extreme_poverty' }));
    expect(e.contradictions).toEqual([
      {
        code: 'subsistence_mismatch',
        field: 'categories',
        message:
          '已选择低保，但“低保/特困”一栏为“特困”（丹东 2023 记录表 家庭基本情况：是否为低保对象 / 特困人员；海南 2018 信息采集表：是否享受低保）',
      },
    ]);
  });

  it('flags 特困 chosen while the assistance field says 无', () => {
    const e = evaluate(elder({ categories: ['extreme_poverty'] }));
    expect(codes(e)).toEqual(['extreme_poverty_mismatch']);
    expect(e.contradictions[0]?.message).toContain('“低保/特困”一栏为“无”');
  });

  it('finds nothing to flag in a consistent record', () => {
    const e = evaluate(
      elder({
        categories: ['empty_nest', 'severely_disabled'],
        disability: { disabled: true, grade: 1, certificateNumber: '21062419500315000211' },
        householdMembers: [livesIn('张福', '老伴')],
        supporters: [child('张大', '2026-10')],
        assistance: 'subsistence',
        health: 'partially_disabled',
      }),
    );
    expect(e.contradictions).toEqual([]);
  });

  it('can be called on its own with an age', () => {
    expect(
      findContradictions(elder({ categories: ['very_old'] }), 79, RECORD_DATE).map((c) => c.code),
    ).toEqual(['very_old_under_80']);
  });
});

describe('care tier (2022 指导意见: 高风险 weekly, 重点 monthly, 一般 quarterly)', () => {
  it('is 高风险 for an incapacitated or severely disabled elder who is alone, empty-nest or left behind', () => {
    const e = evaluate(elder({ categories: ['living_alone'], health: 'disabled' }));
    expect(e.tier.computed).toBe('high_risk');
    expect(e.tier.effective).toBe('high_risk');
    expect(e.tier.reasons).toEqual(['失能老人同时为独居老人，身边缺少家人照料']);
    const disabledLeftBehind = evaluate(
      elder({
        disability: { disabled: true, grade: 2, certificateNumber: 'X' },
        supporters: [child('张大', '2019-03')],
        householdMembers: [livesIn('张福', '老伴')],
      }),
    );
    expect(disabledLeftBehind.tier.computed).toBe('high_risk');
    expect(disabledLeftBehind.tier.reasons).toEqual(['重残老人同时为留守老人，身边缺少家人照料']);
  });

  it('is 高风险 for an extremely poor elder who is incapacitated', () => {
    const e = evaluate(
      elder({
        assistance: 'extreme_poverty',
        health: 'disabled',
        householdMembers: [livesIn('张福', '老伴')],
      }),
    );
    expect(e.tier.computed).toBe('high_risk');
    expect(e.tier.reasons).toEqual(['特困人员同时失能']);
  });

  it('is 高风险 for an elder of 80 or more living alone', () => {
    const e = evaluate(elder({ categories: ['living_alone'] }, '1940-01-01'));
    expect(e.tier.computed).toBe('high_risk');
    expect(e.tier.reasons).toEqual(['86 周岁高龄老人独居']);
  });

  it('is 高风险 for an elder alone or left behind whose housing, electricity or water is unsafe', () => {
    const e = evaluate(
      elder({
        categories: ['living_alone'],
        livingConditions: { safeHousing: false, safeWater: false },
      }),
    );
    expect(e.tier.computed).toBe('high_risk');
    expect(e.tier.reasons).toEqual(['独居老人的住房、饮水不安全']);
    const leftBehind = evaluate(
      elder({
        supporters: [child('张大', '2019-03')],
        householdMembers: [livesIn('张福', '老伴')],
        livingConditions: { safeElectricity: false },
      }),
    );
    expect(leftBehind.tier.reasons).toEqual(['留守老人的生活用电不安全']);
  });

  it('is 重点 for any special-difficulty category without a high-risk combination', () => {
    const e = evaluate(
      elder({ categories: ['living_alone'], livingConditions: { safeHousing: true } }),
    );
    expect(e.tier.computed).toBe('key');
    expect(e.tier.reasons).toEqual(['属于特殊困难老年人类别：独居']);
    const old = evaluate(elder({ householdMembers: [livesIn('刘桂芝', '女儿')] }, '1940-01-01'));
    expect(old.tier.computed).toBe('key');
    expect(old.tier.reasons).toEqual(['属于特殊困难老年人类别：高龄']);
  });

  it('is 一般 for an elder in no special-difficulty category', () => {
    const e = evaluate(
      elder({ categories: ['other'], householdMembers: [livesIn('刘桂芝', '女儿')] }),
    );
    expect(e.tier.computed).toBe('general');
    expect(e.tier.effective).toBe('general');
    expect(e.tier.reasons[0]).toMatch(/^不属于独居、空巢、留守、失能、重残/);
  });

  it('does not count a suggested 独居 towards the tier', () => {
    const e = evaluate(elder({ livingConditions: { safeHousing: false } }, '1940-01-01'));
    expect(sourceOf(e, 'living_alone')).toBe('suggested');
    expect(e.tier.computed).toBe('key');
  });

  it('applies a staff override, keeping the computed tier and the reason', () => {
    const e = evaluate(
      elder({
        categories: ['other'],
        householdMembers: [livesIn('刘桂芝', '女儿')],
        tierOverride: { tier: 'high_risk', reason: '近期跌倒两次，女儿白天外出' },
      }),
    );
    expect(e.tier).toEqual({
      computed: 'general',
      effective: 'high_risk',
      reasons: [e.tier.reasons[0]],
      override: { tier: 'high_risk', reason: '近期跌倒两次，女儿白天外出' },
    });
  });

  it('can be computed from given categories', () => {
    expect(computeTier(['empty_nest', 'severely_disabled'], elder(), 70).computed).toBe(
      'high_risk',
    );
    expect(computeTier(['subsistence'], elder(), 70).computed).toBe('key');
    expect(computeTier([], elder(), 70).computed).toBe('general');
  });
});

describe('properties', () => {
  /** Birth dates from which an elder is 60–110 on RECORD_DATE. */
  const birthDates = fc
    .date({
      min: new Date('1916-11-23T00:00:00Z'),
      max: new Date('1966-11-22T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it('adds 高龄 exactly when the elder is 80 or more, unless staff chose it', () => {
    fc.assert(
      fc.property(birthDates, (birthDate) => {
        const e = evaluate(elder({}, birthDate));
        expect(e.age).toBeGreaterThanOrEqual(60);
        expect(e.categories.includes('very_old')).toBe(e.age >= 80);
      }),
    );
  });

  const records = fc.record({
    categories: fc.array(fc.constantFrom(...CATEGORIES), { maxLength: 10 }),
    health: fc.constantFrom('healthy', 'partially_disabled', 'disabled', undefined),
    assistance: fc.constantFrom('none', 'subsistence', 'extreme_poverty'),
    grade: fc.constantFrom(1, 2, 3, 4, undefined),
    disabled: fc.boolean(),
    spouseLivesIn: fc.boolean(),
    awaySince: fc.constantFrom('2019-03', '2026-05', '2026-06', undefined),
    unsafe: fc.boolean(),
    birthDate: birthDates,
  });
  /** An elder record from generated facts. */
  function build(r: {
    categories: Category[];
    health: 'healthy' | 'partially_disabled' | 'disabled' | undefined;
    assistance: 'none' | 'subsistence' | 'extreme_poverty';
    grade: 1 | 2 | 3 | 4 | undefined;
    disabled: boolean;
    spouseLivesIn: boolean;
    awaySince: string | undefined;
    unsafe: boolean;
    birthDate: string;
  }): ElderData {
    return elder(
      {
        categories: r.categories,
        ...(r.health ? { health: r.health } : {}),
        assistance: r.assistance,
        disability: { disabled: r.disabled, ...(r.grade ? { grade: r.grade } : {}) },
        householdMembers: r.spouseLivesIn ? [livesIn('张福', '老伴')] : [],
        supporters: [child('张大', r.awaySince)],
        livingConditions: { safeWater: !r.unsafe },
      },
      r.birthDate,
    );
  }

  it('keeps every chosen category, once, in the fixed order, with one finding each', () => {
    fc.assert(
      fc.property(records, (r) => {
        const e = evaluate(build(r));
        for (const c of r.categories) expect(e.categories).toContain(c);
        expect(new Set(e.categories).size).toBe(e.categories.length);
        expect(e.categories).toEqual(CATEGORIES.filter((c) => e.categories.includes(c)));
        const applied = e.findings.filter((f) => f.source !== 'suggested').map((f) => f.category);
        expect(applied).toEqual(e.categories);
        for (const f of e.findings.filter((f) => f.source === 'suggested')) {
          expect(e.categories).not.toContain(f.category);
        }
      }),
    );
  });

  it('never lowers the tier when a category is added', () => {
    fc.assert(
      fc.property(records, fc.constantFrom(...CATEGORIES), (r, extra) => {
        const data = build(r);
        const e = evaluate(data);
        const more = computeTier([...e.categories, extra], data, e.age);
        expect(tierRank(more.computed)).toBeLessThanOrEqual(tierRank(e.tier.computed));
      }),
    );
  });

  it('gives the same findings through evaluateElder and deriveCategories', () => {
    fc.assert(
      fc.property(records, (r) => {
        const data = build(r);
        const e = evaluate(data);
        expect(deriveCategories(data, e.age, RECORD_DATE)).toEqual(e.findings);
      }),
    );
  });
});
