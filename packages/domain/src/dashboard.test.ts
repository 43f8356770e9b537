import { describe, expect, it } from 'vitest';
import { DashboardPeriodQuery, RateTrendQuery, needKindOf } from './dashboard.js';

describe('dashboard figures (数据看板)', () => {
  it('reads the kind of service a need asks for from its words, 其他 when none is recognised', () => {
    expect(needKindOf('脑梗后左侧肢体无力，需上门康复训练')).toBe('rehab_nursing');
    expect(needKindOf('高血压，近期头晕，需上门测量血压并调整用药')).toBe('medical');
    expect(needKindOf('独居，右腿骨折后行动不便，需每周上门助餐、打扫卫生两次')).toBe('daily_care');
    expect(needKindOf('卫生间地面湿滑、无扶手，需适老化改造（防滑地面、扶手）')).toBe(
      'home_adaptation',
    );
    expect(needKindOf('老伴去世后情绪低落')).toBe('social_work');
    expect(needKindOf('子女不履行赡养义务')).toBe('legal_aid');
    expect(needKindOf('冬季取暖费困难')).toBe('social_assistance');
    expect(needKindOf('希望多来看看')).toBe('other');
  });

  it('refuses a trend longer than two years and a period that ends before it starts, naming the field', () => {
    expect(RateTrendQuery.safeParse({ months: '30' }).error!.issues[0]!.path).toEqual(['months']);
    expect(RateTrendQuery.parse({}).months).toBe(12);
    const reversed = DashboardPeriodQuery.safeParse({ from: '2026-12-01', to: '2026-01-01' });
    expect(reversed.error!.issues[0]!.path).toEqual(['from']);
  });
});
