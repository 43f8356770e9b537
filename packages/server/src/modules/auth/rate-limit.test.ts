import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('refuses attempts over the limit until the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.take('ip'))).toEqual([true, true, true]);
    expect(limiter.take('ip')).toBe(false);
    expect(limiter.retryAfter('ip')).toBe(60);
    expect(limiter.take('other')).toBe(true);
    now = 60_000;
    expect(limiter.take('ip')).toBe(true);
  });
});
