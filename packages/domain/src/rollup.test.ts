import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classify,
  complianceWindows,
  countsOf,
  emptyCounts,
  rollupDimensions,
  satisfyingVisit,
  type RollupCounts,
} from './rollup.js';
import { emptyTally, tallySchedule, type PlannedObligation, type VisitTimes } from './schedule.js';
import type { VisitMethod } from './policies.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00+08:00');
const METHODS: VisitMethod[] = ['in_person', 'phone', 'video', 'other'];

function window(
  start: number,
  end: number,
  over: Partial<PlannedObligation> = {},
): PlannedObligation {
  return {
    kind: 'regular',
    key: `regular:${start}`,
    periodKey: 'p',
    periodStart: start,
    periodEnd: end,
    windowStart: start,
    windowEnd: end,
    clipped: false,
    short: false,
    countedMethods: METHODS,
    entryGraceHours: 72,
    policy: null,
    campaign: null,
    villageCode: '210624101201',
    ...over,
  };
}

const arbPlan = fc
  .array(
    fc.record({
      startDay: fc.integer({ min: 0, max: 80 }),
      length: fc.integer({ min: 1, max: 31 }),
      short: fc.boolean(),
      methods: fc.subarray(METHODS, { minLength: 1 }),
      grace: fc.constantFrom(0, 24, 72),
    }),
    { maxLength: 8 },
  )
  .map((ws) =>
    ws.map((w) =>
      window(T0 + w.startDay * DAY, T0 + (w.startDay + w.length) * DAY, {
        short: w.short,
        countedMethods: w.methods,
        entryGraceHours: w.grace,
      }),
    ),
  );

const arbVisits = fc.array(
  fc.record({
    id: fc.uuid(),
    visitedAt: fc.integer({ min: T0 - 5 * DAY, max: T0 + 120 * DAY }),
    lateBy: fc.integer({ min: 0, max: 10 * DAY }),
    method: fc.constantFrom(...METHODS),
  }),
  { maxLength: 12 },
);

describe('the rollup', () => {
  it('equals the schedule engine’s tally for any windows, visits and moment', () => {
    fc.assert(
      fc.property(arbPlan, arbVisits, fc.integer({ min: 0, max: 130 }), (plan, raw, nowDay) => {
        const now = T0 + nowDay * DAY;
        const visits = raw
          .map((v) => ({
            id: v.id,
            visitedAt: v.visitedAt,
            enteredAt: v.visitedAt + v.lateBy,
            method: v.method,
          }))
          .sort((a, b) => a.visitedAt - b.visitedAt || (a.id < b.id ? -1 : 1));
        const expected = emptyTally();
        tallySchedule(expected, plan, visits as VisitTimes[], now);

        // Per-window counts, summed by span as the village rollup stores them.
        const spans = new Map<string, { start: number; end: number; c: RollupCounts }>();
        for (const w of complianceWindows(plan, { tier: 'key', categories: [] })) {
          const add = countsOf(w, satisfyingVisit(w, visits, now));
          const k = `${w.windowStart}:${w.windowEnd}`;
          const s = spans.get(k) ?? { start: w.windowStart, end: w.windowEnd, c: emptyCounts() };
          for (const f of Object.keys(add) as (keyof RollupCounts)[]) s.c[f] += add[f];
          spans.set(k, s);
        }
        const actual = emptyTally();
        for (const s of spans.values()) classify(s.c, s.start, s.end, now, actual);
        expect(actual).toEqual(expected);
      }),
      { numRuns: process.env['CI'] ? 300 : 1000 },
    );
  });

  it('takes the earliest counting visit of a window and marks it late after the grace', () => {
    const w = window(T0, T0 + 30 * DAY, { countedMethods: ['in_person'], entryGraceHours: 72 });
    const visits = [
      { id: 'b', visitedAt: T0 + 5 * DAY, enteredAt: T0 + 5 * DAY, method: 'phone' as const },
      { id: 'c', visitedAt: T0 + 9 * DAY, enteredAt: T0 + 40 * DAY, method: 'in_person' as const },
      { id: 'a', visitedAt: T0 + 20 * DAY, enteredAt: T0 + 20 * DAY, method: 'in_person' as const },
    ];
    expect(satisfyingVisit(w, visits, T0 + 60 * DAY)).toEqual({
      id: 'c',
      visitedAt: T0 + 9 * DAY,
      late: true,
    });
  });

  it('counts a window under all, its tier and each of its categories once', () => {
    expect(
      rollupDimensions({
        tier: 'high_risk',
        categories: ['living_alone', 'living_alone', 'incapacitated'],
      }),
    ).toEqual(['all', 'tier:high_risk', 'category:living_alone', 'category:incapacitated']);
  });
});
