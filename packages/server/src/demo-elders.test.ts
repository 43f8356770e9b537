import { ElderFields, evaluateElder } from '@tanfang/domain';
import { describe, expect, it } from 'vitest';
import { demoElders } from './demo-elders.js';

describe('the demo ledger', () => {
  const villages = Array.from({ length: 10 }, (_, i) => `210624101${String(200 + i)}`);
  const elders = demoElders(villages);

  it('is the same on every machine', () => {
    expect(demoElders(villages)).toEqual(elders);
  });

  it('holds 40 valid elders of every tier', () => {
    expect(elders).toHaveLength(40);
    const tiers = new Set<string>();
    for (const e of elders) {
      const data = ElderFields.parse(e);
      const r = evaluateElder(data, '2026-10-15');
      expect(r.ok, e.name).toBe(true);
      if (r.ok) tiers.add(r.evaluation.tier.effective);
    }
    expect([...tiers].sort()).toEqual(['general', 'high_risk', 'key']);
  });
});
