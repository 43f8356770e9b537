import { describe, expect, it } from 'vitest';
import { failureAction, outboxBarState, retryDelayMs } from './outboxRules';

describe('the outbox’s retry rules', () => {
  it('retries network failures, timeouts, throttling and server errors', () => {
    for (const status of [0, 408, 429, 500, 502, 503]) expect(failureAction(status)).toBe('retry');
    expect(failureAction(403, 'csrf_failed')).toBe('retry');
  });

  it('stops for a correction when the server refuses the content', () => {
    for (const status of [400, 403, 404, 409, 413, 415, 422])
      expect(failureAction(status)).toBe('reject');
  });

  it('keeps the visit for after a new login when the session ended', () => {
    expect(failureAction(401)).toBe('login');
  });

  it('waits longer after each failure, up to five minutes', () => {
    expect(retryDelayMs(1, 0.5)).toBe(5_000);
    expect(retryDelayMs(2, 0.5)).toBe(10_000);
    expect(retryDelayMs(4, 0.5)).toBe(40_000);
    expect(retryDelayMs(20, 0.5)).toBe(300_000);
    expect(retryDelayMs(1, 0)).toBe(4_000);
    expect(retryDelayMs(1, 1)).toBe(6_000);
  });
});

describe('the outbox bar', () => {
  it('says everything is sent when nothing waits', () => {
    expect(outboxBarState([], false)).toEqual({ kind: 'empty' });
  });

  it('counts what waits and what needs a correction', () => {
    expect(outboxBarState([{ status: 'pending' }, { status: 'rejected' }], false)).toEqual({
      kind: 'waiting',
      count: 2,
      rejected: 1,
    });
  });

  it('shows sending only while something sendable is on its way', () => {
    expect(outboxBarState([{ status: 'pending' }], true)).toEqual({ kind: 'sending', count: 1 });
    expect(outboxBarState([{ status: 'rejected' }], true).kind).toBe('waiting');
  });
});
