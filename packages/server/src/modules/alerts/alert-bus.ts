import { EventEmitter } from 'node:events';

/** Something changed that may change the alert queues of the staff of a region. */
export interface QueueChange {
  /** The region of the change (an elder's village, usually): every user whose jurisdiction
   *  encloses it may see a different queue. */
  regionCode: string;
  /** What changed, for the client to decide what to reload (e.g. `emergency`, `finding`). */
  kind: string;
}

/** Carries changes to the buses of other server processes (PostgreSQL LISTEN/NOTIFY). */
export interface BusRelay {
  /** Sends a change published here to the other processes. */
  send(change: QueueChange): void;
  close(): Promise<void>;
}

/**
 * The bus that tells live connections (Server-Sent Events) their queue changed, one per process.
 * Publish only after the change is committed; a listener re-reads the queue from the database,
 * so a lost or repeated message never shows anything wrong, only late. With several server
 * processes on one PostgreSQL, a relay (`pg-relay.ts`) carries each change to the others.
 */
export class AlertBus {
  private readonly emitter = new EventEmitter();
  private relay: BusRelay | undefined;

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /**
   * Tells every listener here, and the other processes through the relay, of `change`; also
   * wakes the outbox (the change may have queued deliveries).
   */
  publish(change: QueueChange): void {
    this.emitter.emit('change', change);
    this.emitter.emit('outbox');
    this.relay?.send(change);
  }

  /** Wakes the outbox of this process: deliveries were queued that no queue change announces. */
  wakeOutbox(): void {
    this.emitter.emit('outbox');
  }

  /** Listens for queued deliveries; returns the function that stops listening. */
  onOutbox(listener: () => void): () => void {
    this.emitter.on('outbox', listener);
    return () => this.emitter.off('outbox', listener);
  }

  /** Tells the listeners here of a change another process published. */
  receive(change: QueueChange): void {
    this.emitter.emit('change', change);
  }

  /** Listens to changes; returns the function that stops listening. */
  subscribe(listener: (change: QueueChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  /** Relays changes to other processes from now on. */
  attachRelay(relay: BusRelay): void {
    this.relay = relay;
  }
}
