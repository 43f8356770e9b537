import {
  ANSHAN_2020,
  DANDONG_2023,
  checkAnswers,
  prefilledAnswers,
  type ChecklistItem,
} from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import {
  answerWords,
  changedKeys,
  checkValueOf,
  chooseOption,
  formLevelIssues,
  issuesByKey,
  sectionStartsOpen,
  setCheck,
  setOptionNumber,
  setOptionText,
  setSignature,
  setText,
  type ChoiceItem,
} from './formModel';

const item = (key: string) => {
  for (const s of DANDONG_2023.sections) for (const i of s.items) if (i.key === key) return i;
  throw new Error(key);
};
const illness = item('illness') as ChoiceItem;
const household = item('household_size') as ChoiceItem;
const CHECK: ChecklistItem = { key: 'stove', label: '炉具与烟道' };

describe('answers of the visit form', () => {
  it('prefilled no-change answers of 丹东 pass the domain check without a tap', () => {
    expect(checkAnswers(DANDONG_2023, prefilledAnswers(DANDONG_2023))).toEqual([]);
    expect(checkAnswers(ANSHAN_2020, prefilledAnswers(ANSHAN_2020))).toEqual([]);
  });

  it('asks for the disease name once 严重疾病 is chosen, and accepts it when written', () => {
    let a = chooseOption(prefilledAnswers(DANDONG_2023), illness, 'serious');
    expect(checkAnswers(DANDONG_2023, a)).toEqual([
      { field: 'answers.illness', message: '请填写疾病名称' },
    ]);
    a = setOptionText(a, 'illness', '脑梗');
    expect(a.illness).toEqual({ value: 'serious', text: '脑梗' });
    expect(checkAnswers(DANDONG_2023, a)).toEqual([]);
  });

  it('drops the disease name when another option is chosen', () => {
    const a = setOptionText(chooseOption({}, illness, 'serious'), 'illness', '脑梗');
    expect(chooseOption(a, illness, 'improved').illness).toEqual({ value: 'improved' });
    expect(chooseOption(a, illness, 'serious').illness).toEqual({ value: 'serious', text: '脑梗' });
  });

  it('keeps only whole numbers of people for 增加', () => {
    const a = chooseOption({}, household, 'increased');
    expect(setOptionNumber(a, 'household_size', '2').household_size).toEqual({
      value: 'increased',
      number: 2,
    });
    expect(setOptionNumber(a, 'household_size', 'x').household_size).toEqual({
      value: 'increased',
    });
    expect(setOptionNumber(a, 'household_size', '').household_size).toEqual({ value: 'increased' });
  });

  it('removes an emptied text and a cleared signature', () => {
    const a = setText({}, 'service_needs', '需要送餐');
    expect(a.service_needs).toEqual({ text: '需要送餐' });
    expect(setText(a, 'service_needs', '')).toEqual({});
    const id = '0190d2f4-2b1a-7c3d-8e4f-0a1b2c3d4e5f';
    const s = setSignature({}, 'elder_signature', id);
    expect(s).toEqual({ elder_signature: { signature: id } });
    expect(setSignature(s, 'elder_signature', null)).toEqual({});
  });

  it('answers a campaign check, keeping the note only for 发现隐患', () => {
    let a = setCheck({}, CHECK, 'hazard', '烟道漏气');
    expect(a.check_stove).toEqual({ value: 'hazard', text: '烟道漏气' });
    expect(checkValueOf(a, CHECK)).toBe('hazard');
    a = setCheck(a, CHECK, 'ok', '烟道漏气');
    expect(a.check_stove).toEqual({ value: 'ok' });
    expect(
      checkAnswers(DANDONG_2023, { ...prefilledAnswers(DANDONG_2023), ...a }, [CHECK]),
    ).toEqual([]);
  });
});

describe('issues on the form', () => {
  it('puts each answer issue on its item and keeps the others for the page', () => {
    const issues = [
      { field: 'answers.mood', message: '请填写“情绪状态”' },
      { field: 'answers.mood', message: '第二条' },
      { field: 'answers.check_stove', message: '请完成专项检查“炉具与烟道”' },
      { field: 'method', message: '请选择探访方式' },
    ];
    const byKey = issuesByKey(issues);
    expect(byKey.get('mood')).toBe('请填写“情绪状态”');
    expect(byKey.get('check_stove')).toBe('请完成专项检查“炉具与烟道”');
    expect(byKey.size).toBe(2);
    expect(formLevelIssues(issues)).toEqual([{ field: 'method', message: '请选择探访方式' }]);
  });

  it('folds an optional section unless it holds an answer or an issue', () => {
    const areas = DANDONG_2023.sections.find((s) => s.optional)!;
    const health = DANDONG_2023.sections.find((s) => s.key === 'health')!;
    expect(sectionStartsOpen(health, {}, new Map())).toBe(true);
    expect(sectionStartsOpen(areas, {}, new Map())).toBe(false);
    expect(sectionStartsOpen(areas, { family_care: { text: '子女每周来' } }, new Map())).toBe(true);
    expect(sectionStartsOpen(areas, {}, new Map([['living_security', '太长']]))).toBe(true);
  });
});

describe('last visit hints', () => {
  it('reads a previous answer in the form’s words', () => {
    expect(answerWords(illness, { value: 'serious', text: '脑梗' })).toBe('严重疾病（脑梗）');
    expect(answerWords(household, { value: 'increased', number: 2 })).toBe('增加 2 人');
    expect(answerWords(illness, { value: 'unchanged' })).toBe('无变化');
    expect(answerWords(item('service_needs'), { text: '需要送餐' })).toBe('需要送餐');
    expect(answerWords(illness, undefined)).toBeNull();
    expect(answerWords(illness, { value: 'gone' })).toBeNull();
  });

  it('lists the items changed from no-change', () => {
    const a = chooseOption(prefilledAnswers(DANDONG_2023), illness, 'improved');
    expect(changedKeys(DANDONG_2023, a)).toEqual(['illness']);
  });
});
