/**
 * A local HTTP receiver for delivery tests (webhook and SMS gateway): records every request,
 * deduplicates by `Idempotency-Key` as a well-behaved receiver would, and can be stopped and
 * started again on the same port, or told to hold requests open (never answer).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver saw. */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers the next requests. */
export type ReceiverMode = 'accept' | 'hold' | { status: number };

/** A running (or stopped) receiver. */
export interface Receiver {
  /** `http://127.0.0.1:PORT` — stable across stop and start. */
  url: string;
  requests: ReceivedRequest[];
  /** The requests after deduplication by `Idempotency-Key` (first of each). */
  unique(): ReceivedRequest[];
  mode: ReceiverMode;
  /** Resolves with the `n`th request (1-based) once it has arrived, at once if it has. */
  nth(n: number): Promise<ReceivedRequest>;
  /** Closes the port (requests are refused) and drops held connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

/** Starts a receiver on a free port of 127.0.0.1. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let waiters: (() => void)[] = [];
  let server: http.Server | undefined;
  let port = 0;
  const receiver: Receiver = {
    url: '',
    requests,
    mode: 'accept',
    unique() {
      const seen = new Set<string>();
      return requests.filter((r) => {
        const key = String(r.headers['idempotency-key'] ?? '');
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    },
    async nth(n) {
      while (requests.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return requests[n - 1]!;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      const s = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const r: ReceivedRequest = {
            path: req.url ?? '/',
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          };
          requests.push(r);
          const w = waiters;
          waiters = [];
          for (const resolve of w) resolve();
          const mode = receiver.mode;
          if (mode === 'hold') return; // never answers: the sender is mid-delivery
          const status = mode === 'accept' ? 200 : mode.status;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: status < 300 }));
        });
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, '127.0.0.1', () => resolve());
      });
      port = (s.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}`;
      server = s;
    },
  };
  await receiver.start();
  return receiver;
}
