import {
  addDays,
  todayIso,
  uuidv7,
  type RegionWorklistDto,
  type ScheduleSummaryDto,
  type VisitorWorklistDto,
} from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import type { RequestContext } from '../../context.js';
import { DONGCHA, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9); // 灌水镇
const COUNTY = DONGCHA.slice(0, 6); // 宽甸满族自治县
const NEIGHBOUR_VILLAGE = '210624101202';
/** Times ahead of the real today: the policy starts today and the tests look at later months. */
const at = (local: string) => Date.parse(`${local}+08:00`);
/** The first whole month under the rule (the next month), and the one after it. */
const M1 = addDays(`${todayIso().slice(0, 7)}-01`, 40).slice(0, 7);
const M2 = addDays(`${M1}-01`, 40).slice(0, 7);

const ctxOf = (client: Client): RequestContext => ({
  actor: {
    userId: client.user.id,
    username: client.user.username,
    role: client.user.role as RequestContext['actor']['role'],
    jurisdiction: client.user.jurisdiction,
  },
  requestId: 'test',
  ip: '127.0.0.1',
});

describeEachDatabase('worklists and due/overdue', (env) => {
  let county: Client;
  let village: Client;
  let visitorClient: Client;
  let visitorId: string;
  const elders: Record<string, string> = {};

  /**
   * Records a visit directly, and brings its window in the visit-rate rollup up to date as the
   * recording path does in the same statement (the county's month table reads the rollup).
   */
  async function visit(elder: string, visitedAt: string, enteredAt = visitedAt) {
    await env()
      .database.db.insertInto('visits')
      .values({
        id: uuidv7(),
        elder_id: elders[elder]!,
        county_code: COUNTY,
        village_code: DONGCHA,
        visitor_id: visitorId,
        visited_at: new Date(at(visitedAt)),
        entered_at: new Date(at(enteredAt)),
        method: 'in_person',
        template_key: 'dandong-2023',
        template_version: 1,
        answers: '{}',
        entered_by: visitorClient.user.id,
      })
      .execute();
    await env().services.rollups.refreshElders(
      [elders[elder]!],
      new Date(at(visitedAt)),
      new Date(at(visitedAt) + 1),
    );
  }

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    village = await env().signIn('village', DONGCHA);
    const applied = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: COUNTY,
      effectiveFrom: todayIso(),
    });
    expect(applied.statusCode).toBe(201);
    for (const [key, name] of [
      ['a', '赵桂兰'],
      ['b', '钱淑珍'],
      ['c', '孙玉芬'],
    ] as const) {
      const r = await village.post('/api/elders', buildElder({ name, idNumber: idNumber() }));
      expect(r.statusCode).toBe(201);
      elders[key] = r.json().id;
    }
    const user = await env().createUser('visitor', DONGCHA);
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode).toBe(201);
    visitorId = v.json().id;
    const assigned = await village.post('/api/assignments', {
      elderIds: [elders['a'], elders['b']],
      visitorId,
      role: 'primary',
    });
    expect(assigned.statusCode).toBe(201);
    visitorClient = await env().login(user.username);
  });

  it('lists a visitor’s missed month first, and the month a visit was made in as done', async () => {
    await visit('a', `${M1}-05T10:00:00`);
    const list: VisitorWorklistDto = await env().services.schedule.visitorWorklist(
      ctxOf(visitorClient),
      at(`${M2}-10T09:00:00`),
    );
    expect(list.visitor?.name).toBe('刘春梅');
    expect(list.elders).toBe(2);
    expect(list.items.map((i) => [i.elder.name, i.bucket, i.obligation.periodKey])).toEqual([
      ['钱淑珍', 'overdue', M1],
      ['赵桂兰', 'later', M2],
    ]);
    expect(list.items[0]!.daysOverdue).toBe(9);
    expect(list.items[1]!.lastVisit?.visitedAt).toBe(`${M1}-05T02:00:00.000Z`);
    // The unassigned elder is not on the visitor's list.
    expect(list.items.some((i) => i.elder.name === '孙玉芬')).toBe(false);
  });

  it('shows the visitor their list over HTTP, masked', async () => {
    const r = await visitorClient.get('/api/worklist');
    expect(r.statusCode).toBe(200);
    const body: VisitorWorklistDto = r.json();
    expect(body.elders).toBe(2);
    for (const item of body.items) expect(item.elder.phoneMasked).toMatch(/\*{4}/);
    expect(JSON.stringify(body)).not.toContain('13904150001');
  });

  it('tells a visitor whose account has no visitor record so, with an empty list', async () => {
    const lone = await env().signIn('visitor', DONGCHA);
    const body: VisitorWorklistDto = (await lone.get('/api/worklist')).json();
    expect(body.visitor).toBeNull();
    expect(body.items).toEqual([]);
  });

  it('groups a township’s overdue elders by visitor and lists those with no visitor', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const list: RegionWorklistDto = await env().services.schedule.regionWorklist(
      ctxOf(township),
      { region: TOWNSHIP },
      at(`${M2}-10T09:00:00`),
    );
    expect(list.region.name).toBe('灌水镇');
    expect(list.unassigned.map((e) => e.name)).toEqual(['孙玉芬']);
    expect(list.unassignedTotal).toBe(1);
    const byVisitor = list.overdueByVisitor.map((g) => [
      g.visitor?.name ?? null,
      g.items.map((i) => i.elder.name),
    ]);
    expect(byVisitor).toEqual([
      ['刘春梅', ['钱淑珍']],
      [null, ['孙玉芬']],
    ]);
    const http = await township.get(`/api/worklist?region=${TOWNSHIP}`);
    expect(http.statusCode).toBe(200);
    expect((http.json() as RegionWorklistDto).unassigned.map((e) => e.name)).toEqual(['孙玉芬']);
  });

  it('counts a county’s month: due, done, late and overdue per township', async () => {
    await visit('c', `${M1}-28T10:00:00`, `${M2}-08T10:00:00`); // entered late
    const summary: ScheduleSummaryDto = await env().services.schedule.summary(
      ctxOf(county),
      { region: COUNTY, period: M1 },
      at(`${M2}-10T09:00:00`),
    );
    expect(summary.period.label).toBe(`${+M1.slice(0, 4)}年${+M1.slice(5)}月`);
    expect(summary.total).toMatchObject({ elders: 3, due: 3, done: 1, late: 1, overdue: 1 });
    expect(summary.total.rate).toBeCloseTo(2 / 3);
    expect(summary.children).toHaveLength(1);
    expect(summary.children[0]!.region.name).toBe('灌水镇');
    // The same figures as 探访率 (both read the rollup).
    const rate = await env().services.rollups.rate(
      ctxOf(county),
      { region: COUNTY, period: M1 },
      at(`${M2}-10T09:00:00`),
    );
    expect(rate.total).toMatchObject({
      due: summary.total.due,
      onTime: summary.total.done,
      late: summary.total.late,
      overdue: summary.total.overdue,
      open: summary.total.open,
    });
  });

  it('adds a campaign’s visit with its checklist to the worklist while it is in force', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const starts = new Date(Date.now() - 3_600_000).toISOString();
    const ends = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const c = await township.post('/api/campaigns', {
      regionCode: TOWNSHIP,
      name: '寒潮入户走访',
      kind: 'heating_season',
      startsAt: starts,
      endsAt: ends,
      within: { value: 3, unit: 'days' },
    });
    expect(c.statusCode).toBe(201);
    const list = await env().services.schedule.visitorWorklist(
      ctxOf(visitorClient),
      Date.now() + 86_400_000,
    );
    const tasks = list.items.filter((i) => i.bucket === 'campaign');
    expect(tasks.map((t) => t.elder.name).sort()).toEqual(['赵桂兰', '钱淑珍'].sort());
    expect(tasks[0]!.obligation.campaign?.checklist.map((i) => i.label)).toContain(
      '室内温度是否适宜',
    );
    expect(list.counts.campaign).toBe(2);
  });

  it('shows an elder’s policy and months on their page', async () => {
    const r = await village.get(`/api/elders/${elders['a']}/schedule`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.policy.name).toBe('特殊困难老年人每月探访');
    expect(body.obligations[0].periodKey).toBe(todayIso().slice(0, 7));
  });

  it('lets a visitor see the plan of their own elders only', async () => {
    const own = await visitorClient.get(`/api/elders/${elders['a']}/schedule`);
    expect(own.statusCode).toBe(200);
    expect(own.json().policy.name).toBe('特殊困难老年人每月探访');
    // 孙玉芬 lives in the same village but is not assigned to this visitor.
    expect((await visitorClient.get(`/api/elders/${elders['c']}/schedule`)).statusCode).toBe(404);
  });

  it('keeps other villages’ and other levels’ worklists out of reach', async () => {
    expect((await village.get(`/api/worklist?region=${NEIGHBOUR_VILLAGE}`)).statusCode).toBe(404);
    expect((await village.get('/api/worklist?region=abc')).statusCode).toBe(400);
    const countyList = await county.get(`/api/worklist?region=${COUNTY}`);
    expect(countyList.statusCode).toBe(400);
    expect(countyList.json().error.field).toBe('region');
    expect((await village.get('/api/schedule/summary?period=2026-13')).json().error.field).toBe(
      'period',
    );
    const other = await env().signIn('village', NEIGHBOUR_VILLAGE);
    expect((await other.get(`/api/elders/${elders['a']}/schedule`)).statusCode).toBe(404);
  });
});
