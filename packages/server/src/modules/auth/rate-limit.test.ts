import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('blocks a key that used up its limit until the window ends', () => {
    let now = 0;
    const limiter = new RateLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.blocked('ip')).toBe(false);
      limiter.hit('ip');
    }
    expect(limiter.blocked('ip')).toBe(true);
    expect(limiter.retryAfter('ip')).toBe(60);
    expect(limiter.blocked('other')).toBe(false);
    now = 60_000;
    expect(limiter.blocked('ip')).toBe(false);
  });
});
