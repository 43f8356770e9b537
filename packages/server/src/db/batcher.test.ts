import { describe, expect, it } from 'vitest';
import { Batcher } from './batcher.js';

/** A batch runner that records the batches it saw and answers after `ms`. */
function recorder(ms = 5) {
  const batches: number[][] = [];
  const run = async (inputs: number[]) => {
    batches.push(inputs);
    await new Promise((r) => setTimeout(r, ms));
    return inputs.map((n) => (n < 0 ? new Error(`bad ${n}`) : n * 10));
  };
  return { batches, run };
}

describe('Batcher', () => {
  it('answers a lone call in a batch of one', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { maxBatch: 100, maxInFlight: 1 });
    expect(await b.submit(4)).toBe(40);
    expect(batches).toEqual([[4]]);
  });

  it('puts the calls of one turn into one batch', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { maxBatch: 100, maxInFlight: 1 });
    const out = await Promise.all([1, 2, 3].map((n) => b.submit(n)));
    expect(out).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects the calls made while a batch runs into the next one', async () => {
    const { batches, run } = recorder(20);
    const b = new Batcher(run, { maxBatch: 100, maxInFlight: 1 });
    const first = b.submit(1);
    await new Promise((r) => setTimeout(r, 5));
    const later = [2, 3, 4].map((n) => b.submit(n));
    expect(await Promise.all([first, ...later])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts more than maxBatch calls in a batch', async () => {
    const { batches, run } = recorder();
    const b = new Batcher(run, { maxBatch: 2, maxInFlight: 1 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.submit(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('runs up to maxInFlight batches at once', async () => {
    const { batches, run } = recorder(20);
    let concurrent = 0;
    let peak = 0;
    const wrapped = new Batcher(
      async (inputs: number[]) => {
        concurrent++;
        peak = Math.max(peak, concurrent);
        const r = await run(inputs);
        concurrent--;
        return r;
      },
      { maxBatch: 1, maxInFlight: 2 },
    );
    await Promise.all([1, 2, 3, 4].map((n) => wrapped.submit(n)));
    expect(peak).toBe(2);
    expect(batches).toHaveLength(4);
  });

  it('fails only the call whose result is an error', async () => {
    const { run } = recorder();
    const b = new Batcher(run, { maxBatch: 100, maxInFlight: 1 });
    const results = await Promise.allSettled([1, -2, 3].map((n) => b.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad -2'));
  });

  it('fails every call of a batch whose run throws, and keeps serving afterwards', async () => {
    let fail = true;
    const b = new Batcher(
      async (inputs: number[]) => {
        if (fail) throw new Error('database down');
        return inputs;
      },
      { maxBatch: 100, maxInFlight: 1 },
    );
    const results = await Promise.allSettled([1, 2].map((n) => b.submit(n)));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    fail = false;
    expect(await b.submit(7)).toBe(7);
  });
});
