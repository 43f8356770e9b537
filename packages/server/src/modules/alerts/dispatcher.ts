/**
 * The outbox dispatcher: a loop in the server process that sends queued alert deliveries.
 *
 * 1. Claim: one statement takes due deliveries (`for update skip locked`, so several server
 *    processes on one PostgreSQL never take the same row), marks them `sending`, counts the attempt
 *    and leases them for `leaseMs` — committed before anything is sent.
 * 2. Send, outside any transaction, with a timeout shorter than the lease.
 * 3. Record: delivered (final, never sent again), or the next attempt after an exponential backoff
 *    with jitter, flagged `failed` after `DELIVERY_FAILED_AFTER` attempts but still retried at the
 *    longest delay — an alert is never dropped.
 * A sender that dies between 1 and 3 leaves a lease that expires; the delivery is claimed again
 * and re-sent with the same `Idempotency-Key` (the alert's id), by which the receiver drops the
 * duplicate: exactly once as the receiver sees it.
 */
import { DELIVERY_FAILED_AFTER, type AlertPayload, type ChannelKind } from '@tanfang/domain';
import type { Executor } from '../../context.js';
import type { AlertBus } from './alert-bus.js';
import {
  claimDueDeliveries,
  markAttemptFailed,
  markDelivered,
  type ClaimedDelivery,
} from './alerts.repository.js';
import { channelOf, type AlertChannel, type ChannelOptions } from './channels.js';

/** How the dispatcher runs (`TANFANG_OUTBOX_*` in config.ts). */
export interface DispatcherOptions {
  /** Time between looks for due deliveries when idle. */
  intervalMs: number;
  /** How long a claimed delivery is held before another sender may take it over. */
  leaseMs: number;
  /** The first retry's delay; each further one doubles it. */
  backoffMs: number;
  /** The longest delay between retries. */
  backoffMaxMs: number;
  /** A receiver that has not answered in this time failed (must be shorter than the lease). */
  sendTimeoutMs: number;
  /** Deliveries claimed at once. */
  batchSize?: number;
}

/** The delay before attempt `attempts + 1`: base × 2^(attempts−1), capped, ±20 % jitter. */
export function backoffDelay(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(Math.min(maxMs, exp * (0.8 + 0.4 * random())));
}

/** Logs what happened (pino's shape, so the app's logger fits). */
export interface DispatcherLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Makes the channel of a delivery (tests may swap it). */
export type ChannelFactory = (
  kind: ChannelKind,
  config: unknown,
  options: ChannelOptions,
) => AlertChannel;

/** Sends the outbox: `start()` with the server, `stop()` before the database closes. */
export class OutboxDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private again = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly db: Executor,
    private readonly options: DispatcherOptions,
    private readonly log: DispatcherLog,
    private readonly bus?: AlertBus,
    private readonly channels: ChannelFactory = channelOf,
  ) {}

  /** Starts the loop; a change published on the bus (or `wakeOutbox`) wakes it at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.bus?.onOutbox(() => this.kick());
    this.schedule(0);
  }

  /** Stops the loop and waits for sends in flight (each ends within the send timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
  }

  /** Looks for due deliveries now (an alert was just raised). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /**
   * Claims and sends one batch; returns how many were claimed. The loop calls it; tests call it
   * directly for a deterministic step.
   */
  async runOnce(): Promise<number> {
    const batch = this.options.batchSize ?? 20;
    const claimed = await claimDueDeliveries(this.db, batch, this.options.leaseMs);
    await Promise.all(claimed.map((d) => this.deliver(d)));
    return claimed.length;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    // The loop never keeps the process alive on its own.
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    let full = false;
    this.running = (async () => {
      try {
        full = (await this.runOnce()) >= (this.options.batchSize ?? 20);
      } catch (error) {
        // The database is away (restarting, closing): try again at the next interval.
        this.log.error({ err: error }, '提醒发送队列读取失败');
      }
    })();
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const now = full || this.again;
    this.again = false;
    this.schedule(now ? 0 : this.options.intervalMs);
  }

  private async deliver(d: ClaimedDelivery): Promise<void> {
    const payload = d.payload as AlertPayload;
    try {
      const channel = this.channels(d.channel_kind, d.channel_config, {
        timeoutMs: this.options.sendTimeoutMs,
      });
      await channel.send({ payload, currentPhones: d.current_phones });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = backoffDelay(d.attempts, this.options.backoffMs, this.options.backoffMaxMs);
      this.log.warn(
        { alertId: d.alert_id, channelId: d.channel_id, attempts: d.attempts, delayMs: delay },
        `提醒发送失败，将重试：${message}`,
      );
      await markAttemptFailed(this.db, d, message, delay, DELIVERY_FAILED_AFTER).catch(
        (e: unknown) =>
          // The lease expires and the delivery is claimed again: nothing is lost.
          this.log.error({ err: e, alertId: d.alert_id }, '记录提醒发送失败时出错'),
      );
      return;
    }
    await markDelivered(this.db, d.alert_id, d.channel_id).catch((e: unknown) =>
      // Sent but not recorded: it is sent again after the lease, and the receiver deduplicates.
      this.log.error({ err: e, alertId: d.alert_id }, '记录提醒已送达时出错'),
    );
  }
}
