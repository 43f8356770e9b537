/**
 * Keeps the visit-rate rollup ready without a nightly batch: at start and every interval it plans
 * the current month of every province that has elders (a no-op once planned, so the first reader
 * of a new month does not wait for it), and recomputes the windows of the visits entered in the
 * last five minutes (the safety net of `RollupsService.reconcile`).
 */
import type { Executor } from '../../context.js';
import { RollupsService } from './rollups.service.js';

/** How far back each round reconciles. */
const RECONCILE_MS = 5 * 60_000;

/** The rollup's background upkeep in the server process. */
export class RollupMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly rollups: RollupsService,
    private readonly intervalMs: number,
    private readonly log: { error: (o: unknown, msg: string) => void },
  ) {}

  /** One round at `now`. */
  async tick(now = Date.now()): Promise<void> {
    const month = RollupsService.currentMonth(now);
    const provinces = await this.db
      .selectFrom('elders')
      .select((eb) => eb.fn<string>('substr', ['village_code', eb.val(1), eb.val(2)]).as('p'))
      .distinct()
      .execute();
    for (const { p } of provinces) await this.rollups.ensurePlanned(p, month);
    await this.rollups.reconcile(new Date(now - RECONCILE_MS));
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
