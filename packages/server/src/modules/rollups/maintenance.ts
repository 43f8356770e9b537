/**
 * Keeps the visit-rate rollup ready without a nightly batch: at start and every interval it plans
 * the current month of every loaded province (a no-op once planned, so the first reader
 * of a new month does not wait for it), and recomputes the windows of the visits entered since
 * a little before the previous round began — the last five minutes at the first round (the safety
 * net of `RollupsService.reconcile`).
 */
import type { Executor } from '../../context.js';
import { RollupsService } from './rollups.service.js';

/** How far back the first round reconciles. */
const RECONCILE_MS = 5 * 60_000;
/**
 * How far before the previous round's start the next one looks again: a visit is stamped when
 * its request is handled and committed when its batch is written, so one stamped just before a
 * round may commit just after it.
 */
const OVERLAP_MS = 30_000;

/** The rollup's background upkeep in the server process. */
export class RollupMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** When the last round that completed began. */
  private lastRound: number | undefined;

  constructor(
    private readonly db: Executor,
    private readonly rollups: RollupsService,
    private readonly intervalMs: number,
    private readonly log: { error: (o: unknown, msg: string) => void },
  ) {}

  /** One round at `now`. */
  async tick(now = Date.now()): Promise<void> {
    const month = RollupsService.currentMonth(now);
    // Every province loaded (one without elders is planned at once): reading which provinces
    // have elders took a scan of the whole ledger every minute.
    const provinces = await this.db
      .selectFrom('regions')
      .select('code')
      .where('level', '=', 'province')
      .execute();
    for (const { code } of provinces) await this.rollups.ensurePlanned(code, month);
    const since = this.lastRound === undefined ? now - RECONCILE_MS : this.lastRound - OVERLAP_MS;
    await this.rollups.reconcile(new Date(since), new Date(now));
    this.lastRound = now;
  }

  /** Runs a round now and then every interval (never two at once). */
  start(): void {
    const round = () => {
      if (this.running) return;
      this.running = this.tick()
        .catch((error: unknown) => this.log.error({ err: error }, '探访率汇总维护失败'))
        .finally(() => {
          this.running = undefined;
        });
    };
    round();
    this.timer = setInterval(round, this.intervalMs);
    this.timer.unref();
  }

  /** Stops the rounds and waits for one in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
