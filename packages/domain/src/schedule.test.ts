import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Category, Tier } from './elder.js';
import { DAY_MS, addDays, startOfLocalDate } from './periods.js';
import type { CampaignRule, Cadence, PolicyRule, VisitMethod } from './policies.js';
import {
  addToTally,
  computeSchedule,
  emptyTally,
  planSchedule,
  presenceOf,
  resolvePolicy,
  tallySchedule,
  type Obligation,
  type Presence,
  type ScheduleInput,
  type VisitFact,
} from './schedule.js';
import { tasksOf } from './worklist.js';

const DONGCHA = '210624101201'; // 宽甸县灌水镇东岔村
const OTHER_VILLAGE = '210624101202';
const GUJIATUN = '210681101201'; // 东港市, another county

let seq = 0;
function rule(overrides: Partial<PolicyRule> & { cadence: Cadence }): PolicyRule {
  seq++;
  return {
    policyId: overrides.policyId ?? `p${String(seq).padStart(4, '0')}`,
    version: 1,
    regionCode: '2106',
    effectiveFrom: '2026-01-01',
    retired: false,
    name: '规则',
    tiers: [],
    categories: [],
    countedMethods: ['in_person', 'phone', 'video', 'other'],
    inPersonEvery: null,
    templateKey: 'dandong-2023',
    entryGraceDays: 3,
    ...overrides,
  };
}

const monthly = rule({ policyId: 'dandong', cadence: { kind: 'monthly' } });
const at = (local: string) => Date.parse(`${local}+08:00`);
const visit = (
  id: string,
  visitedAt: string,
  method: VisitMethod = 'in_person',
  enteredAt = visitedAt,
): VisitFact => ({ id, visitedAt: at(visitedAt), enteredAt: at(enteredAt), method });

function input(overrides: Partial<ScheduleInput> = {}): ScheduleInput {
  return {
    profile: { tier: 'key', categories: ['living_alone'] },
    presence: [{ villageCode: DONGCHA, from: '2025-06-01', to: null }],
    policies: [monthly],
    campaigns: [],
    from: '2026-09-01',
    to: '2026-12-01',
    ...overrides,
  };
}

const byKey = (obligations: Obligation[]) =>
  Object.fromEntries(obligations.map((o) => [o.key, o.status]));

describe('the schedule engine', () => {
  it('asks 丹东 elders for one visit a month and says which months were missed', () => {
    const result = computeSchedule(
      input(),
      [visit('a', '2026-10-05T10:00:00'), visit('b', '2026-11-03T09:00:00')],
      at('2026-11-22T12:00:00'),
    );
    expect(byKey(result)).toEqual({
      'regular:2026-09': 'overdue',
      'regular:2026-10': 'done',
      'regular:2026-11': 'done',
    });
  });

  it('counts a visit once for its month however often it is retried or repeated', () => {
    const v = visit('same-id', '2026-11-03T09:00:00');
    const result = computeSchedule(
      input({ from: '2026-11-01' }),
      [v, v, v, visit('second', '2026-11-10T09:00:00')],
      at('2026-11-30T12:00:00'),
    );
    const tally = emptyTally();
    addToTally(tally, result);
    expect(tally).toMatchObject({ due: 1, done: 1, overdue: 0 });
    expect(result[0]!.visit!.id).toBe('same-id');
  });

  it('counts a visit entered late for the month it happened in, marked late', () => {
    const result = computeSchedule(
      input({ from: '2026-10-01', to: '2026-11-01' }),
      [visit('paper', '2026-10-30T15:00:00', 'in_person', '2026-11-10T08:00:00')],
      at('2026-11-22T12:00:00'),
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ periodKey: '2026-10', status: 'done' });
    expect(result[0]!.visit!.late).toBe(true);
    // Entered within the 3-day grace: on time.
    const onTime = computeSchedule(
      input({ from: '2026-10-01', to: '2026-11-01' }),
      [visit('paper', '2026-10-30T15:00:00', 'in_person', '2026-11-03T08:00:00')],
      at('2026-11-22T12:00:00'),
    );
    expect(onTime[0]!.visit!.late).toBe(false);
  });

  it('makes an elder who joins mid-month due from the day they join', () => {
    const joined = input({
      presence: [{ villageCode: DONGCHA, from: '2026-11-18', to: null }],
      from: '2026-11-01',
    });
    const [nov] = computeSchedule(joined, [], at('2026-12-01T08:00:00'));
    expect(nov).toMatchObject({ clipped: true, short: false, status: 'overdue' });
    expect(new Date(nov!.windowStart).toISOString()).toBe('2026-11-17T16:00:00.000Z');
  });

  it('does not hold a few days at the end of a month against the village, unless visited', () => {
    const late = input({
      presence: [{ villageCode: DONGCHA, from: '2026-11-27', to: null }],
      from: '2026-11-01',
    });
    expect(computeSchedule(late, [], at('2026-12-01T08:00:00'))[0]!.status).toBe('exempt');
    expect(
      computeSchedule(late, [visit('v', '2026-11-28T10:00:00')], at('2026-12-01T08:00:00'))[0]!
        .status,
    ).toBe('done');
  });

  it('ends the obligation on the day an elder dies', () => {
    const died = input({
      presence: presenceOf([
        { status: 'active', effectiveDate: '2025-01-01', villageCode: DONGCHA },
        { status: 'deceased', effectiveDate: '2026-11-12', villageCode: DONGCHA },
      ]),
      from: '2026-11-01',
    });
    const result = computeSchedule(died, [], at('2026-11-22T08:00:00'));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ status: 'overdue', clipped: true });
    expect(result[0]!.windowEnd).toBe(startOfLocalDate('2026-11-12'));
  });

  it('splits a month between the village an elder leaves and the one they move to', () => {
    const presence = presenceOf([
      { status: 'active', effectiveDate: '2025-01-01', villageCode: DONGCHA },
      { status: 'moved', effectiveDate: '2026-11-15', villageCode: DONGCHA },
      { status: 'active', effectiveDate: '2026-11-15', villageCode: GUJIATUN },
    ]);
    expect(presence).toEqual([
      { villageCode: DONGCHA, from: '2025-01-01', to: '2026-11-15' },
      { villageCode: GUJIATUN, from: '2026-11-15', to: null },
    ]);
    const visits = [visit('v', '2026-11-20T10:00:00')];
    const now = at('2026-12-01T08:00:00');
    const base = input({ presence, from: '2026-11-01' });
    expect(computeSchedule({ ...base, region: '210624' }, visits, now)[0]!.status).toBe('overdue');
    expect(computeSchedule({ ...base, region: '210681' }, visits, now)[0]!.status).toBe('done');
    // For the elder as a whole, November is one month, visited.
    const whole = computeSchedule(base, visits, now);
    expect(whole).toHaveLength(1);
    expect(whole[0]).toMatchObject({ status: 'done', clipped: false });
  });

  it('lets the most specific policy win', () => {
    const city = rule({ regionCode: '2106', cadence: { kind: 'monthly' } });
    const countyHighRisk = rule({
      regionCode: '210624',
      tiers: ['high_risk'],
      cadence: { kind: 'weekly' },
    });
    const policies = [city, countyHighRisk];
    const high = { tier: 'high_risk' as Tier, categories: [] as Category[] };
    const key = { tier: 'key' as Tier, categories: [] as Category[] };
    expect(resolvePolicy(policies, high, DONGCHA, '2026-11-22')).toBe(countyHighRisk);
    expect(resolvePolicy(policies, key, DONGCHA, '2026-11-22')).toBe(city);
    expect(resolvePolicy(policies, high, GUJIATUN, '2026-11-22')).toBe(city);
  });

  it('applies a new version from its date and leaves earlier periods as they were', () => {
    const v2 = {
      ...monthly,
      version: 2,
      effectiveFrom: '2026-12-01',
      cadence: { kind: 'quarterly' } as Cadence,
    };
    const result = computeSchedule(
      input({ policies: [monthly, v2], from: '2026-11-01', to: '2027-04-01' }),
      [],
      at('2026-11-22T08:00:00'),
    );
    expect(result.map((o) => `${o.periodKey}:${o.clipped}`)).toEqual([
      '2026-11:false',
      '2026-Q4:true',
      '2027-Q1:false',
    ]);
    // A retired policy asks for nothing from its date.
    const retired = { ...monthly, version: 2, effectiveFrom: '2026-12-01', retired: true };
    expect(
      computeSchedule(
        input({ policies: [monthly, retired], from: '2026-11-01', to: '2027-02-01' }),
        [],
        0,
      ).map((o) => o.periodKey),
    ).toEqual(['2026-11']);
  });

  it('lets a new cadence start when the period in progress ends, so nothing is overdue at once', () => {
    const weekly = rule({
      regionCode: '210624',
      tiers: ['high_risk'],
      effectiveFrom: '2026-11-22',
      cadence: { kind: 'weekly' },
    });
    const high = input({
      profile: { tier: 'high_risk', categories: [] },
      policies: [monthly, weekly],
      from: '2026-11-01',
      to: '2026-12-15',
    });
    const result = computeSchedule(high, [], at('2026-11-22T12:00:00'));
    expect(result.map((o) => `${o.periodKey}:${o.status}:${o.clipped}`)).toEqual([
      '2026-11:due:false',
      '2026-W49:upcoming:true',
      '2026-W50:upcoming:false',
      '2026-W51:upcoming:false',
    ]);
    expect(result[1]!.windowStart).toBe(startOfLocalDate('2026-12-01'));
  });

  it('keeps one month unbroken when a new version changes only the form', () => {
    const v2 = { ...monthly, version: 2, effectiveFrom: '2026-11-15', templateKey: 'anshan-2020' };
    const result = computeSchedule(
      input({ policies: [monthly, v2], from: '2026-11-01' }),
      [visit('v', '2026-11-03T10:00:00')],
      at('2026-11-22T08:00:00'),
    );
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ status: 'done', clipped: false });
  });

  it('counts only the methods a policy allows (鞍山: 实地 or 电话)', () => {
    const anshan = rule({ cadence: { kind: 'quarterly' }, countedMethods: ['in_person', 'phone'] });
    const result = computeSchedule(
      input({ policies: [anshan], from: '2026-10-01', to: '2027-01-01' }),
      [visit('video', '2026-10-10T10:00:00', 'video')],
      at('2027-01-02T08:00:00'),
    );
    expect(result[0]).toMatchObject({ periodKey: '2026-Q4', status: 'overdue' });
  });

  it('asks for a visit in person each quarter on top of monthly calls', () => {
    const key = rule({
      cadence: { kind: 'monthly' },
      countedMethods: ['in_person', 'phone', 'video'],
      inPersonEvery: 'quarter',
    });
    const calls = ['2026-10-05', '2026-11-05', '2026-12-05'].map((d, i) =>
      visit(`c${i}`, `${d}T10:00:00`, 'phone'),
    );
    const result = computeSchedule(
      input({ policies: [key], from: '2026-10-01', to: '2027-01-01' }),
      calls,
      at('2027-01-02T08:00:00'),
    );
    expect(byKey(result)).toEqual({
      'regular:2026-10': 'done',
      'regular:2026-11': 'done',
      'regular:2026-12': 'done',
      'in_person:2026-Q4': 'overdue',
    });
  });

  it('adds campaign visits within N hours for the tiers it selects', () => {
    const storm: CampaignRule = {
      id: 'storm',
      regionCode: '210624',
      name: '暴雪',
      kind: 'extreme_weather',
      startsAt: '2026-11-20T00:00:00+08:00',
      endsAt: '2026-11-24T00:00:00+08:00',
      withinHours: 48,
      tiers: ['high_risk'],
      categories: [],
      countedMethods: ['in_person', 'phone'],
      checklist: [{ key: 'weather_safety', label: '防寒防暑、房屋安全' }],
    };
    const high = input({
      profile: { tier: 'high_risk', categories: [] },
      campaigns: [storm],
      from: '2026-11-01',
    });
    const result = computeSchedule(
      high,
      [visit('v', '2026-11-21T10:00:00', 'phone')],
      at('2026-11-23T08:00:00'),
    );
    expect(byKey(result)).toEqual({
      'regular:2026-11': 'done',
      'campaign:storm#1': 'done',
      'campaign:storm#2': 'due',
    });
    expect(
      computeSchedule({ ...high, profile: { tier: 'general', categories: [] } }, [], 0),
    ).toHaveLength(1);
  });

  it('puts a missed month first on the worklist until the elder is visited again', () => {
    const now = at('2026-11-22T08:00:00');
    const missed = computeSchedule(input({ from: '2026-10-01' }), [], now);
    expect(tasksOf(missed, now).map((t) => [t.bucket, t.obligation.periodKey])).toEqual([
      ['overdue', '2026-10'],
    ]);
    const caughtUp = computeSchedule(
      input({ from: '2026-10-01' }),
      [visit('v', '2026-11-21T09:00:00')],
      now,
    );
    expect(tasksOf(caughtUp, now)).toEqual([]);
    const lastDay = at('2026-11-30T08:00:00');
    const dueToday = computeSchedule(input({ from: '2026-11-01' }), [], lastDay);
    expect(tasksOf(dueToday, lastDay).map((t) => t.bucket)).toEqual(['today']);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random histories.

const DAY0 = '2026-01-01';
const dayArb = fc.integer({ min: 0, max: 364 });
const cadenceArb: fc.Arbitrary<Cadence> = fc.oneof(
  fc.constant<Cadence>({ kind: 'weekly' }),
  fc.constant<Cadence>({ kind: 'monthly' }),
  fc.constant<Cadence>({ kind: 'quarterly' }),
  fc.integer({ min: 2, max: 92 }).map<Cadence>((days) => ({ kind: 'every_n_days', days })),
);
const methodArb = fc.constantFrom<VisitMethod>('in_person', 'phone', 'video', 'other');
const tierArb = fc.constantFrom<Tier>('high_risk', 'key', 'general');

const policiesArb = fc
  .array(
    fc.record({
      region: fc.constantFrom('2106', '210624', '210624101'),
      tiers: fc.subarray<Tier>(['high_risk', 'key', 'general']),
      cadence: cadenceArb,
      versions: fc.array(fc.record({ day: dayArb, cadence: cadenceArb, retired: fc.boolean() }), {
        maxLength: 2,
      }),
      inPersonEvery: fc.constantFrom(null, 'month' as const, 'quarter' as const),
      methods: fc.subarray<VisitMethod>(['in_person', 'phone', 'video', 'other'], { minLength: 1 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((specs) =>
    specs.flatMap((s, i) => {
      const base = rule({
        policyId: `p${i}`,
        regionCode: s.region,
        tiers: s.tiers,
        cadence: s.cadence,
        inPersonEvery: s.inPersonEvery,
        countedMethods: s.methods,
        effectiveFrom: '2025-12-01',
      });
      const seen = new Set(['2025-12-01']);
      const versions = s.versions
        .map((v) => ({ ...v, date: addDays(DAY0, v.day) }))
        .filter((v) => !seen.has(v.date) && (seen.add(v.date), true))
        .sort((a, b) => (a.date < b.date ? -1 : 1))
        .map((v, k) => ({
          ...base,
          version: k + 2,
          effectiveFrom: v.date,
          cadence: v.cadence,
          retired: v.retired,
        }));
      return [base, ...versions];
    }),
  );

/** A status history: start active, then a few changes (moves, hospital, death). */
const presenceArb: fc.Arbitrary<Presence[]> = fc
  .array(
    fc.record({
      day: dayArb,
      status: fc.constantFrom('active', 'hospital', 'moved', 'deceased'),
      village: fc.constantFrom(DONGCHA, OTHER_VILLAGE, GUJIATUN),
    }),
    { maxLength: 4 },
  )
  .chain((events) =>
    fc.constant(
      presenceOf([
        { status: 'active', effectiveDate: '2025-11-01', villageCode: DONGCHA },
        ...events
          .sort((a, b) => a.day - b.day)
          .map((e) => ({
            status: e.status,
            effectiveDate: addDays(DAY0, e.day),
            villageCode: e.village,
          })),
      ]),
    ),
  );

const visitsArb = fc.array(
  fc.record({
    id: fc.integer({ min: 0, max: 60 }).map((n) => `v${n}`),
    minute: fc.integer({ min: 0, max: 365 * 24 * 60 }),
    delayHours: fc.integer({ min: 0, max: 24 * 40 }),
    method: methodArb,
  }),
  { maxLength: 40 },
);

function facts(
  raw: Array<{ id: string; minute: number; delayHours: number; method: VisitMethod }>,
) {
  // One id is one visit: a retry repeats the same facts.
  const byId = new Map<string, VisitFact>();
  for (const r of raw) {
    if (byId.has(r.id)) continue;
    const t = startOfLocalDate(DAY0) + r.minute * 60_000;
    byId.set(r.id, {
      id: r.id,
      visitedAt: t,
      enteredAt: t + r.delayHours * 3_600_000,
      method: r.method,
    });
  }
  return [...byId.values()];
}

const historyArb = fc.record({
  policies: policiesArb,
  presence: presenceArb,
  visits: visitsArb,
  tier: tierArb,
  now: fc.integer({ min: 0, max: 400 }),
  region: fc.constantFrom(undefined, '210624', '210681', '210624101201'),
});

type History = typeof historyArb extends fc.Arbitrary<infer T> ? T : never;

function run(h: History, visits = facts(h.visits)) {
  const inputs: ScheduleInput = {
    profile: { tier: h.tier, categories: [] },
    presence: h.presence,
    policies: h.policies,
    campaigns: [],
    from: DAY0,
    to: '2027-01-01',
    ...(h.region ? { region: h.region } : {}),
  };
  return computeSchedule(inputs, visits, startOfLocalDate(DAY0) + h.now * DAY_MS);
}

describe('schedule properties', () => {
  fc.configureGlobal({ numRuns: 200 });
  it('a retried submission never changes anything', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const once = facts(h.visits);
        const retried = [...once, ...once.slice(0, 5)];
        expect(run(h, retried)).toEqual(run(h, once));
      }),
    );
  });

  it('a visit counts for the period it happened in, whenever it is entered', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 1, max: 2000 }), (h, extraHours) => {
        const once = facts(h.visits);
        const later = once.map((v) => ({
          ...v,
          enteredAt: v.enteredAt + extraHours * 3_600_000,
        }));
        const strip = (os: Obligation[]) => os.map((o) => [o.key, o.status, o.visit?.id]);
        expect(strip(run(h, later))).toEqual(strip(run(h, once)));
      }),
    );
  });

  it('no visit satisfies two regular periods, and windows never overlap', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const regular = run(h).filter((o) => o.kind === 'regular');
        const used = regular.flatMap((o) => (o.visit ? [o.visit.id] : []));
        expect(new Set(used).size).toBe(used.length);
        for (let i = 1; i < regular.length; i++)
          expect(regular[i]!.windowStart).toBeGreaterThanOrEqual(regular[i - 1]!.windowEnd);
      }),
    );
  });

  it('an elder is due only while active in the region', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const inRegion = h.presence.filter((p) => !h.region || p.villageCode.startsWith(h.region));
        for (const o of run(h)) {
          expect(o.windowStart).toBeGreaterThanOrEqual(o.periodStart);
          expect(o.windowEnd).toBeLessThanOrEqual(o.periodEnd);
          const starts = inRegion.some(
            (p) =>
              startOfLocalDate(p.from) <= o.windowStart &&
              (p.to === null || o.windowStart < startOfLocalDate(p.to)),
          );
          expect(starts).toBe(true);
        }
      }),
    );
  });

  it('a new policy version never rewrites periods that closed before it took effect', () => {
    fc.assert(
      fc.property(historyArb, dayArb, cadenceArb, (h, day, cadence) => {
        const date = addDays(DAY0, day);
        const target = h.policies[h.policies.length - 1]!;
        if (h.policies.some((p) => p.policyId === target.policyId && p.effectiveFrom >= date))
          return;
        const changed = [...h.policies, { ...target, version: 99, effectiveFrom: date, cadence }];
        const cut = startOfLocalDate(date);
        const before = (os: Obligation[]) =>
          os
            .filter((o) => o.windowEnd <= cut && o.periodEnd <= cut)
            .map((o) => [o.key, o.status, o.visit?.id]);
        expect(before(run({ ...h, policies: changed }))).toEqual(before(run(h)));
      }),
    );
  });

  it('a done period keeps its first visit when more visits are added', () => {
    fc.assert(
      fc.property(historyArb, visitsArb, (h, more) => {
        const base = facts(h.visits);
        const extra = facts(more.map((m) => ({ ...m, id: `x${m.id}` })));
        const a = run(h, base);
        const b = run(h, [...base, ...extra]);
        for (const [i, o] of a.entries()) {
          if (o.status !== 'done') continue;
          expect(b[i]!.status).toBe('done');
          expect(b[i]!.visit!.visitedAt).toBeLessThanOrEqual(o.visit!.visitedAt);
        }
      }),
    );
  });

  it('counts the same with the lean tally as with full obligations', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        // Oldest first, and at the same minute by id, as evaluateSchedule orders them (the
        // rollup's SQL too): two visits of one minute, one entered late, once sorted by time
        // alone in generation order.
        const visits = facts(h.visits).sort(
          (a, b) => a.visitedAt - b.visitedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
        );
        const full = emptyTally();
        addToTally(full, run(h, visits));
        const lean = emptyTally();
        const plans = planSchedule({
          profile: { tier: h.tier, categories: [] },
          presence: h.presence,
          policies: h.policies,
          campaigns: [],
          from: DAY0,
          to: '2027-01-01',
          ...(h.region ? { region: h.region } : {}),
        });
        tallySchedule(lean, plans, visits, startOfLocalDate(DAY0) + h.now * DAY_MS);
        expect(lean).toEqual(full);
      }),
    );
  });

  it('plans the same obligations whatever the visits', () => {
    fc.assert(
      fc.property(historyArb, (h) => {
        const keys = run(h).map((o) => o.key);
        expect(run(h, []).map((o) => o.key)).toEqual(keys);
        expect(new Set(keys).size).toBe(keys.length);
        expect(
          planSchedule({
            profile: { tier: h.tier, categories: [] },
            presence: h.presence,
            policies: h.policies,
            campaigns: [],
            from: DAY0,
            to: '2027-01-01',
            ...(h.region ? { region: h.region } : {}),
          }).length,
        ).toBe(keys.length);
      }),
    );
  });
});
