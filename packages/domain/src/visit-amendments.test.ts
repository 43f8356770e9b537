import { describe, expect, it } from 'vitest';
import { ANSHAN_2020, DANDONG_2023 } from './builtin-templates.js';
import { prefilledAnswers } from './templates.js';
import {
  VisitAmendmentInput,
  amendableUntil,
  versionChanges,
  type VisitVersion,
} from './visit-amendments.js';
import { visitTimeIssue } from './visits.js';

const first: VisitVersion = {
  visitedAt: '2026-12-01T02:30:00.000Z',
  method: 'in_person',
  answers: prefilledAnswers(DANDONG_2023),
  emergency: false,
  emergencyNote: null,
};

describe('versionChanges', () => {
  it('finds nothing between a version and itself, whatever the order of an answer’s fields', () => {
    const reordered: VisitVersion = {
      ...first,
      visitedAt: '2026-12-01T10:30:00+08:00',
      answers: {
        ...first.answers,
        illness: { text: '脑梗', value: 'serious' },
      },
    };
    const before = {
      ...first,
      answers: { ...first.answers, illness: { value: 'serious', text: '脑梗' } },
    };
    expect(versionChanges(DANDONG_2023, [], before, reordered)).toEqual([]);
  });

  it('names each change in the form’s words, old → new, time and method first', () => {
    const after: VisitVersion = {
      visitedAt: '2026-12-02T01:00:00.000Z',
      method: 'phone',
      answers: {
        ...first.answers,
        gas_safety: { value: 'unsafe' },
        household_size: { value: 'decreased', number: 1 },
        service_needs: { text: '需要助餐' },
        check_indoor_temperature: { value: 'hazard', text: '室温 12 度' },
      },
      emergency: true,
      emergencyNote: '老人摔倒',
    };
    const checklist = [{ key: 'indoor_temperature', label: '室内温度' }];
    expect(versionChanges(DANDONG_2023, checklist, first, after)).toEqual([
      {
        field: 'visitedAt',
        label: '探访时间',
        before: '2026-12-01 10:30',
        after: '2026-12-02 09:00',
      },
      { field: 'method', label: '探访方式', before: '上门探访', after: '电话问候' },
      { field: 'emergency', label: '紧急情况', before: '否', after: '是' },
      { field: 'emergencyNote', label: '紧急情况说明', before: '未填写', after: '老人摔倒' },
      { field: 'answers.household_size', label: '家庭人口', before: '无变化', after: '减少 1 人' },
      { field: 'answers.gas_safety', label: '燃气安全', before: '安全', after: '不安全' },
      {
        field: 'answers.service_needs',
        label: '老年人服务需求',
        before: '未填写',
        after: '需要助餐',
      },
      {
        field: 'answers.check_indoor_temperature',
        label: '室内温度',
        before: '未填写',
        after: '发现隐患（室温 12 度）',
      },
    ]);
  });

  it('uses the method’s name on the visit’s own form (鞍山: 实地, 电话)', () => {
    const anshan = { ...first, answers: prefilledAnswers(ANSHAN_2020) };
    const changes = versionChanges(ANSHAN_2020, [], anshan, { ...anshan, method: 'phone' });
    expect(changes).toEqual([
      { field: 'method', label: '探访方式', before: '实地', after: '电话' },
    ]);
  });

  it('names answers by their keys when the form could not be loaded', () => {
    const changes = versionChanges(undefined, [], first, {
      ...first,
      answers: { ...first.answers, gas_safety: { value: 'unsafe' } },
    });
    expect(changes).toEqual([
      { field: 'answers.gas_safety', label: 'gas_safety', before: 'safe', after: 'unsafe' },
    ]);
  });
});

describe('amendableUntil', () => {
  it('ends the window the given number of days after the visit was entered', () => {
    expect(amendableUntil('2026-12-01T02:00:00.000Z', 7)).toBe('2026-12-08T02:00:00.000Z');
  });
});

describe('visitTimeIssue', () => {
  const now = Date.parse('2026-12-06T04:00:00Z');
  const active = { registered: '2026-11-01', status: 'active', statusSince: '2026-11-01' };

  it('accepts a time between registration and now, allowing a phone clock 5 minutes ahead', () => {
    expect(visitTimeIssue(now - 3_600_000, now, active)).toBeNull();
    expect(visitTimeIssue(now + 4 * 60_000, now, active)).toBeNull();
  });

  it('refuses the future, the days before registration and the days from death on', () => {
    expect(visitTimeIssue(now + 6 * 60_000, now, active)).toContain('不能晚于现在');
    expect(visitTimeIssue(Date.parse('2026-10-31T15:59:00Z'), now, active)).toBe(
      '探访时间早于该老年人登记入册的日期 2026-11-01，请核对探访日期',
    );
    const died = { ...active, status: 'deceased', statusSince: '2026-12-03' };
    expect(visitTimeIssue(Date.parse('2026-12-02T15:59:00Z'), now, died)).toBeNull();
    expect(visitTimeIssue(Date.parse('2026-12-02T16:00:00Z'), now, died)).toBe(
      '该老年人自 2026-12-03 起已故，探访时间应早于该日期',
    );
  });
});

describe('VisitAmendmentInput', () => {
  it('requires the version read and a reason, with Chinese messages naming them', () => {
    const result = VisitAmendmentInput.safeParse({
      visitedAt: first.visitedAt,
      method: 'in_person',
      answers: first.answers,
      reason: '   ',
    });
    expect(result.success).toBe(false);
    const issues = result.error!.issues.map((i) => [i.path.join('.'), i.message]);
    expect(issues).toContainEqual(['revision', '记录版本必须是数字']);
    expect(issues).toContainEqual(['reason', '请填写更正原因']);
  });

  it('refuses fields a correction cannot change, such as the elder or the visitor', () => {
    const result = VisitAmendmentInput.safeParse({
      revision: 1,
      visitedAt: first.visitedAt,
      method: 'in_person',
      answers: first.answers,
      reason: '录错了',
      elderId: '0190f2a4-0000-7000-8000-000000000000',
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.code).toBe('unrecognized_keys');
  });
});
