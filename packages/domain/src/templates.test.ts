import { describe, expect, it } from 'vitest';
import { ANSHAN_2020, BUILTIN_TEMPLATES, DANDONG_2023 } from './builtin-templates.js';
import { DEFAULT_CHECKLISTS } from './policies.js';
import { FormTemplate, checkAnswers, checkKey, findingsOf, prefilledAnswers } from './templates.js';

describe('form templates', () => {
  it('transcribes the 鞍山 table: 12 items, each 正常/一般/较差, methods 实地 and 电话', () => {
    const items = ANSHAN_2020.sections.flatMap((s) => s.items);
    expect(items).toHaveLength(12);
    expect(ANSHAN_2020.sections.map((s) => s.label)).toEqual([
      '健康状况',
      '精神状态',
      '安全情况',
      '卫生环境',
    ]);
    for (const item of items) {
      expect(item.kind === 'choice' && item.options.map((o) => o.label)).toEqual([
        '正常',
        '一般',
        '较差',
      ]);
    }
    expect(ANSHAN_2020.methods.map((m) => m.label)).toEqual(['实地', '电话']);
  });

  it('transcribes the 丹东 table 五 with its safety scale, needs and three signatures', () => {
    const labels = DANDONG_2023.sections.flatMap((s) => s.items.map((i) => i.label));
    for (const l of [
      '家庭人口',
      '燃气安全',
      '消防安全',
      '室内环境',
      '老年人服务需求',
      '实施关爱服务建议',
    ])
      expect(labels).toContain(l);
    expect(labels.filter((l) => l.endsWith('(签字)'))).toHaveLength(3);
    expect(DANDONG_2023.methods.map((m) => m.label)).toEqual([
      '电话问候',
      '上门探访',
      '互联网音(视)频探访',
      '其他',
    ]);
  });

  it('accepts the prefilled answers of an elder whose situation has not changed', () => {
    for (const t of BUILTIN_TEMPLATES) {
      const answers = prefilledAnswers(t);
      expect(checkAnswers(t, answers)).toEqual([]);
      expect(findingsOf(t, answers)).toEqual([]);
    }
    expect(prefilledAnswers(DANDONG_2023)['gas_safety']).toEqual({ value: 'safe' });
  });

  it('names the answer that does not fit the template', () => {
    const answers = prefilledAnswers(DANDONG_2023);
    expect(checkAnswers(DANDONG_2023, { ...answers, mood: { value: 'happy' } })).toEqual([
      { field: 'answers.mood', message: '“情绪状态”应为：无变化、较好、较差' },
    ]);
    expect(checkAnswers(DANDONG_2023, { ...answers, illness: { value: 'serious' } })[0]).toEqual({
      field: 'answers.illness',
      message: '请填写疾病名称',
    });
    expect(
      checkAnswers(DANDONG_2023, { ...answers, household_size: { value: 'decreased' } })[0]!.field,
    ).toBe('answers.household_size');
    expect(
      checkAnswers(ANSHAN_2020, {
        ...prefilledAnswers(ANSHAN_2020),
        gas_safety: { value: 'safe' },
      }),
    ).toEqual([
      { field: 'answers.gas_safety', message: '表单 anshan-2020 第 1 版没有项目 gas_safety' },
    ]);
    const { mood: _dropped, ...missing } = answers;
    expect(checkAnswers(DANDONG_2023, missing)).toEqual([
      { field: 'answers.mood', message: '请填写“情绪状态”' },
    ]);
  });

  it('asks for the campaign checks in force and raises a hazard found in one', () => {
    const checklist = DEFAULT_CHECKLISTS.heating_season;
    const answers = prefilledAnswers(DANDONG_2023);
    expect(checkAnswers(DANDONG_2023, answers, checklist).map((i) => i.field)).toEqual([
      'answers.check_indoor_temperature',
      'answers.check_heating_safety',
    ]);
    const checked = {
      ...answers,
      [checkKey(checklist[0]!)]: { value: 'ok' },
      [checkKey(checklist[1]!)]: { value: 'hazard', text: '烟囱堵塞' },
    };
    expect(checkAnswers(DANDONG_2023, checked, checklist)).toEqual([]);
    expect(findingsOf(DANDONG_2023, checked, { checklist })).toEqual([
      {
        type: 'safety_hazard',
        severity: 'high',
        title: '专项检查发现隐患：取暖安全（煤气中毒、火灾隐患）',
        source: '取暖安全（煤气中毒、火灾隐患）：烟囱堵塞',
      },
    ]);
  });

  it('turns 较差, 不安全, a serious illness, a family crisis and the emergency switch into findings', () => {
    const findings = findingsOf(
      DANDONG_2023,
      {
        ...prefilledAnswers(DANDONG_2023),
        illness: { value: 'serious', text: '脑梗' },
        gas_safety: { value: 'unsafe' },
        household_size: { value: 'decreased', number: 1 },
      },
      { emergency: true, emergencyNote: '老人摔倒无法起身' },
    );
    expect(findings.map((f) => [f.type, f.severity, f.source])).toEqual([
      ['emergency', 'emergency', '老人摔倒无法起身'],
      ['family_crisis', 'medium', '家庭人口：减少 1 人'],
      ['health_decline', 'high', '疾病状况：严重疾病（脑梗）'],
      ['safety_hazard', 'high', '燃气安全：不安全'],
    ]);
    expect(
      findingsOf(ANSHAN_2020, {
        ...prefilledAnswers(ANSHAN_2020),
        electric_safety: { value: 'poor' },
      }),
    ).toMatchObject([{ type: 'safety_hazard', title: '用电安全较差' }]);
  });

  it('refuses an uploaded template whose keys repeat or whose rules name no item', () => {
    const bad = {
      ...DANDONG_2023,
      key: 'city-2027',
      sections: [
        ...DANDONG_2023.sections,
        { key: 'extra', label: '补充', items: [{ kind: 'text', key: 'mood', label: '重复' }] },
      ],
      findingRules: [
        { item: 'nothing', values: ['x'], type: 'need', severity: 'low', title: '无' },
      ],
    };
    const r = FormTemplate.safeParse(bad);
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain('项目代码 mood 重复');
    expect(messages).toContain('规则引用的项目 nothing 不存在');
  });
});
