import type { PolicyDto, PolicyVersionDto } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { chinaTime } from '../../lib/format';
import { withinText } from '../campaigns/campaignText';
import { firstOfNextMonth, nextChangeDate, policyView, versionChanges } from './policyText';

function version(overrides: Partial<PolicyVersionDto>): PolicyVersionDto {
  return {
    version: 1,
    effectiveFrom: '2026-09-01',
    retired: false,
    name: '特殊困难老年人每月探访',
    tiers: [],
    categories: [],
    cadence: { kind: 'monthly' },
    countedMethods: ['in_person', 'phone'],
    inPersonEvery: null,
    templateKey: 'dandong-2023',
    entryGraceDays: 3,
    note: null,
    createdAt: '2026-08-20T02:00:00.000Z',
    createdBy: null,
    ...overrides,
  };
}

function policy(versions: PolicyVersionDto[], current: PolicyVersionDto | null): PolicyDto {
  return {
    id: 'p1',
    region: { code: '210624', name: '宽甸满族自治县', fullName: '辽宁省丹东市宽甸满族自治县' },
    preset: null,
    current,
    versions,
    editable: true,
  };
}

describe('versionChanges', () => {
  it('names each changed part of a version, old → new', () => {
    const v1 = version({});
    const v2 = version({
      version: 2,
      effectiveFrom: '2026-12-01',
      cadence: { kind: 'every_n_days', days: 10 },
      tiers: ['high_risk'],
      inPersonEvery: 'month',
    });
    expect(versionChanges(v2, v1)).toEqual([
      '适用对象：全部对象 → 分级：高风险',
      '探访频次：每月 → 每 10 天',
      '上门要求：不单独要求上门 → 每月至少上门探访一次',
    ]);
  });

  it('says a first version set the rule and a retired one stopped it', () => {
    expect(versionChanges(version({}), undefined)).toEqual(['制定规则']);
    expect(versionChanges(version({ version: 2, retired: true }), version({}))).toEqual([
      '停用规则',
    ]);
  });
});

describe('policyView', () => {
  it('shows the version in force and lists later ones as pending', () => {
    const v1 = version({});
    const v2 = version({ version: 2, effectiveFrom: '2026-12-01', cadence: { kind: 'weekly' } });
    const view = policyView(policy([v2, v1], v1), '2026-11-22');
    expect(view.state).toBe('in_force');
    expect(view.shown).toBe(v1);
    expect(view.upcoming).toEqual([v2]);
  });

  it('calls a policy whose last started version retired it 已停用, from that date', () => {
    const v1 = version({});
    const v2 = version({ version: 2, effectiveFrom: '2026-11-01', retired: true });
    const view = policyView(policy([v2, v1], null), '2026-11-22');
    expect(view.state).toBe('retired');
    expect(view.since).toBe('2026-11-01');
  });

  it('shows a policy not yet in force by its first version', () => {
    const v1 = version({ effectiveFrom: '2026-12-01' });
    const v2 = version({ version: 2, effectiveFrom: '2026-12-02' });
    const view = policyView(policy([v2, v1], null), '2026-11-22');
    expect(view.state).toBe('scheduled');
    expect(view.shown).toBe(v1);
  });
});

describe('change dates', () => {
  it('suggests the first of next month, or the day after a later latest version', () => {
    expect(firstOfNextMonth('2026-12-31')).toBe('2027-01-01');
    const v1 = version({ effectiveFrom: '2026-12-01' });
    expect(nextChangeDate(policy([v1], null), '2026-11-22')).toBe('2026-12-02');
    expect(nextChangeDate(policy([version({})], null), '2026-11-22')).toBe('2026-12-01');
  });
});

describe('campaign text', () => {
  it('shows instants in China time and the repeating time limit in words', () => {
    expect(chinaTime('2026-11-21T16:00:00.000Z')).toBe('2026-11-22 00:00');
    expect(withinText({ value: 48, unit: 'hours' })).toBe(
      '开始后 48 小时内探访一次，此后每 48 小时一轮，直至专项结束',
    );
  });
});
