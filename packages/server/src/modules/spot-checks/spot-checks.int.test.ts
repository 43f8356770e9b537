import {
  DANDONG_2023,
  POLICY_PRESETS,
  addDays,
  drawSample,
  periodOf,
  prefilledAnswers,
  startOfLocalDate,
  stratumSize,
  todayIso,
  uuidv7,
  type SpotCheckDetailDto,
  type SpotCheckItemDto,
  type SpotCheckSampleDto,
  type VisitMethod,
  type VisitRateDto,
} from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { insertPolicy, insertVersion } from '../policies/policies.repository.js';
import { DONGCHA, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';
import { insertVisitRecords, type VisitRecord } from '../visits/visits.repository.js';
import { spotCheckPassRate } from './spot-checks.repository.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const NEIGHBOUR = '210624101202';
const HOUR = 3_600_000;

describeEachDatabase('spot checks (抽查)', (env) => {
  let county: Client;
  let township: Client;
  let village: Client;
  const visitors: string[] = [];
  /** The visits of last month: id, elder, visitor. */
  const visits: { id: string; elder: string; visitor: string }[] = [];
  const thisMonth = periodOf('month', todayIso());
  const lastMonth = periodOf('month', addDays(thisMonth.start, -1));
  let sample: SpotCheckDetailDto;

  /** Writes visits through the recording path's statement (with its rollup CTEs). */
  async function record(
    list: { elder: string; village: string; visitor: string; at: number; method: VisitMethod }[],
  ) {
    const records: VisitRecord[] = list.map((v) => {
      const id = uuidv7(v.at);
      return {
        visit: {
          id,
          elder_id: v.elder,
          county_code: COUNTY,
          village_code: v.village,
          visitor_id: v.visitor,
          visited_at: new Date(v.at),
          entered_at: new Date(v.at + 20 * 60_000),
          method: v.method,
          template_key: DANDONG_2023.key,
          template_version: DANDONG_2023.version,
          answers: prefilledAnswers(DANDONG_2023),
          entered_by: village.user.id,
          device_time: null,
          location: null,
          emergency: false,
          emergency_note: null,
          checklist: [],
          recorded_by_role: 'village',
        },
        findings: [],
        audit: {
          actorId: village.user.id,
          actorUsername: village.user.username,
          action: 'visit.create',
          entity: 'visit',
          entityId: id,
          regionCode: v.village,
          requestId: null,
          ip: null,
          detail: null,
        },
        attachmentIds: [],
      };
    });
    await insertVisitRecords(env().database.db, records);
    return records.map((r) => r.visit.id);
  }

  const rate = async (): Promise<VisitRateDto> => {
    const r = await county.get(`/api/visit-rate?region=${TOWNSHIP}&period=${lastMonth.key}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    township = await env().signIn('township', TOWNSHIP);
    village = await env().signIn('village', DONGCHA);
    // 丹东 2023 (monthly) in force since last month, as the system would have kept it then.
    const db = env().database.db;
    const dandong = POLICY_PRESETS.find((p) => p.key === 'dandong-2023')!.policies[0]!;
    const policyId = uuidv7(startOfLocalDate(lastMonth.start));
    await insertPolicy(db, {
      id: policyId,
      region_code: COUNTY,
      preset: 'dandong-2023',
      created_by: county.user.id,
    });
    await insertVersion(db, {
      policy_id: policyId,
      version: 1,
      effective_from: lastMonth.start,
      name: dandong.name,
      tiers: dandong.tiers,
      categories: dandong.categories,
      cadence: JSON.stringify(dandong.cadence),
      counted_methods: dandong.countedMethods,
      in_person_every: dandong.inPersonEvery,
      template_key: dandong.templateKey,
      created_by: county.user.id,
    });
    // Three visitors of 东岔村 and one of the neighbouring village.
    for (const [name, region] of [
      ['刘春梅', DONGCHA],
      ['王建国', DONGCHA],
      ['赵丽', DONGCHA],
      ['孙海', NEIGHBOUR],
    ] as const) {
      const v = await township.post('/api/visitors', buildVisitor({ name, regionCode: region }));
      expect(v.statusCode, v.body).toBe(201);
      visitors.push(v.json().id);
    }
    // 14 elders registered since last month; each visited once last month: visitor 0 has 7,
    // visitor 1 has 4, visitor 2 one, the neighbour's visitor two.
    const plan = [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 3, 3];
    for (const [i, visitor] of plan.entries()) {
      const villageCode = visitor === 3 ? NEIGHBOUR : DONGCHA;
      const r = await township.post(
        '/api/elders',
        buildElder({
          name: `抽查老人${i + 1}`,
          idNumber: idNumber(),
          villageCode,
          recordDate: lastMonth.start,
        }),
      );
      expect(r.statusCode, r.body).toBe(201);
      const at = startOfLocalDate(addDays(lastMonth.start, 2 + i)) + 10 * HOUR;
      const [id] = await record([
        {
          elder: r.json().id,
          village: villageCode,
          visitor: visitors[visitor]!,
          at,
          method: i % 3 === 0 ? 'phone' : 'in_person',
        },
      ]);
      visits.push({ id: id!, elder: r.json().id, visitor: visitors[visitor]! });
    }
  });

  it('draws a sample stratified by visitor that anyone can draw again from the stored seed', async () => {
    const r = await county.post('/api/spot-checks', {
      townshipCode: TOWNSHIP,
      month: lastMonth.key,
      ratePercent: 30,
      seed: 20261206,
    });
    expect(r.statusCode, r.body).toBe(201);
    sample = r.json();
    expect(sample).toMatchObject({
      township: { code: TOWNSHIP, name: '灌水镇' },
      month: lastMonth.key,
      seed: 20261206,
      ratePercent: 30,
      perVisitor: null,
      minPerVisitor: 1,
      populationSize: 14,
      strata: 4,
      progress: { total: 7, checked: 0, passRate: null },
    });
    // 30% rounded up per visitor, at least one each: 7 → 3, 4 → 2, 1 → 1, 2 → 1.
    const per = new Map<string, number>();
    for (const i of sample.items) per.set(i.visitor!.id, (per.get(i.visitor!.id) ?? 0) + 1);
    expect(visitors.map((v) => per.get(v))).toEqual([3, 2, 1, 1]);
    expect([7, 4, 1, 2].map((n) => stratumSize(n, { ratePercent: 30 }))).toEqual([3, 2, 1, 1]);
    // The same draw, by anyone, from the visits and the seed.
    const again = drawSample(
      visits.map((v) => ({ id: v.id, visitorId: v.visitor })),
      { ratePercent: 30 },
      20261206,
    ).map((v) => v.id);
    expect(sample.items.map((i) => i.visit.id).sort()).toEqual([...again].sort());
    const reproduced = await township.get(`/api/spot-checks/${sample.id}/reproduce`);
    expect(reproduced.statusCode, reproduced.body).toBe(200);
    expect(reproduced.json()).toMatchObject({ seed: 20261206, populationSize: 14, matches: true });
    // Each item shows the elder (phone masked), the village, the visitor and the visit.
    const item = sample.items[0]!;
    expect(item.elder.phoneMasked).toBe('139****0001');
    expect(item.elder.emergencyContact).toEqual({ name: '李明', phoneMasked: '139****0002' });
    expect(item.result).toBe('pending');
    expect(item.visit.unverified).toBe(false);
  });

  it('refuses a second draw of the same township and month with 409 naming the sample', async () => {
    for (const c of [county, township]) {
      const r = await c.post('/api/spot-checks', {
        townshipCode: TOWNSHIP,
        month: lastMonth.key,
        perVisitor: 1,
      });
      expect(r.statusCode, r.body).toBe(409);
      expect(r.json().error).toMatchObject({ code: 'spot_check_exists', sampleId: sample.id });
    }
    const count = await env()
      .database.db.selectFrom('spot_check_samples')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('lets the township draw its own current month with a random seed it stores', async () => {
    const at = Math.max(startOfLocalDate(thisMonth.start), Date.now() - 60_000);
    await record([
      { elder: visits[0]!.elder, village: DONGCHA, visitor: visitors[0]!, at, method: 'phone' },
    ]);
    const r = await township.post('/api/spot-checks', {
      townshipCode: TOWNSHIP,
      month: thisMonth.key,
      perVisitor: 2,
    });
    expect(r.statusCode, r.body).toBe(201);
    const drawn: SpotCheckDetailDto = r.json();
    expect(drawn.seed).toBeGreaterThanOrEqual(0);
    expect(drawn.seed).toBeLessThanOrEqual(0xffff_ffff);
    expect(drawn.items).toHaveLength(1);
    expect((await township.get(`/api/spot-checks/${drawn.id}/reproduce`)).json().matches).toBe(
      true,
    );
    const list = await township.get(`/api/spot-checks?period=${thisMonth.start.slice(0, 4)}`);
    expect(list.statusCode, list.body).toBe(200);
    const months = (list.json().items as SpotCheckSampleDto[]).map((s) => s.month);
    expect(months).toContain(thisMonth.key);
  });

  it('flags a visit not verified, and the township’s rate drops by exactly that visit', async () => {
    const before = await rate();
    expect(before.total).toMatchObject({ due: 14, onTime: 14, notVisited: 0 });
    const [first, second] = sample.items as [SpotCheckItemDto, SpotCheckItemDto];
    // Not yet assigned: the township may not record; county staff may.
    const unassigned = await township.post(`/api/spot-check-items/${first.id}/result`, {
      result: 'verified_phone',
    });
    expect(unassigned.statusCode).toBe(403);
    const checkers = await county.get(`/api/spot-checks/${sample.id}/checkers`);
    expect(checkers.json().items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([county.user.id, township.user.id]),
    );
    const assigned = await county.post(`/api/spot-checks/${sample.id}/assignments`, {
      checkerId: township.user.id,
      itemIds: [first.id, second.id],
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({ assigned: 2, sample: { progress: { assigned: 2 } } });

    const failed = await township.post(`/api/spot-check-items/${first.id}/result`, {
      result: 'not_verified',
      note: '电话联系老人，称当月无人上门',
    });
    expect(failed.statusCode, failed.body).toBe(200);
    expect(failed.json()).toMatchObject({
      result: 'not_verified',
      checkedBy: { id: township.user.id },
      visit: { unverified: true },
    });
    const visit = await county.get(`/api/visits/${first.visit.id}`);
    expect(visit.json().unverified).toBe(true);
    const after = await rate();
    expect(after.total).toMatchObject({
      due: 14,
      onTime: before.total.onTime - 1,
      notVisited: 1,
    });
    expect(await env().services.rollups.verify(COUNTY, lastMonth.key)).toEqual([]);
    const unvisited = await county.get(
      `/api/visit-rate/unvisited?region=${TOWNSHIP}&period=${lastMonth.key}`,
    );
    expect(unvisited.json().items.map((i: { elder: { id: string } }) => i.elder.id)).toEqual([
      first.elder.id,
    ]);

    // Verified by phone: nothing changes in the rate.
    const ok = await township.post(`/api/spot-check-items/${second.id}/result`, {
      result: 'verified_phone',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await rate()).total.onTime).toBe(before.total.onTime - 1);
    const audit = await env()
      .database.db.selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'spot_check.result')
      .where('entity_id', '=', first.visit.id)
      .execute();
    expect(audit).toHaveLength(1);
    // The pass rate: one verified of two checked.
    expect(
      await spotCheckPassRate(env().database.db, TOWNSHIP, lastMonth.key, thisMonth.key),
    ).toMatchObject({ total: 7, checked: 2, verifiedPhone: 1, notVerified: 1, passRate: 0.5 });
    const byTownship = await county.get(
      `/api/spot-checks/pass-rate?region=${COUNTY}&period=${lastMonth.key.slice(0, 4)}`,
    );
    expect(byTownship.statusCode, byTownship.body).toBe(200);
    expect(byTownship.json().rows).toMatchObject([
      { region: { code: TOWNSHIP, name: '灌水镇' }, progress: { checked: 2, passRate: 0.5 } },
    ]);
  });

  it('restores the visit and the rate when the result is changed back, with a note, and keeps the history', async () => {
    const first = sample.items[0]!;
    const noNote = await township.post(`/api/spot-check-items/${first.id}/result`, {
      result: 'verified_in_person',
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.field).toBe('note');
    const changed = await township.post(`/api/spot-check-items/${first.id}/result`, {
      result: 'verified_in_person',
      note: '实地走访邻居与老人，确认当月已上门',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ result: 'verified_in_person', changes: 2 });
    expect((await county.get(`/api/visits/${first.visit.id}`)).json().unverified).toBe(false);
    expect((await rate()).total).toMatchObject({ due: 14, onTime: 14, notVisited: 0 });
    expect(await env().services.rollups.verify(COUNTY, lastMonth.key)).toEqual([]);
    const events = await county.get(`/api/spot-check-items/${first.id}/events`);
    expect(
      events
        .json()
        .items.map((e: { kind: string; toResult: string | null }) => `${e.kind}:${e.toResult}`),
    ).toEqual(['assigned:null', 'result:not_verified', 'result:verified_in_person']);
  });

  it('gives a checker of another township 404, for the sample, its items and as an assignee', async () => {
    const other = await env()
      .database.db.selectFrom('regions')
      .select('code')
      .where('parent_code', '=', COUNTY)
      .where('code', '<>', TOWNSHIP)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const stranger = await env().signIn('township', other.code);
    const item = sample.items[2]!;
    expect((await stranger.get(`/api/spot-checks/${sample.id}`)).statusCode).toBe(404);
    expect((await stranger.get(`/api/spot-checks/${sample.id}/reproduce`)).statusCode).toBe(404);
    expect(
      (
        await stranger.post(`/api/spot-check-items/${item.id}/result`, {
          result: 'not_verified',
          note: '伪造',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await stranger.post(`/api/spot-check-items/${item.id}/phone`, { reason: '核实' }))
        .statusCode,
    ).toBe(404);
    const assign = await county.post(`/api/spot-checks/${sample.id}/assignments`, {
      checkerId: stranger.user.id,
      itemIds: [item.id],
    });
    expect(assign.statusCode).toBe(404);
    expect((await stranger.get(`/api/spot-checks?region=${TOWNSHIP}`)).statusCode).toBe(404);
    const stored = await env()
      .database.db.selectFrom('spot_check_items')
      .select(['checker_id', 'result'])
      .where('id', '=', item.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ checker_id: null, result: 'pending' });
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const db = env().database.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('spot_check_samples')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const samples = await count();
    const cases: [unknown, string][] = [
      [{ townshipCode: TOWNSHIP, month: '2026-13', ratePercent: 10 }, 'month'],
      [{ townshipCode: TOWNSHIP, month: '2999-01', ratePercent: 10 }, 'month'],
      [{ townshipCode: TOWNSHIP, month: '2026-01', ratePercent: 10, perVisitor: 2 }, 'ratePercent'],
      [{ townshipCode: TOWNSHIP, month: '2026-01', ratePercent: 0 }, 'ratePercent'],
      [{ townshipCode: '2106', month: '2026-01', ratePercent: 10 }, 'townshipCode'],
      [{ townshipCode: TOWNSHIP, month: '2026-01', ratePercent: 10, seed: -1 }, 'seed'],
      // A month without visits.
      [{ townshipCode: TOWNSHIP, month: '2020-01', ratePercent: 10 }, 'month'],
    ];
    for (const [body, field] of cases) {
      const r = await county.post('/api/spot-checks', body);
      expect(r.statusCode, `${JSON.stringify(body)} ${r.body}`).toBe(400);
      expect(r.json().error.field).toBe(field);
    }
    expect(await count()).toBe(samples);
    const item = sample.items[3]!;
    const noNote = await county.post(`/api/spot-check-items/${item.id}/result`, {
      result: 'not_verified',
    });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.field).toBe('note');
    const badResult = await county.post(`/api/spot-check-items/${item.id}/result`, {
      result: 'pending',
    });
    expect(badResult.json().error.field).toBe('result');
    const stored = await db
      .selectFrom('visits')
      .select('unverified')
      .where('id', '=', item.visit.id)
      .executeTakeFirstOrThrow();
    expect(stored.unverified).toBe(false);
    expect(
      (
        await db
          .selectFrom('spot_check_items')
          .select('result')
          .where('id', '=', item.id)
          .executeTakeFirstOrThrow()
      ).result,
    ).toBe('pending');
    // A village account may not draw at all.
    expect(
      (
        await village.post('/api/spot-checks', {
          townshipCode: TOWNSHIP,
          month: lastMonth.key,
          ratePercent: 10,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('shows the full phone to township staff on request with a reason, and logs it', async () => {
    const item = sample.items[0]!;
    const noReason = await township.post(`/api/spot-check-items/${item.id}/phone`, {});
    expect(noReason.json().error.field).toBe('reason');
    const r = await township.post(`/api/spot-check-items/${item.id}/phone`, {
      reason: '抽查电话核实',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      phone: '13904150001',
      emergencyContact: { name: '李明', phone: '13904150002' },
    });
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'elder.reveal')
      .where('entity_id', '=', item.elder.id)
      .execute();
    expect(logged.map((l) => (l.detail as { reason: string }).reason)).toContain('抽查电话核实');
  });
});
