import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SpotCheckDrawInput,
  SpotCheckResultInput,
  drawSample,
  mulberry32,
  passRate,
  stratumSize,
  type SampleCandidate,
  type SampleOptions,
} from './spot-checks.js';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
/** A UUID-like id from a number (ordering follows the number). */
const idOf = (n: number) => `0190${hex(n, 4)}-0000-7000-8000-${hex(n, 12)}`;

/** Visits with distinct ids, each by one of `visitors` visitors (or none). */
const population = fc
  .uniqueArray(fc.integer({ min: 0, max: 5000 }), { maxLength: 120 })
  .chain((ids) =>
    fc.tuple(
      fc.constant(ids),
      fc.array(fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }), {
        minLength: ids.length,
        maxLength: ids.length,
      }),
    ),
  )
  .map(([ids, visitors]) =>
    ids.map((n, i): SampleCandidate => ({
      id: idOf(n),
      visitorId: visitors[i] === null ? null : `visitor-${visitors[i]}`,
    })),
  );

const options: fc.Arbitrary<SampleOptions> = fc.oneof(
  fc.record({
    ratePercent: fc.integer({ min: 1, max: 100 }),
    minPerVisitor: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    perVisitor: fc.integer({ min: 1, max: 10 }),
    minPerVisitor: fc.integer({ min: 1, max: 5 }),
  }),
);
const seed = fc.integer({ min: 0, max: 0xffff_ffff });

const byVisitor = (visits: readonly SampleCandidate[]) => {
  const m = new Map<string | null, number>();
  for (const v of visits) m.set(v.visitorId, (m.get(v.visitorId) ?? 0) + 1);
  return m;
};

describe('mulberry32', () => {
  it('gives the published sequence for a seed, in [0, 1)', () => {
    const r = mulberry32(42);
    const first = [r(), r(), r()];
    // Reference values of mulberry32(42) (same algorithm, 32-bit arithmetic).
    expect(first.map((x) => Math.floor(x * 4_294_967_296))).toEqual([
      2581720956, 1925393290, 3661312704,
    ]);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  it('gives the same sequence for the same seed and another for another seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const a = mulberry32(s);
        const b = mulberry32(s);
        const c = mulberry32((s + 1) >>> 0);
        const xs = [a(), a(), a(), a()];
        expect([b(), b(), b(), b()]).toEqual(xs);
        expect([c(), c(), c(), c()]).not.toEqual(xs);
      }),
    );
  });
});

describe('stratumSize', () => {
  it('rounds the rate up, keeps the minimum, and never exceeds the visits', () => {
    expect(stratumSize(30, { ratePercent: 10 })).toBe(3);
    expect(stratumSize(31, { ratePercent: 10 })).toBe(4);
    expect(stratumSize(3, { ratePercent: 10 })).toBe(1);
    expect(stratumSize(3, { ratePercent: 10, minPerVisitor: 2 })).toBe(2);
    expect(stratumSize(2, { perVisitor: 5 })).toBe(2);
    expect(stratumSize(0, { perVisitor: 5 })).toBe(0);
    // 0.1 × 30 is 3.0000000000000004 in floating point: the integer rule still says 3.
    expect(stratumSize(30, { ratePercent: 10, minPerVisitor: 1 })).toBe(3);
  });
});

describe('drawSample', () => {
  it('draws the same sample from the same visits in any order with the same seed', () => {
    fc.assert(
      fc.property(
        population.chain((p) =>
          fc.tuple(fc.constant(p), fc.shuffledSubarray(p, { minLength: p.length })),
        ),
        options,
        seed,
        ([visits, shuffled], o, s) => {
          const a = drawSample(visits, o, s).map((v) => v.id);
          const b = drawSample(shuffled, o, s).map((v) => v.id);
          // Duplicates (a retried record listed twice) change nothing either.
          const c = drawSample([...shuffled, ...visits], o, s).map((v) => v.id);
          expect(b).toEqual(a);
          expect(c).toEqual(a);
        },
      ),
    );
  });

  it('represents every visitor with visits, each within the stratum bounds, and never draws more than there are', () => {
    fc.assert(
      fc.property(population, options, seed, (visits, o, s) => {
        const sample = drawSample(visits, o, s);
        const ids = new Set(visits.map((v) => v.id));
        expect(new Set(sample.map((v) => v.id)).size).toBe(sample.length);
        expect(sample.every((v) => ids.has(v.id))).toBe(true);
        expect(sample.length).toBeLessThanOrEqual(visits.length);
        const all = byVisitor(visits);
        const drawn = byVisitor(sample);
        for (const [visitor, n] of all) {
          const k = drawn.get(visitor) ?? 0;
          expect(k).toBeGreaterThanOrEqual(1);
          expect(k).toBe(stratumSize(n, o));
          if (o.ratePercent != null)
            expect(k).toBe(
              Math.min(
                n,
                Math.max(o.minPerVisitor ?? 1, Math.ceil((n * o.ratePercent) / 100 - 1e-9)),
              ),
            );
        }
        for (const visitor of drawn.keys()) expect(all.has(visitor)).toBe(true);
      }),
    );
  });

  it('draws every visit at 100% and draws differently with another seed', () => {
    const visits = Array.from({ length: 40 }, (_, i) => ({
      id: idOf(i),
      visitorId: `v${i % 2}`,
    }));
    expect(drawSample(visits, { ratePercent: 100 }, 7)).toHaveLength(40);
    const a = drawSample(visits, { ratePercent: 10 }, 1).map((v) => v.id);
    const b = drawSample(visits, { ratePercent: 10 }, 2).map((v) => v.id);
    expect(a).toHaveLength(4);
    expect(a).not.toEqual(b);
  });

  it('gives every visit of a stratum the same chance (roughly, over many seeds)', () => {
    const visits = Array.from({ length: 10 }, (_, i) => ({ id: idOf(i), visitorId: 'v' }));
    const hits = new Map<string, number>();
    for (let s = 0; s < 5000; s++)
      for (const v of drawSample(visits, { perVisitor: 2 }, s))
        hits.set(v.id, (hits.get(v.id) ?? 0) + 1);
    // Expected 1000 each (5000 × 2 / 10).
    for (const v of visits) expect(Math.abs((hits.get(v.id) ?? 0) - 1000)).toBeLessThan(150);
  });
});

describe('spot-check inputs', () => {
  it('asks for a rate or a number per visitor, not both, naming ratePercent', () => {
    const both = SpotCheckDrawInput.safeParse({
      townshipCode: '210624101',
      month: '2026-01',
      ratePercent: 10,
      perVisitor: 2,
    });
    expect(both.success).toBe(false);
    expect(both.error!.issues[0]!.path).toEqual(['ratePercent']);
    expect(
      SpotCheckDrawInput.safeParse({ townshipCode: '210624101', month: '2026-01', ratePercent: 10 })
        .success,
    ).toBe(true);
  });

  it('refuses a future month and a seed beyond 32 bits', () => {
    const future = SpotCheckDrawInput.safeParse({
      townshipCode: '210624101',
      month: '2999-01',
      ratePercent: 10,
    });
    expect(future.error!.issues[0]!.path).toEqual(['month']);
    const seedTooBig = SpotCheckDrawInput.safeParse({
      townshipCode: '210624101',
      month: '2026-01',
      ratePercent: 10,
      seed: 2 ** 32,
    });
    expect(seedTooBig.error!.issues[0]!.path).toEqual(['seed']);
  });

  it('requires a note when the visit could not be verified', () => {
    const r = SpotCheckResultInput.safeParse({ result: 'not_verified', note: '  ' });
    expect(r.error!.issues[0]!.path).toEqual(['note']);
    expect(SpotCheckResultInput.safeParse({ result: 'verified_phone' }).success).toBe(true);
  });

  it('computes the pass rate over checked items only', () => {
    expect(passRate(0, 0)).toBeNull();
    expect(passRate(3, 4)).toBe(0.75);
  });
});
