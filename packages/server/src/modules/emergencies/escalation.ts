/**
 * The escalation ladder of emergencies (issue 6): an emergency nobody acknowledged by its deadline
 * goes up a level — village → township → county — with a new deadline (the region's response time
 * again), a step in its history taken by the system, and an alert to the next level. At the county
 * it stays overdue, and flagged, until someone responds.
 */
import {
  deadlineOf,
  deadlineRuleOf,
  escalationRegion,
  nextEscalation,
  uuidv7,
  type EscalationLevel,
  type FindingSeverity,
  type FindingType,
} from '@tanfang/domain';
import type { Executor } from '../../context.js';
import type { AlertBus } from '../alerts/alert-bus.js';
import { insertFindingEvents } from '../findings/findings.repository.js';
import { alertEmergencyEscalated } from './emergency-alerts.js';
import { escalateFinding, lockDueEscalations } from './emergencies.repository.js';

/** One emergency moved up the ladder. */
export interface Escalation {
  id: string;
  villageCode: string;
  from: EscalationLevel;
  to: EscalationLevel;
  /** The new deadline to respond by. */
  deadlineAt: Date;
}

/** Emergencies escalated per transaction (the rest wait for the next round of the same tick). */
const BATCH = 100;

/**
 * Escalates every emergency due at `now`, one level each, in transactions of up to 100: the new
 * level and deadline, an `escalated` step with no actor (系统), and an `emergency_escalated` alert
 * for the next level's region — all in one transaction. Due rows are locked with `skip locked`, so
 * ticks running at once (two server processes) never escalate one emergency twice. Returns what
 * it escalated; the caller publishes on the AlertBus after it returns (everything is committed).
 */
export async function escalateDue(db: Executor, now: Date = new Date()): Promise<Escalation[]> {
  const done: Escalation[] = [];
  for (;;) {
    const batch = await db.transaction().execute(async (trx) => {
      const due = await lockDueEscalations(trx, now, BATCH);
      const out: Escalation[] = [];
      for (const f of due) {
        const to = nextEscalation(f.escalation_level);
        if (!to) continue;
        const rule = deadlineRuleOf(
          { type: f.type as FindingType, severity: f.severity as FindingSeverity },
          f.overrides,
        );
        const deadline = deadlineOf(now, rule);
        await escalateFinding(trx, f.id, to, now, deadline);
        await insertFindingEvents(trx, [
          {
            id: uuidv7(now.getTime()),
            finding_id: f.id,
            elder_id: f.elder_id,
            county_code: f.county_code,
            at: now,
            actor_id: null,
            actor_name: null,
            kind: 'escalated',
            from_status: null,
            to_status: null,
            detail: {
              from: f.escalation_level,
              to,
              regionCode: escalationRegion(to, f.village_code),
              missedDeadline: f.deadline_at.toISOString(),
              deadlineAt: deadline.toISOString(),
            },
          },
        ]);
        await alertEmergencyEscalated(
          trx,
          { ...f, deadline_at: deadline },
          f.elder_name,
          f.escalation_level,
          to,
        );
        out.push({
          id: f.id,
          villageCode: f.village_code,
          from: f.escalation_level,
          to,
          deadlineAt: deadline,
        });
      }
      return { out, full: due.length === BATCH };
    });
    done.push(...batch.out);
    if (!batch.full) return done;
  }
}

/** Where the ticker reports. */
export interface TickerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Runs `escalateDue` every `intervalMs` in the server process (started by `serve`, stopped on
 * shutdown); a round still running when the next is due is not doubled.
 */
export class EscalationTicker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<Escalation[]> | undefined;

  constructor(
    private readonly db: Executor,
    private readonly intervalMs: number,
    private readonly log: TickerLog,
    private readonly bus: AlertBus,
  ) {}

  /** Starts ticking (a first round at once). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  /** One round at `now`: escalates what is due and tells the live queues. */
  async tick(now: Date = new Date()): Promise<Escalation[]> {
    if (this.running) return [];
    this.running = escalateDue(this.db, now).then(
      (done) => {
        for (const e of done) {
          this.bus.publish({ regionCode: e.villageCode, kind: 'emergency' });
          this.log.info({ findingId: e.id, from: e.from, to: e.to }, '紧急情况未按时响应，已升级');
        }
        return done;
      },
      (error: unknown) => {
        this.log.error({ err: error }, '紧急情况升级检查失败');
        return [];
      },
    );
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  /** Stops ticking and waits for a round in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
