import fc from 'fast-check';
import {
  DANDONG_2023,
  addDays,
  prefilledAnswers,
  todayIso,
  uuidv7,
  type VisitMethod,
  type VisitRateDto,
} from '@tanfang/domain';
import { beforeAll, expect, it, vi } from 'vitest';
import type { RequestContext } from '../../context.js';
import { DONGCHA, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';
import { insertVisitRecords, type VisitRecord } from '../visits/visits.repository.js';
import { RollupMaintenance } from './maintenance.js';
import { RollupsService } from './rollups.service.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const NEIGHBOUR = '210624101202';
const DAY = 86_400_000;
const at = (date: string, hour = 10) =>
  Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00+08:00`);
const ctxOf = (c: Client): RequestContext => ({
  actor: {
    userId: c.user.id,
    username: c.user.username,
    role: c.user.role as RequestContext['actor']['role'],
    jurisdiction: c.user.jurisdiction,
  },
  requestId: 'test',
  ip: '127.0.0.1',
});

describeEachDatabase('the visit-rate rollup', (env) => {
  let county: Client;
  let village: Client;
  let visitorId: string;
  let visitorUser: string;
  const elders: string[] = [];
  const today = todayIso();
  // The months ahead the histories play in (the rules start today).
  const month0 = today.slice(0, 7);
  const month1 = addDays(`${month0}-01`, 40).slice(0, 7);
  const month2 = addDays(`${month1}-01`, 40).slice(0, 7);

  /** Writes visits through the recording path's statement (with its rollup CTEs). */
  async function record(
    visits: {
      id?: string;
      elder: string;
      visitedAt: number;
      enteredAt: number;
      method: VisitMethod;
    }[],
  ) {
    const records: VisitRecord[] = visits.map((v) => {
      const id = v.id ?? uuidv7();
      return {
        visit: {
          id,
          elder_id: v.elder,
          county_code: COUNTY,
          village_code: DONGCHA,
          visitor_id: visitorId,
          visited_at: new Date(v.visitedAt),
          entered_at: new Date(v.enteredAt),
          method: v.method,
          template_key: DANDONG_2023.key,
          template_version: DANDONG_2023.version,
          answers: prefilledAnswers(DANDONG_2023),
          entered_by: visitorUser,
          device_time: null,
          location: null,
          emergency: false,
          emergency_note: null,
          checklist: [],
          recorded_by_role: 'visitor',
        },
        findings: [],
        audit: {
          actorId: visitorUser,
          actorUsername: 'test',
          action: 'visit.create',
          entity: 'visit',
          entityId: id,
          regionCode: DONGCHA,
          requestId: null,
          ip: null,
          detail: null,
        },
        attachmentIds: [],
      };
    });
    const seen = new Set<string>();
    const distinct = records.filter((r) => !seen.has(r.visit.id) && seen.add(r.visit.id));
    await insertVisitRecords(env().database.db, distinct);
  }

  const rollups = () => env().services.rollups;

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    village = await env().signIn('village', DONGCHA);
    const applied = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: COUNTY,
      effectiveFrom: today,
    });
    expect(applied.statusCode, applied.body).toBe(201);
    for (let i = 0; i < 6; i++) {
      const r = await village.post(
        '/api/elders',
        buildElder({ name: `测试老人${'甲乙丙丁戊己'[i]}`, idNumber: idNumber() }),
      );
      expect(r.statusCode, r.body).toBe(201);
      elders.push(r.json().id);
    }
    const user = await env().createUser('visitor', DONGCHA);
    visitorUser = user.id;
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    visitorId = v.json().id;
  });

  it('counts the elders due in a month, and a visit the moment it is written', async () => {
    const now = at(`${month1}-20`);
    const before: VisitRateDto = await rollups().rate(
      ctxOf(county),
      { region: COUNTY, period: month1 },
      now,
    );
    expect(before.total).toMatchObject({ due: 6, onTime: 0, late: 0, notVisited: 6, open: 6 });
    expect(before.rows.map((r) => r.region.name)).toEqual(['灌水镇']);
    await record([
      {
        elder: elders[0]!,
        visitedAt: at(`${month1}-03`),
        enteredAt: at(`${month1}-03`),
        method: 'in_person',
      },
    ]);
    const after = await rollups().rate(ctxOf(county), { region: COUNTY, period: month1 }, now);
    expect(after.total).toMatchObject({ due: 6, onTime: 1, notVisited: 5 });
    expect(after.total.rate).toBeCloseTo(1 / 6);
    // Over HTTP, the village's own view, by tier.
    const http = await village.get(`/api/visit-rate?region=${DONGCHA}&period=${month1}&by=tier`);
    expect(http.statusCode, http.body).toBe(200);
    expect((http.json() as VisitRateDto).rows.every((r) => r.dimension.startsWith('tier:'))).toBe(
      true,
    );
    expect(await rollups().verify(COUNTY, month1)).toEqual([]);
  });

  it('repairs, in the safety net, a window a visit was written past, and touches nothing when all is right', async () => {
    // A visit written in the instant its window was planned again: neither statement saw the
    // other, so the window stays unvisited (simulated by writing the visit alone).
    const enteredAt = at(`${month1}-05`);
    await env()
      .database.db.insertInto('visits')
      .values({
        id: uuidv7(),
        elder_id: elders[2]!,
        county_code: COUNTY,
        village_code: DONGCHA,
        visitor_id: visitorId,
        visited_at: new Date(at(`${month1}-04`)),
        entered_at: new Date(enteredAt),
        method: 'phone',
        template_key: DANDONG_2023.key,
        template_version: DANDONG_2023.version,
        answers: JSON.stringify(prefilledAnswers(DANDONG_2023)),
        entered_by: visitorUser,
      })
      .execute();
    const drift = await rollups().verify(COUNTY, month1);
    expect(drift.length).toBeGreaterThan(0);
    // A round over visits entered before it finds nothing to do.
    const after = new Date(enteredAt + 60_000);
    expect(await rollups().reconcile(new Date(enteredAt + 1), after)).toBe(0);
    expect(await rollups().reconcile(new Date(enteredAt - 60_000), after)).toBe(1);
    expect(await rollups().verify(COUNTY, month1)).toEqual([]);
    const rate = await rollups().rate(
      ctxOf(county),
      { region: COUNTY, period: month1 },
      at(`${month1}-20`),
    );
    expect(rate.total).toMatchObject({ due: 6, onTime: 2, notVisited: 4 });
    // Run again, it finds the window right and changes nothing.
    expect(await rollups().reconcile(new Date(enteredAt - 60_000), after)).toBe(0);
  });

  it('plans the current month in the background, and reconciles from a little before the previous round', async () => {
    const upkeep = new RollupMaintenance(env().database.db, rollups(), 60_000, {
      error: () => undefined,
    });
    const reconcile = vi.spyOn(rollups(), 'reconcile');
    try {
      const t0 = Date.now();
      await upkeep.tick(t0);
      await upkeep.tick(t0 + 60_000);
      // The first round looks back five minutes; the next one to half a minute before the first
      // began.
      expect(
        reconcile.mock.calls.map(([since, until]) => [since.getTime(), until?.getTime()]),
      ).toEqual([
        [t0 - 5 * 60_000, t0],
        [t0 - 30_000, t0 + 60_000],
      ]);
      const planned = await env()
        .database.db.selectFrom('rollup_months')
        .select('region_code')
        .where('month', '=', RollupsService.currentMonth(t0))
        .execute();
      expect(planned.map((r) => r.region_code)).toContain('21');
    } finally {
      reconcile.mockRestore();
    }
  });

  it('lists the elders not visited, and refuses another county and a bad period, naming the field', async () => {
    const r = await village.get(`/api/visit-rate/unvisited?region=${DONGCHA}&period=${month1}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((i: { elder: { id: string } }) => i.elder.id)).not.toContain(
      elders[0],
    );
    const other = await env().signIn('county', '210681');
    expect((await other.get(`/api/visit-rate?region=${COUNTY}&period=${month1}`)).statusCode).toBe(
      404,
    );
    const bad = await county.get(`/api/visit-rate?period=2026-13`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
  });

  it('equals a recount from raw visits after random histories of visits, retries, late entries, corrections, failed spot checks, moves and deaths', async () => {
    const methods: VisitMethod[] = ['in_person', 'phone', 'video', 'other'];
    const start = at(`${month1}-01`, 0);
    const span = at(`${month2}-28`, 0) - start;
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('visit' as const),
        elder: fc.integer({ min: 0, max: 5 }),
        offset: fc.integer({ min: 0, max: span }),
        lateDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 40 })),
        method: fc.constantFrom(...methods),
        retries: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({
        kind: fc.constant('amend' as const),
        pick: fc.nat(),
        offset: fc.integer({ min: 0, max: span }),
        method: fc.constantFrom(...methods),
      }),
      fc.record({ kind: fc.constant('unverify' as const), pick: fc.nat() }),
      fc.record({
        kind: fc.constantFrom('move' as const, 'death' as const),
        elder: fc.integer({ min: 1, max: 5 }),
        offsetDays: fc.integer({ min: 1, max: 55 }),
      }),
    );
    // An elder moves or dies once (as the ledger allows), whichever run it happens in.
    const changed = new Set<number>();
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), async (ops) => {
        const written: { id: string; elder: string; visitedAt: number }[] = [];
        for (const o of ops) {
          if (o.kind === 'visit') {
            const id = uuidv7();
            const visitedAt = start + o.offset;
            const v = {
              id,
              elder: elders[o.elder]!,
              visitedAt,
              enteredAt: visitedAt + o.lateDays * DAY,
              method: o.method,
            };
            // A retried submission is the same record: written again, it changes nothing.
            await Promise.all(Array.from({ length: o.retries + 1 }, () => record([v])));
            written.push(v);
          } else if (o.kind === 'amend' || o.kind === 'unverify') {
            // A correction moves a visit in time or changes its method; a failed spot check
            // takes it out of the count. Both recompute the windows they touch, as the services do.
            const v = written[o.pick % Math.max(written.length, 1)];
            if (!v) continue;
            const db = env().database.db;
            const to = o.kind === 'amend' ? start + o.offset : v.visitedAt;
            await db
              .updateTable('visits')
              .set(
                o.kind === 'amend'
                  ? { visited_at: new Date(to), method: o.method }
                  : { unverified: true },
              )
              .where('id', '=', v.id)
              .execute();
            await rollups().refreshElders(
              [v.elder],
              new Date(Math.min(v.visitedAt, to)),
              new Date(Math.max(v.visitedAt, to) + 1),
            );
            v.visitedAt = to;
          } else if (!changed.has(o.elder)) {
            changed.add(o.elder);
            const date = addDays(`${month1}-01`, o.offsetDays);
            await env()
              .database.db.insertInto('elder_status_history')
              .values({
                id: uuidv7(),
                elder_id: elders[o.elder]!,
                county_code: COUNTY,
                village_code: o.kind === 'move' ? NEIGHBOUR : DONGCHA,
                status: o.kind === 'move' ? 'active' : 'deceased',
                effective_date: date,
                note: o.kind === 'move' ? '迁入邻村' : '病故',
                recorded_by: village.user.id,
              })
              .execute();
            await env()
              .database.db.updateTable('elders')
              .set(
                o.kind === 'move'
                  ? { village_code: NEIGHBOUR, status_since: date }
                  : { status: 'deceased', status_since: date },
              )
              .where('id', '=', elders[o.elder]!)
              .execute();
            await rollups().replanElders([elders[o.elder]!], date);
          }
        }
        for (const m of [month1, month2]) {
          await rollups().ensurePlanned(COUNTY, m);
          expect(await rollups().verify(COUNTY, m)).toEqual([]);
        }
      }),
      { numRuns: 8 },
    );
  });

  it('recomputes only the affected region when a rule changes, and still equals the recount', async () => {
    const from = `${month2}-01`;
    const res = await county.post('/api/policies', {
      regionCode: TOWNSHIP,
      name: '灌水镇每周探访',
      tiers: [],
      categories: [],
      cadence: { kind: 'weekly' },
      countedMethods: ['in_person', 'phone'],
      templateKey: 'dandong-2023',
      entryGraceDays: 3,
      effectiveFrom: from,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await rollups().verify(COUNTY, month2)).toEqual([]);
    const weekly = await env()
      .database.db.selectFrom('compliance')
      .select('period_key')
      .where('period_key', 'like', '%-W%')
      .execute();
    expect(weekly.length).toBeGreaterThan(0);
  });

  it('keeps the rollup current when an elder is registered or dies through the ledger', async () => {
    const now = Date.now();
    const month = today.slice(0, 7);
    await rollups().ensurePlanned(COUNTY, month);
    const before = await rollups().rate(ctxOf(county), { region: COUNTY, period: month }, now);
    const r = await village.post(
      '/api/elders',
      buildElder({ name: '新登记老人', idNumber: idNumber() }),
    );
    expect(r.statusCode, r.body).toBe(201);
    const added = await rollups().rate(ctxOf(county), { region: COUNTY, period: month }, now);
    expect(added.total.due + added.total.exempt).toBe(before.total.due + before.total.exempt + 1);
    const died = await village.post(`/api/elders/${r.json().id}/status`, {
      status: 'deceased',
      effectiveDate: today,
      note: '病故',
    });
    expect(died.statusCode, died.body).toBe(200);
    expect(await rollups().verify(COUNTY, month)).toEqual([]);
  });
});
