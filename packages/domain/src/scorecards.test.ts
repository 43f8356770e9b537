import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCORECARD_CONFIG,
  ScorecardConfigInput,
  scoreIndicator,
  scorecardTotal,
  scoredIndicators,
} from './scorecards.js';

describe('scorecards (绩效考评)', () => {
  it('gives an indicator its weight in proportion to the rate, all of it at the 满分线', () => {
    const c = { key: 'visit_rate' as const, weight: 40, target: 0.9 };
    expect(scoreIndicator(c, { numerator: 45, denominator: 60 }, '无')).toMatchObject({
      value: 0.75,
      points: 33.33,
      noData: null,
      numeratorLabel: '已探访',
      denominatorLabel: '应访',
    });
    expect(scoreIndicator(c, { numerator: 59, denominator: 60 }, '无').points).toBe(40);
  });

  it('marks an indicator with nothing to count 暂无数据 instead of scoring it 0', () => {
    const c = { key: 'spot_check_pass' as const, weight: 20, target: 1 };
    expect(scoreIndicator(c, null, '尚未开展抽查')).toMatchObject({
      value: null,
      points: null,
      noData: '尚未开展抽查',
    });
    expect(
      scoreIndicator(c, { numerator: 0, denominator: 0 }, '没有已核实的抽查').points,
    ).toBeNull();
  });

  it('totals the indicators with data out of their weights, scaled to 100', () => {
    const indicators = [
      scoreIndicator(
        { key: 'visit_rate', weight: 40, target: 1 },
        { numerator: 9, denominator: 10 },
        '',
      ),
      scoreIndicator(
        { key: 'ledger_completeness', weight: 20, target: 1 },
        { numerator: 1, denominator: 2 },
        '',
      ),
      scoreIndicator({ key: 'spot_check_pass', weight: 40, target: 1 }, null, '无'),
    ];
    expect(scorecardTotal(indicators)).toEqual({ points: 46, weightCounted: 60, total: 76.67 });
    expect(scorecardTotal([indicators[2]!])).toEqual({ points: 0, weightCounted: 0, total: null });
  });

  it('refuses weights that do not add up to 100, naming the indicators, and an indicator set twice', () => {
    const sum = ScorecardConfigInput.safeParse({
      indicators: [
        { key: 'visit_rate', weight: 60 },
        { key: 'ledger_completeness', weight: 30 },
      ],
    });
    expect(sum.success).toBe(false);
    expect(sum.error!.issues[0]).toMatchObject({
      path: ['indicators'],
      message: '各项指标的权重合计应为 100，现为 90',
    });
    const twice = ScorecardConfigInput.safeParse({
      indicators: [
        { key: 'visit_rate', weight: 50 },
        { key: 'visit_rate', weight: 50 },
      ],
    });
    expect(twice.error!.issues[0]!.path).toEqual(['indicators', 1, 'key']);
    expect(ScorecardConfigInput.parse(DEFAULT_SCORECARD_CONFIG)).toEqual(DEFAULT_SCORECARD_CONFIG);
  });

  it('scores the configured indicators in scorecard order, leaving out those weighted 0', () => {
    const config = ScorecardConfigInput.parse({
      indicators: [
        { key: 'spot_check_pass', weight: 0 },
        { key: 'follow_up_on_time', weight: 50 },
        { key: 'visit_rate', weight: 50 },
      ],
    });
    expect(scoredIndicators(config).map((i) => i.key)).toEqual(['visit_rate', 'follow_up_on_time']);
  });
});
