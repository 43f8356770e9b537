/**
 * With several server processes on one PostgreSQL, a change published on one process's AlertBus
 * reaches the live streams of the others through LISTEN/NOTIFY (PostgreSQL only).
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AlertBus, type BusRelay, type QueueChange } from './alert-bus.js';
import { startPgRelay } from './pg-relay.js';

const quiet = { warn: () => undefined };
const pg = inject('postgresTemplate');

describe.runIf(pg !== null)('the AlertBus relay between server processes [postgres]', () => {
  const relays: BusRelay[] = [];
  afterAll(async () => {
    for (const r of relays) await r.close();
  });

  it('carries a change to the other process once, and not back to its own', async () => {
    const url = pg!.adminUrl;
    const a = new AlertBus();
    const b = new AlertBus();
    relays.push(await startPgRelay(url, a, quiet), await startPgRelay(url, b, quiet));
    const seenByA: QueueChange[] = [];
    const seenByB: QueueChange[] = [];
    a.subscribe((c) => seenByA.push(c));
    const arrived = new Promise<void>((resolve) =>
      b.subscribe((c) => {
        seenByB.push(c);
        resolve();
      }),
    );
    a.publish({ regionCode: '210624101201', kind: 'emergency' });
    await arrived;
    expect(seenByB).toEqual([{ regionCode: '210624101201', kind: 'emergency' }]);
    // A marker from B back to A shows A heard its own change only once, locally.
    const marker = new Promise<void>((resolve) =>
      a.subscribe((c) => {
        if (c.kind === 'marker') resolve();
      }),
    );
    b.publish({ regionCode: '210624', kind: 'marker' });
    await marker;
    expect(seenByA.map((c) => c.kind)).toEqual(['emergency', 'marker']);
  });
});
