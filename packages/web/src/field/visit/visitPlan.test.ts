import {
  ANSHAN_2020,
  DANDONG_2023,
  prefilledAnswers,
  type ObligationDto,
  type VisitDto,
  type WorklistItemDto,
} from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import {
  builtinTemplate,
  planVisit,
  previousAnswers,
  templateKeysNeeded,
  tasksNotCounted,
  visitIssues,
} from './visitPlan';

function task(obligation: Partial<ObligationDto>): WorklistItemDto {
  return {
    elder: {
      id: 'e1',
      name: '王秀兰',
      gender: 'female',
      age: 82,
      village: { code: '210624101201', name: '东岔村', fullName: '东岔村' },
      tier: 'key',
      categories: [],
      status: 'active',
      phoneMasked: null,
      address: null,
    },
    role: 'primary',
    bucket: 'later',
    daysOverdue: null,
    lastVisit: null,
    obligation: {
      kind: 'regular',
      key: 'k',
      periodKey: '2026-11',
      periodLabel: '2026年11月',
      windowStart: '2026-11-01T00:00:00+08:00',
      dueBy: '2026-12-01T00:00:00+08:00',
      status: 'due',
      clipped: false,
      countedMethods: ['in_person', 'phone'],
      policy: null,
      campaign: null,
      visit: null,
      ...obligation,
    },
  };
}

const campaign = (checklist: { key: string; label: string }[]) => ({
  id: 'c',
  name: '供暖季安全专项',
  kind: 'heating_season' as const,
  checklist,
});

describe('the form of a visit', () => {
  it('uses the policy’s template and falls back to 丹东 2023', () => {
    const policy = { id: 'p', version: 1, name: '鞍山月访', templateKey: 'anshan-2020' };
    expect(planVisit([task({ policy })]).templateKey).toBe('anshan-2020');
    expect(planVisit([task({})]).templateKey).toBe('dandong-2023');
    expect(builtinTemplate('anshan-2020')).toBe(ANSHAN_2020);
    expect(builtinTemplate('tieling-2024')).toBeUndefined();
  });

  it('names each form the worklist’s elders need once, so they can be kept on the phone', () => {
    const anshan = { id: 'p', version: 1, name: '鞍山月访', templateKey: 'anshan-2020' };
    const elder = (id: string, o: Partial<ObligationDto>) => {
      const t = task(o);
      return { ...t, elder: { ...t.elder, id } };
    };
    expect(
      templateKeysNeeded([
        elder('a', { policy: anshan }),
        elder('a', { kind: 'campaign', campaign: campaign([]) }),
        elder('b', { policy: anshan }),
        elder('c', {}),
      ]),
    ).toEqual(['anshan-2020', 'dandong-2023']);
    expect(templateKeysNeeded([])).toEqual([]);
  });

  it('adds each campaign check once and names the tasks a method does not count for', () => {
    const stove = { key: 'stove', label: '炉具与烟道' };
    const plan = planVisit([
      task({ kind: 'campaign', countedMethods: ['in_person'], campaign: campaign([stove]) }),
      task({ countedMethods: ['in_person', 'phone'] }),
      task({ kind: 'campaign', campaign: campaign([stove, { key: 'gas', label: '燃气' }]) }),
    ]);
    expect(plan.checklist.map((c) => c.key)).toEqual(['stove', 'gas']);
    expect(tasksNotCounted(plan.tasks, 'in_person')).toEqual([]);
    expect(tasksNotCounted(plan.tasks, 'phone').map((t) => t.name)).toEqual([
      '专项探访“供暖季安全专项”',
    ]);
  });

  it('shows the last visit’s answers only when it used the same form', () => {
    const visit = {
      template: { key: 'dandong-2023', version: 1, name: '' },
      answers: { mood: { value: 'worse' } },
    };
    const visits = [visit as unknown as VisitDto];
    expect(previousAnswers(visits, 'dandong-2023')).toEqual({ mood: { value: 'worse' } });
    expect(previousAnswers(visits, 'anshan-2020')).toBeNull();
    expect(previousAnswers([], 'dandong-2023')).toBeNull();
  });

  it('asks for the method before anything else and passes an unchanged elder', () => {
    const answers = prefilledAnswers(DANDONG_2023);
    expect(visitIssues(DANDONG_2023, null, answers, [])).toEqual([
      { field: 'method', message: '请选择探访方式' },
    ]);
    expect(visitIssues(DANDONG_2023, 'in_person', answers, [])).toEqual([]);
    expect(visitIssues(ANSHAN_2020, 'video', prefilledAnswers(ANSHAN_2020), [])[0]?.field).toBe(
      'method',
    );
  });
});
