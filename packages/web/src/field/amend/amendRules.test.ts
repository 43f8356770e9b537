import { DANDONG_2023, prefilledAnswers } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { OFFLINE_MESSAGE, amendIssues, placeAmendFailure, wallClockInput } from './amendRules';

const failure = (over: Partial<Parameters<typeof placeAmendFailure>[0]>) => ({
  status: 400,
  code: 'invalid_input',
  message: '输入有误',
  field: undefined,
  details: [],
  ...over,
});

describe('where a refused correction is shown', () => {
  it('tells the visitor without signal to correct when online, keeping what was typed', () => {
    const placed = placeAmendFailure(
      failure({ status: 0, code: 'network_error', message: '无法连接服务器' }),
    );
    expect(placed).toEqual({ fields: {}, items: [], form: OFFLINE_MESSAGE, kind: 'offline' });
    expect(OFFLINE_MESSAGE).toContain('请在有网络时更正');
  });

  it('puts the server’s message next to the field it names', () => {
    const placed = placeAmendFailure(
      failure({ field: 'visitedAt', message: '探访时间不能晚于现在，请检查手机的日期和时间' }),
    );
    expect(placed.fields).toEqual({ visitedAt: '探访时间不能晚于现在，请检查手机的日期和时间' });
    expect(placed.form).toBeNull();
  });

  it('puts problems of answers on their items and sums them up above 提交更正', () => {
    const placed = placeAmendFailure(
      failure({
        code: 'invalid_answers',
        message: '探访记录填写有误：请填写“情绪状态”（共 2 处）',
        field: 'answers.mood',
        details: [
          { field: 'answers.mood', message: '请填写“情绪状态”' },
          { field: 'reason', message: '请填写更正原因' },
        ],
      }),
    );
    expect(placed.items).toEqual([{ field: 'answers.mood', message: '请填写“情绪状态”' }]);
    expect(placed.fields).toEqual({ reason: '请填写更正原因' });
    expect(placed.form).toContain('共 2 处');
  });

  it('tells a closed window and a version corrected meanwhile apart', () => {
    expect(
      placeAmendFailure(
        failure({ status: 409, code: 'amend_window_closed', message: '已超过期限' }),
      ),
    ).toMatchObject({ kind: 'closed', form: '已超过期限' });
    expect(
      placeAmendFailure(
        failure({ status: 409, code: 'revision_stale', field: 'revision', message: '现为第 3 版' }),
      ),
    ).toMatchObject({ kind: 'stale', form: '现为第 3 版', fields: {} });
  });
});

describe('checks before a correction is sent', () => {
  const answers = prefilledAnswers(DANDONG_2023);
  const now = Date.parse('2026-12-07T10:00:00+08:00');

  it('asks for a reason and a time not in the future', () => {
    expect(
      amendIssues(
        { visitedAt: '2026-12-07T11:00:00+08:00', reason: '  ', answers },
        DANDONG_2023,
        [],
        now,
      ).fields,
    ).toEqual({ visitedAt: '探访时间不能晚于现在', reason: '请填写更正原因' });
    expect(
      amendIssues(
        { visitedAt: '2026-12-07T09:00:00+08:00', reason: '录错', answers },
        DANDONG_2023,
        [],
        now,
      ),
    ).toEqual({ fields: {}, items: [] });
  });

  it('checks the answers against the visit’s own form', () => {
    const { mood: _mood, ...withoutMood } = answers;
    const { items } = amendIssues(
      { visitedAt: '2026-12-07T09:00:00+08:00', reason: '录错', answers: withoutMood },
      DANDONG_2023,
      [],
      now,
    );
    expect(items.map((i) => i.field)).toEqual(['answers.mood']);
  });
});

describe('the visit time on the phone', () => {
  it('is China wall-clock time, whatever the phone’s zone', () => {
    expect(wallClockInput('2026-12-06T16:30:00.000Z')).toBe('2026-12-07T00:30');
  });
});
