import { EventEmitter } from 'node:events';

/** Something changed that may change the alert queues of the staff of a region. */
export interface QueueChange {
  /** The region of the change (an elder's village, usually): every user whose jurisdiction
   *  encloses it may see a different queue. */
  regionCode: string;
  /** What changed, for the client to decide what to reload (e.g. `emergency`, `finding`). */
  kind: string;
}

/**
 * The in-process bus that tells live connections (Server-Sent Events) their queue changed.
 * Publish only after the change is committed; a listener re-reads the queue from the database,
 * so a lost or repeated message never shows anything wrong, only late.
 */
export class AlertBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  /** Tells every listener of `change`. */
  publish(change: QueueChange): void {
    this.emitter.emit('change', change);
  }

  /** Listens to changes; returns the function that stops listening. */
  subscribe(listener: (change: QueueChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
