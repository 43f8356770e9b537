/**
 * Relays AlertBus changes between server processes on one PostgreSQL through LISTEN/NOTIFY, so a
 * live stream on one process hears of an emergency raised through another. One dedicated
 * connection per process listens and notifies; it reconnects after a failure. A change lost while
 * it is away only delays a refresh (clients also re-read the queue whenever they reconnect).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { AlertBus, BusRelay, QueueChange } from './alert-bus.js';

/** The NOTIFY channel. */
export const RELAY_CHANNEL = 'tanfang_alert_changes';

/** Logs relay trouble. */
export interface RelayLog {
  warn(obj: object, msg: string): void;
}

/** Connects `bus` to the other processes on the database at `url`. */
export async function startPgRelay(url: string, bus: AlertBus, log: RelayLog): Promise<BusRelay> {
  const origin = randomUUID();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const reconnectLater = (error?: Error) => {
    if (closed) return;
    log.warn({ err: error }, '提醒转发连接中断，稍后重连');
    clearTimeout(retry);
    retry = setTimeout(() => void connect().catch((e: Error) => reconnectLater(e)), 2_000);
    retry.unref();
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => {
      if (n.channel !== RELAY_CHANNEL || !n.payload) return;
      try {
        const m = JSON.parse(n.payload) as QueueChange & { origin: string };
        if (m.origin !== origin) bus.receive({ regionCode: m.regionCode, kind: m.kind });
      } catch {
        // Not ours: ignore.
      }
    });
    const lost = (error?: Error) => {
      if (client !== c) return;
      client = undefined;
      void c.end().catch(() => undefined);
      reconnectLater(error);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    try {
      await c.connect();
      await c.query(`listen ${RELAY_CHANNEL}`);
    } catch (error) {
      await c.end().catch(() => undefined);
      throw error;
    }
    if (closed) {
      await c.end();
      return;
    }
    client = c;
  };
  await connect();

  const relay: BusRelay = {
    send(change) {
      const payload = JSON.stringify({ origin, regionCode: change.regionCode, kind: change.kind });
      void client
        ?.query('select pg_notify($1, $2)', [RELAY_CHANNEL, payload])
        .catch((error: Error) => log.warn({ err: error }, '提醒转发失败'));
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
  bus.attachRelay(relay);
  return relay;
}
