/**
 * Live alert streams (`GET /api/alerts/stream`, Server-Sent Events). A stream carries no queue
 * data — only "your queue may have changed" — and the client re-reads `GET /api/alerts/queue`,
 * which applies every rule of who sees what. So a lost or repeated event is never wrong, only late.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AlertStreamEvent } from '@tanfang/domain';
import type { Actor, Executor } from '../../context.js';
import type { AlertBus, QueueChange } from './alert-bus.js';
import { liveSessionHashes } from './alerts.repository.js';

/** How streams behave; tests shorten the times. */
export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream (~25 s). */
  heartbeatMs: number;
  /** Changes within this time become one event. */
  coalesceMs: number;
  /** The client's reconnection delay (the SSE `retry:` field). */
  retryMs: number;
}

const DEFAULTS: StreamOptions = { heartbeatMs: 25_000, coalesceMs: 250, retryMs: 5_000 };

interface Stream {
  actor: Actor;
  /** The session's key as `sessions.id_hash` holds it (SHA-256 of the cookie secret, hex). */
  sessionHash: string;
  res: ServerResponse;
  pending: AlertStreamEvent | undefined;
  flush: NodeJS.Timeout | undefined;
}

/**
 * Whether a change in `regionCode` may change the queue of a user of `jurisdiction`: a change
 * within the jurisdiction (an elder's village), or in a region enclosing it (a county-wide
 * campaign, an escalation to the township) — never a change in another county.
 */
export function concerns(regionCode: string, jurisdiction: string): boolean {
  return regionCode.startsWith(jurisdiction) || jurisdiction.startsWith(regionCode);
}

/** The open streams of this process: one bus subscription and one heartbeat timer for all. */
export class AlertStreams {
  private readonly streams = new Set<Stream>();
  private readonly options: StreamOptions;
  private heartbeat: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly bus: AlertBus,
    private readonly db: Executor,
    options: Partial<StreamOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** How many streams are open (tests, health). */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Takes over a response (the route has hijacked it) and keeps it open until the client goes,
   * the session ends, or the server closes.
   */
  open(res: ServerResponse, actor: Actor, sessionSecret: string, requestId: string): void {
    if (this.closed) {
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'shutting_down', message: '服务器正在停止' } }));
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      // nginx and other proxies must not buffer the stream
      'x-accel-buffering': 'no',
      'x-request-id': requestId,
    });
    res.socket?.setKeepAlive(true);
    res.socket?.setNoDelay(true);
    const stream: Stream = {
      actor,
      sessionHash: createHash('sha256').update(sessionSecret).digest('hex'),
      res,
      pending: undefined,
      flush: undefined,
    };
    this.streams.add(stream);
    res.on('close', () => this.drop(stream));
    res.write(`retry: ${this.options.retryMs}\nevent: ready\ndata: {}\n\n`);
    this.ensureRunning();
  }

  /** Ends every stream (the server is closing); new ones are refused from now on. */
  closeAll(): void {
    this.closed = true;
    for (const s of [...this.streams]) this.end(s);
    this.stopIfIdle();
  }

  private ensureRunning(): void {
    this.unsubscribe ??= this.bus.subscribe((change) => this.onChange(change));
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => void this.beat(), this.options.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  private stopIfIdle(): void {
    if (this.streams.size > 0) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  private onChange(change: QueueChange): void {
    for (const s of this.streams) {
      if (!concerns(change.regionCode, s.actor.jurisdiction)) continue;
      s.pending = { kind: change.kind, regionCode: change.regionCode };
      if (!s.flush) {
        s.flush = setTimeout(() => {
          s.flush = undefined;
          if (!s.pending || !this.streams.has(s)) return;
          s.res.write(`event: queue\ndata: ${JSON.stringify(s.pending)}\n\n`);
          s.pending = undefined;
        }, this.options.coalesceMs);
        s.flush.unref();
      }
    }
  }

  /** A heartbeat to every stream; streams whose session ended (logout, expiry, disabled) close. */
  private async beat(): Promise<void> {
    const streams = [...this.streams];
    let live: Set<string>;
    try {
      live = await liveSessionHashes(this.db, [...new Set(streams.map((s) => s.sessionHash))]);
    } catch {
      // The database is away for a moment: keep the streams, check again next time.
      live = new Set(streams.map((s) => s.sessionHash));
    }
    for (const s of streams) {
      if (!this.streams.has(s)) continue;
      if (live.has(s.sessionHash)) s.res.write(`: heartbeat ${new Date().toISOString()}\n\n`);
      else this.end(s);
    }
  }

  private end(s: Stream): void {
    this.drop(s);
    s.res.end();
  }

  private drop(s: Stream): void {
    if (!this.streams.delete(s)) return;
    clearTimeout(s.flush);
    this.stopIfIdle();
  }
}
