/**
 * The server killed (SIGKILL) in the middle of a delivery: the real server runs as a child process
 * (the built `tanfang serve`, as `npm test` builds it) on an embedded data directory or a
 * PostgreSQL database; the local receiver holds the webhook request open, the server is killed,
 * started again, and the alert arrives again after the lease — exactly once as the receiver sees
 * it (by the `Idempotency-Key`), and recorded as delivered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { uuidv7 } from '@tanfang/domain';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openPglite, openPostgres, type Database } from '../../db/database.js';
import { DONGCHA } from '../../test/factories.js';
import { scratchPostgres, testDatabaseKinds } from '../../test/harness.js';
import { startReceiver, type Receiver } from '../../test/receiver.js';
import { insertChannel, raiseAlert } from './alerts.repository.js';

const BIN = fileURLToPath(new URL('../../../bin/tanfang.js', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/modules/alerts/dispatcher.js', import.meta.url));
const KEY = Buffer.alloc(32, 9).toString('base64');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Where the server keeps its data, and how to open it from the test. */
interface Store {
  env: Record<string, string>;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

async function storeFor(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'pglite') {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tanfang-crash-'));
    const dump = new Uint8Array(fs.readFileSync(inject('pgliteTemplate')));
    let first = true;
    return {
      env: { TANFANG_DATA_DIR: dataDir, DATABASE_URL: '' },
      open: () => {
        const loadDump = first ? dump : undefined;
        first = false;
        return openPglite({ dataDir, ...(loadDump ? { loadDump } : {}) });
      },
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const { url, drop } = await scratchPostgres();
  return {
    env: { DATABASE_URL: url, TANFANG_ENCRYPTION_KEY: KEY },
    open: () => openPostgres(url, 2),
    cleanup: drop,
  };
}

/** The real server on the store; resolves once it answers. Retries while the data dir is locked. */
async function startServer(store: Store): Promise<{ child: ChildProcess; log: () => string }> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const port = await freePort();
    let log = '';
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: {
        ...process.env,
        ...store.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        TANFANG_DEMO: 'off',
        TANFANG_LOG_LEVEL: 'warn',
        TANFANG_OUTBOX_INTERVAL_MS: '100',
        TANFANG_OUTBOX_LEASE_MS: '5000',
        TANFANG_OUTBOX_BACKOFF_MS: '100',
        TANFANG_OUTBOX_BACKOFF_MAX_MS: '400',
        // Long enough that the held request is still in flight when the test kills the server.
        TANFANG_ALERT_SEND_TIMEOUT_MS: '4000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    for (;;) {
      if (child.exitCode !== null) break;
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok)
          return { child, log: () => log };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    // A killed predecessor's lock on the data directory goes stale after 15 s: wait for it.
    if (!log.includes('tanfang.lock') && !log.includes('locked'))
      throw new Error(`server failed to start:\n${log}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error('server did not start');
}

/** `promise`, or a failure naming what did not happen, with the server's output. */
async function within<T>(promise: Promise<T>, what: string, log: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not happen; server output:\n${log()}`)),
      30_000,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once('exit', () => r()));

for (const kind of testDatabaseKinds()) {
  describe(`a server killed mid-delivery [${kind}]`, () => {
    let receiver: Receiver | undefined;
    let store: Store | undefined;
    const children: ChildProcess[] = [];

    afterAll(async () => {
      for (const c of children) {
        if (c.exitCode === null && c.signalCode === null) {
          c.kill('SIGKILL');
          await exited(c);
        }
      }
      await receiver?.stop();
      await store?.cleanup();
    });

    it('delivers the alert after a restart, exactly once as the receiver sees it', async () => {
      expect(
        fs.existsSync(BUILT),
        'run `npm run build` first: the test starts the built server',
      ).toBe(true);
      receiver = await startReceiver();
      receiver.mode = 'hold';
      store = await storeFor(kind);
      // A channel and a queued emergency alert, committed before the server starts.
      const setup = await store.open();
      const channelId = uuidv7();
      const alertId = await setup.db.transaction().execute(async (trx) => {
        await insertChannel(trx, {
          id: channelId,
          region_code: DONGCHA.slice(0, 6),
          kind: 'webhook',
          name: '县应急平台',
          config: { url: `${receiver!.url}/hook`, secret: 'crash-test-secret-0001' },
          alert_kinds: [],
          active: true,
          created_by: null,
        });
        return raiseAlert(trx, {
          kind: 'emergency',
          regionCode: DONGCHA,
          elderId: null,
          countyCode: DONGCHA.slice(0, 6),
          subjectType: 'finding',
          subjectId: uuidv7(),
          title: '紧急情况',
          body: '老人摔倒',
        });
      });
      await setup.close();
      expect(alertId).toBeTruthy();

      const first = await startServer(store);
      children.push(first.child);
      const held = await within(receiver.nth(1), 'the first delivery', first.log);
      expect(held.headers['idempotency-key']).toBe(alertId);
      // The request is in flight, unanswered: kill the server.
      first.child.kill('SIGKILL');
      await exited(first.child);
      receiver.mode = 'accept';

      const second = await startServer(store);
      children.push(second.child);
      const again = await within(receiver.nth(2), 'the delivery after restart', second.log);
      expect(again.headers['idempotency-key']).toBe(alertId);
      expect(again.body).toBe(held.body);

      // A clean stop waits for the send in flight to be recorded; then read what it recorded.
      second.child.kill('SIGTERM');
      await exited(second.child);
      const db = await store.open();
      const row = await db.db
        .selectFrom('alert_deliveries')
        .select(['status', 'attempts', 'delivered_at', 'last_error'])
        .where('alert_id', '=', alertId!)
        .executeTakeFirstOrThrow();
      await db.close();
      expect(row, second.log()).toMatchObject({
        status: 'delivered',
        attempts: 2,
        last_error: null,
      });
      expect(row.delivered_at).not.toBeNull();
      // The receiver saw it twice, and once after deduplicating by the alert id.
      expect(receiver.requests.map((r) => r.headers['idempotency-key'])).toEqual([
        alertId,
        alertId,
      ]);
      expect(receiver.unique()).toHaveLength(1);
    }, 120_000);
  });
}
