/** How the outbox treats a failed send, and when it tries again (pure). */

/** What to do after a failure: try again later, wait for a new login, or ask for a correction. */
export type FailureAction = 'retry' | 'login' | 'reject';

/**
 * A network error (status 0), a timeout, too many requests, a stale CSRF token and 5xx are
 * retried; 401 waits for the visitor to sign in again (the app returns to the login page); any
 * other 4xx is the server refusing the content — retrying would not change the answer, so the
 * visit stops at 需修改.
 */
export function failureAction(status: number, code?: string): FailureAction {
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry';
  if (status === 403 && code === 'csrf_failed') return 'retry';
  if (status === 401) return 'login';
  return 'reject';
}

/** Delay before the n-th retry (n ≥ 1): 5 s doubling to at most 5 minutes, ±20 % jitter. */
export function retryDelayMs(attempts: number, random: number = Math.random()): number {
  const base = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 300_000);
  return Math.round(base * (0.8 + 0.4 * random));
}

/** The bar's state for the outbox's contents. */
export type OutboxBarState =
  | { kind: 'empty' }
  | { kind: 'sending'; count: number }
  | { kind: 'waiting'; count: number; rejected: number };

/** What the bar says: 全部已上传, 正在上传…, or 待上传 N 条 (of which some 需修改). */
export function outboxBarState(
  records: readonly { status: 'pending' | 'rejected' }[],
  sending: boolean,
): OutboxBarState {
  if (records.length === 0) return { kind: 'empty' };
  const rejected = records.filter((r) => r.status === 'rejected').length;
  if (sending && rejected < records.length) return { kind: 'sending', count: records.length };
  return { kind: 'waiting', count: records.length, rejected };
}
