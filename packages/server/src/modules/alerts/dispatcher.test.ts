import { describe, expect, it } from 'vitest';
import { backoffDelay } from './dispatcher.js';

describe('backoffDelay', () => {
  it('backs off exponentially with jitter, capped', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 5_000, 600_000, mid))).toEqual([
      5_000, 10_000, 20_000, 40_000,
    ]);
    expect(backoffDelay(30, 5_000, 600_000, mid)).toBe(600_000);
    expect(backoffDelay(1, 5_000, 600_000, () => 0)).toBe(4_000);
    expect(backoffDelay(1, 5_000, 600_000, () => 1)).toBe(6_000);
  });
});
