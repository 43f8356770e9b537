import { uuidv7 } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import type { RequestContext } from '../../context.js';
import {
  DONGCHA,
  GUJIATUN,
  buildElder,
  buildVisit,
  buildVisitor,
  idNumber,
} from '../../test/factories.js';
import { describeEachDatabase, type Client, type TestEnv } from '../../test/harness.js';
import { escalateDue } from './escalation.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
/** Another village of 灌水镇 (龙爪沟村). */
const LONGZHAOGOU = '210624101202';
const MINUTE = 60_000;

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

const emergencyBody = (elderId: string, overrides: Record<string, unknown> = {}) => ({
  id: uuidv7(),
  elderId,
  title: '老人在家中摔倒',
  description: '邻居来电：老人在院中摔倒，起身困难',
  ...overrides,
});

/** Row counts of everything an emergency writes. */
async function counts(env: TestEnv) {
  const db = env.database.db;
  const n = async (
    table: 'findings' | 'finding_events' | 'alerts' | 'alert_deliveries' | 'audit_log',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    findings: await n('findings'),
    events: await n('finding_events'),
    alerts: await n('alerts'),
    deliveries: await n('alert_deliveries'),
    checklists: await db
      .selectFrom('findings')
      .select(['id', 'emergency_checklist', 'acknowledged_at'])
      .orderBy('id')
      .execute(),
  };
}

async function alertsOf(env: TestEnv, findingId: string) {
  return env.database.db
    .selectFrom('alerts')
    .select(['kind', 'region_code', 'title'])
    .where('subject_id', '=', findingId)
    .orderBy('created_at')
    .orderBy('region_code', 'desc')
    .execute();
}

describeEachDatabase('emergencies: raising, responding and the checklist', (env) => {
  let village: Client;
  let township: Client;
  let visitor: Client;
  let elderId: string;
  let channelId: string;

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    township = await env().signIn('township', TOWNSHIP);
    const elder = await village.post(
      '/api/elders',
      buildElder({ name: '吴德福', idNumber: idNumber() }),
    );
    expect(elder.statusCode, elder.body).toBe(201);
    elderId = elder.json().id;
    const user = await env().createUser('visitor', DONGCHA, { display_name: '王桂兰' });
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    await village.post('/api/assignments', {
      elderIds: [elderId],
      visitorId: v.json().id,
      role: 'primary',
    });
    visitor = await env().login(user.username);
    // The township's webhook: every alert of the township and its villages is queued on it.
    channelId = uuidv7();
    await env()
      .database.db.insertInto('notification_channels')
      .values({
        id: channelId,
        region_code: TOWNSHIP,
        kind: 'webhook',
        name: '灌水镇值班平台',
        config: JSON.stringify({ url: 'http://127.0.0.1:9/hook' }),
      })
      .execute();
  });

  it('raises an emergency directly, alerting the village and the township at once, once per id', async () => {
    const body = emergencyBody(elderId, { checklist: { emergencyNumber: '120' } });
    const res = await township.post('/api/emergencies', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id: body.id,
      type: 'emergency',
      severity: 'emergency',
      status: 'open',
      title: '老人在家中摔倒',
      description: '邻居来电：老人在院中摔倒，起身困难',
      visitId: null,
      deadline: { action: 'acknowledge', state: 'due_soon' },
      emergency: {
        state: 'pending',
        level: 'village',
        acknowledgedAt: null,
        responseSeconds: null,
        checklist: { emergencyNumber: '120' },
      },
      events: [{ kind: 'raised', actor: { id: township.user.id } }],
    });
    const d = res.json();
    expect(Date.parse(d.deadline.at) - Date.parse(d.createdAt)).toBe(30 * MINUTE);
    expect(d.emergency.checklistAt.emergencyNumber).toBe(d.events[0].at);
    expect(await alertsOf(env(), body.id)).toEqual([
      { kind: 'emergency', region_code: DONGCHA, title: expect.stringContaining('吴德福') },
      { kind: 'emergency', region_code: TOWNSHIP, title: expect.stringContaining('吴德福') },
    ]);
    const deliveries = await env()
      .database.db.selectFrom('alert_deliveries as d')
      .innerJoin('alerts as a', 'a.id', 'd.alert_id')
      .select(['a.region_code', 'd.status', 'd.channel_id'])
      .where('a.subject_id', '=', body.id)
      .execute();
    expect(deliveries.map((r) => [r.region_code, r.status, r.channel_id]).sort()).toEqual(
      [
        [DONGCHA, 'pending', channelId],
        [TOWNSHIP, 'pending', channelId],
      ].sort(),
    );

    const before = await counts(env());
    const retry = await township.post('/api/emergencies', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(body.id);
    expect(await counts(env())).toEqual(before);
    const other = await village.post(
      '/api/elders',
      buildElder({ name: '郑老人', idNumber: idNumber() }),
    );
    const reused = await township.post('/api/emergencies', { ...body, elderId: other.json().id });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().error.field).toBe('id');
  });

  it('alerts the village and the township when a visit reports an emergency', async () => {
    const res = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { emergency: true, emergencyNote: '老人高烧不退，意识模糊' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const finding = (res.json().findings as { id: string; title: string }[]).find(
      (f) => f.title === '紧急情况',
    )!;
    const alerts = await alertsOf(env(), finding.id);
    expect(alerts.map((a) => [a.kind, a.region_code])).toEqual([
      ['emergency', DONGCHA],
      ['emergency', TOWNSHIP],
    ]);
    const d = (await village.get(`/api/findings/${finding.id}`)).json();
    expect(d).toMatchObject({
      visitId: res.json().id,
      deadline: { action: 'acknowledge' },
      emergency: { state: 'pending', level: 'village' },
      events: [{ kind: 'raised', actor: { name: '王桂兰' } }],
    });
    expect(Date.parse(d.deadline.at) - Date.parse(d.createdAt)).toBe(30 * MINUTE);
  });

  it('alerts the village and the township when a correction (更正) turns 紧急情况 on', async () => {
    const visit = await visitor.post('/api/visits', buildVisit(elderId));
    expect(visit.statusCode, visit.body).toBe(201);
    const v = visit.json();
    const amended = await village.post(`/api/visits/${v.id}/amendments`, {
      revision: 1,
      visitedAt: v.visitedAt,
      method: v.method,
      answers: v.answers,
      emergency: true,
      emergencyNote: '漏记：老人当时胸痛，已送医',
      reason: '补记探访时发现的紧急情况',
    });
    expect(amended.statusCode, amended.body).toBe(200);
    const finding = (amended.json().findings as { id: string; title: string }[]).find(
      (f) => f.title === '紧急情况',
    )!;
    expect((await alertsOf(env(), finding.id)).map((a) => [a.kind, a.region_code])).toEqual([
      ['emergency', DONGCHA],
      ['emergency', TOWNSHIP],
    ]);
    const d = (await village.get(`/api/findings/${finding.id}`)).json();
    expect(d.events).toEqual([
      expect.objectContaining({
        kind: 'raised',
        actor: { id: village.user.id, name: village.user.display_name },
        detail: expect.objectContaining({ amendment: 2 }),
      }),
    ]);
    expect(Date.parse(d.deadline.at) - Date.parse(d.createdAt)).toBe(30 * MINUTE);
  });

  it('refuses bad input naming the field and writes nothing', async () => {
    const before = await counts(env());
    const cases: [Record<string, unknown>, string][] = [
      [emergencyBody(elderId, { title: '' }), 'title'],
      [emergencyBody(elderId, { description: undefined }), 'description'],
      [emergencyBody(elderId, { id: 'not-an-id' }), 'id'],
      [
        emergencyBody(elderId, { checklist: { emergencyNumber: '999' } }),
        'checklist.emergencyNumber',
      ],
      [emergencyBody(elderId, { checklist: { familyReached: 'yes' } }), 'checklist.familyReached'],
    ];
    for (const [body, field] of cases) {
      const res = await village.post('/api/emergencies', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
    }
    const created = (await village.post('/api/emergencies', emergencyBody(elderId))).json().id;
    const mid = await counts(env());
    const badChecklist = await village.inject({
      method: 'PUT',
      url: `/api/emergencies/${created}/checklist`,
      payload: { situation: 'fine' },
    });
    expect(badChecklist.statusCode).toBe(400);
    expect(badChecklist.json().error.field).toBe('situation');
    expect(await counts(env())).toEqual(mid);
    expect(mid.findings).toBe(before.findings + 1);
  });

  it('records the first acknowledgement only, with the response time, and takes it into 处理中', async () => {
    const services = env().services;
    const t0 = Date.now() - 20 * MINUTE;
    const body = emergencyBody(elderId);
    await services.emergencies.create(ctxOf(village), body, t0);
    const acked = await services.emergencies.acknowledge(ctxOf(township), body.id, t0 + 7 * MINUTE);
    expect(acked).toMatchObject({
      status: 'in_progress',
      owner: { id: township.user.id },
      deadline: { state: 'met' },
      emergency: {
        state: 'acknowledged',
        responseSeconds: 420,
        acknowledgedBy: { id: township.user.id },
      },
    });
    expect(acked.events.map((e) => e.kind)).toEqual([
      'raised',
      'acknowledged',
      'status',
      'assigned',
    ]);
    expect(acked.events[1]!.detail).toEqual({ level: 'village', responseSeconds: 420 });

    const second = await village.post(`/api/emergencies/${body.id}/acknowledge`);
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().emergency).toMatchObject({
      responseSeconds: 420,
      acknowledgedBy: { id: township.user.id },
    });
    expect(second.json().events).toHaveLength(4);

    const listed = await village.get('/api/emergencies?state=acknowledged');
    const item = (listed.json().items as { id: string }[]).find((e) => e.id === body.id);
    expect(item).toMatchObject({
      state: 'acknowledged',
      responseSeconds: 420,
      overdue: false,
      deadlineAt: null,
    });
  });

  it('keeps each change of the checklist as a step with its time, and nothing when unchanged', async () => {
    const body = emergencyBody(elderId);
    const id = (await village.post('/api/emergencies', body)).json().id as string;
    const put = (payload: unknown) =>
      village.inject({
        method: 'PUT',
        url: `/api/emergencies/${id}/checklist`,
        payload: payload as object,
      });
    const first = await put({ emergencyNumber: '120', familyReached: false });
    expect(first.statusCode, first.body).toBe(200);
    const second = await put({
      emergencyNumber: '120',
      familyReached: true,
      familyContact: '儿子 李明',
      situation: 'hospital',
    });
    expect(second.json().emergency.checklist).toEqual({
      emergencyNumber: '120',
      familyReached: true,
      familyContact: '儿子 李明',
      situation: 'hospital',
    });
    const same = await put({
      emergencyNumber: '120',
      familyReached: true,
      familyContact: '儿子 李明',
      situation: 'hospital',
    });
    const steps = (
      same.json().events as {
        kind: string;
        actor: { id: string };
        detail: { changes: unknown[] };
      }[]
    ).filter((e) => e.kind === 'checklist');
    expect(steps).toHaveLength(2);
    expect(steps[0]!.detail.changes).toEqual([
      { field: 'emergencyNumber', from: null, to: '120' },
      { field: 'familyReached', from: null, to: false },
    ]);
    expect(steps[1]!.detail.changes).toEqual([
      { field: 'familyReached', from: false, to: true },
      { field: 'familyContact', from: null, to: '儿子 李明' },
      { field: 'situation', from: null, to: 'hospital' },
    ]);
    for (const s of steps) expect(s.actor.id).toBe(village.user.id);
    const at = same.json().emergency.checklistAt;
    expect(Date.parse(at.situation)).toBeGreaterThanOrEqual(Date.parse(at.emergencyNumber));
    // Filling in the checklist is not a response: the ladder still runs until someone acknowledges.
    expect(same.json().emergency.state).toBe('pending');
  });

  it('lists the region’s emergencies by state with counts, and the response-time statistics', async () => {
    // Three emergencies in 龙爪沟村, answered in 1, 2 and 10 minutes, and one still waiting.
    const other = await env().signIn('village', LONGZHAOGOU);
    const services = env().services;
    const t0 = Date.now() - 60 * MINUTE;
    const ids: string[] = [];
    for (const [i, minutes] of [1, 2, 10, null].entries()) {
      const e = await other.post(
        '/api/elders',
        buildElder({ name: `龙爪沟老人${i}`, villageCode: LONGZHAOGOU, idNumber: idNumber() }),
      );
      expect(e.statusCode, e.body).toBe(201);
      const body = emergencyBody(e.json().id);
      await services.emergencies.create(ctxOf(other), body, t0);
      if (minutes !== null)
        await services.emergencies.acknowledge(ctxOf(other), body.id, t0 + minutes * MINUTE);
      ids.push(body.id);
    }
    const summary = await township.get(`/api/emergencies/summary?region=${TOWNSHIP}`);
    expect(summary.statusCode, summary.body).toBe(200);
    const row = (summary.json().byRegion as { region: { code: string; name: string } }[]).find(
      (r) => r.region.code === LONGZHAOGOU,
    );
    expect(row).toEqual({
      region: expect.objectContaining({ code: LONGZHAOGOU, name: '龙爪沟村委会' }),
      count: 4,
      acknowledged: 3,
      unacknowledged: 1,
      escalated: 0,
      medianSeconds: 120,
      p90Seconds: 504,
    });
    expect(summary.json().total.count).toBeGreaterThanOrEqual(4);
    const own = await other.get('/api/emergencies/summary');
    expect(own.json()).toMatchObject({ byRegion: [], total: { count: 4, medianSeconds: 120 } });
    const empty = await other.get('/api/emergencies/summary?from=2020-01-01&to=2020-12-31');
    expect(empty.json().total).toEqual({
      count: 0,
      acknowledged: 0,
      unacknowledged: 0,
      escalated: 0,
      medianSeconds: null,
      p90Seconds: null,
    });
    const reversed = await other.get('/api/emergencies/summary?from=2026-12-31&to=2026-01-01');
    expect(reversed.json().error.field).toBe('from');

    const open = await township.get(`/api/emergencies?region=${LONGZHAOGOU}&state=open`);
    expect(open.json().items.map((e: { id: string }) => e.id)).toEqual([ids[3]]);
    expect(open.json().counts).toEqual({ active: 4, open: 1, acknowledged: 3, closed: 0 });
    expect(open.json().items[0]).toMatchObject({
      state: 'pending',
      overdue: true,
      responseSeconds: null,
    });
    const active = await township.get(`/api/emergencies?region=${LONGZHAOGOU}&state=active`);
    // Waiting for a response first.
    expect(active.json().items[0].id).toBe(ids[3]);
    expect(active.json().total).toBe(4);
    expect((await township.get('/api/emergencies?state=waiting')).json().error.field).toBe('state');
  });

  it('keeps other places and other roles out', async () => {
    const id = (await village.post('/api/emergencies', emergencyBody(elderId))).json().id as string;
    const before = await counts(env());
    for (const other of [
      await env().signIn('village', GUJIATUN),
      await env().signIn('village', LONGZHAOGOU),
      await env().signIn('county', '210681'),
    ]) {
      const attempts = [
        other.post(`/api/emergencies/${id}/acknowledge`),
        other.inject({
          method: 'PUT',
          url: `/api/emergencies/${id}/checklist`,
          payload: { emergencyNumber: '110' },
        }),
        other.get(`/api/emergencies?region=${DONGCHA}`),
        other.get(`/api/emergencies/summary?region=${DONGCHA}`),
        other.post('/api/emergencies', emergencyBody(elderId)),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain('吴德福');
      }
      const list = await other.get('/api/emergencies?pageSize=200');
      expect(list.json().items.map((e: { id: string }) => e.id)).not.toContain(id);
    }
    expect(await counts(env())).toEqual(before);
    expect((await visitor.get('/api/emergencies')).statusCode).toBe(403);
    expect((await visitor.post('/api/emergencies', emergencyBody(elderId))).statusCode).toBe(403);
    const city = await env().signIn('city', '2106');
    expect((await city.get('/api/emergencies')).statusCode).toBe(200);
    expect((await city.post(`/api/emergencies/${id}/acknowledge`)).statusCode).toBe(403);
    expect(await counts(env())).toEqual(before);
    // A finding that is not an emergency is no emergency to acknowledge.
    const visit = await visitor.post(
      '/api/visits',
      buildVisit(elderId, {
        answers: { ...buildVisit(elderId).answers, mood: { value: 'worse' } },
      }),
    );
    const mood = visit.json().findings[0].id as string;
    expect((await village.post(`/api/emergencies/${mood}/acknowledge`)).statusCode).toBe(404);
  });

  it('lets staff go off duty and on again (值班)', async () => {
    const off = await township.patch('/api/users/me/duty', { onDuty: false });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().onDuty).toBe(false);
    expect((await township.get('/api/auth/me')).json().user.onDuty).toBe(false);
    const bad = await township.patch('/api/users/me/duty', { onDuty: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('onDuty');
    expect((await township.patch('/api/users/me/duty', { onDuty: true })).json().onDuty).toBe(true);
    expect((await visitor.patch('/api/users/me/duty', { onDuty: false })).statusCode).toBe(403);
    const audit = await env()
      .database.db.selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'user.duty')
      .where('actor_id', '=', township.user.id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.detail)).toEqual([{ onDuty: false }, { onDuty: true }]);
  });
});

describeEachDatabase('emergencies: the escalation ladder', (env) => {
  let village: Client;
  let elderId: string;

  const raise = async (at: number): Promise<string> => {
    const body = emergencyBody(elderId);
    const { created } = await env().services.emergencies.create(ctxOf(village), body, at);
    expect(created).toBe(true);
    return body.id;
  };
  const row = (id: string) =>
    env()
      .database.db.selectFrom('findings')
      .select(['escalation_level', 'escalated_at', 'deadline_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const escalations = (id: string) =>
    env()
      .database.db.selectFrom('finding_events')
      .select(['actor_id', 'actor_name', 'at', 'detail'])
      .where('finding_id', '=', id)
      .where('kind', '=', 'escalated')
      .orderBy('at')
      .execute();

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    const elder = await village.post(
      '/api/elders',
      buildElder({ name: '孙桂芝', idNumber: idNumber() }),
    );
    elderId = elder.json().id;
  });

  it('escalates an unacknowledged emergency to the township, then the county, then keeps it flagged', async () => {
    const t0 = Date.now() - 3 * 3_600_000;
    const id = await raise(t0);
    expect(await escalateDue(env().database.db, new Date(t0 + 29 * MINUTE))).toEqual([]);

    const first = await escalateDue(env().database.db, new Date(t0 + 31 * MINUTE));
    expect(first.filter((e) => e.id === id)).toEqual([
      expect.objectContaining({ from: 'village', to: 'township' }),
    ]);
    expect(await row(id)).toEqual({
      escalation_level: 'township',
      escalated_at: new Date(t0 + 31 * MINUTE),
      deadline_at: new Date(t0 + 61 * MINUTE),
    });
    // Not again before the new deadline.
    expect(await escalateDue(env().database.db, new Date(t0 + 50 * MINUTE))).toEqual([]);
    await escalateDue(env().database.db, new Date(t0 + 62 * MINUTE));
    expect((await row(id)).escalation_level).toBe('county');
    expect(await escalateDue(env().database.db, new Date(t0 + 150 * MINUTE))).toEqual([]);
    expect((await row(id)).escalation_level).toBe('county');

    const steps = await escalations(id);
    expect(steps.map((s) => [s.actor_id, s.actor_name, s.detail])).toEqual([
      [
        null,
        null,
        expect.objectContaining({ from: 'village', to: 'township', regionCode: TOWNSHIP }),
      ],
      [null, null, expect.objectContaining({ from: 'township', to: 'county', regionCode: COUNTY })],
    ]);
    expect((await alertsOf(env(), id)).map((a) => [a.kind, a.region_code])).toEqual([
      ['emergency', DONGCHA],
      ['emergency', TOWNSHIP],
      ['emergency_escalated', TOWNSHIP],
      ['emergency_escalated', COUNTY],
    ]);
    // The county sees it overdue and escalated to it; the history names the system.
    const county = await env().signIn('county', COUNTY);
    const listed = (await county.get('/api/emergencies?state=open')).json().items as {
      id: string;
      state: string;
      overdue: boolean;
      level: string;
    }[];
    expect(listed.find((e) => e.id === id)).toMatchObject({
      state: 'escalated_county',
      level: 'county',
      overdue: true,
    });
    const d = (await county.get(`/api/findings/${id}`)).json();
    expect(d.events.filter((e: { kind: string }) => e.kind === 'escalated')).toEqual([
      expect.objectContaining({ actor: null }),
      expect.objectContaining({ actor: null }),
    ]);
    expect(d.deadline.state).toBe('overdue');
    // Acknowledged at last, from the county.
    const acked = await county.post(`/api/emergencies/${id}/acknowledge`);
    expect(acked.json().emergency).toMatchObject({ state: 'acknowledged', level: 'county' });
  });

  it('never escalates one emergency twice when two ticks run at once', async () => {
    const t0 = Date.now() - 2 * 3_600_000;
    const ids = [await raise(t0), await raise(t0), await raise(t0)];
    const at = new Date(t0 + 40 * MINUTE);
    const [a, b] = await Promise.all([
      escalateDue(env().database.db, at),
      escalateDue(env().database.db, at),
    ]);
    const mine = [...a, ...b].filter((e) => ids.includes(e.id));
    expect(mine.map((e) => e.id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(await escalations(id)).toHaveLength(1);
      expect((await row(id)).escalation_level).toBe('township');
      expect(
        (await alertsOf(env(), id)).filter((x) => x.kind === 'emergency_escalated'),
      ).toHaveLength(1);
    }
  });

  it('stops the ladder at the first acknowledgement', async () => {
    const t0 = Date.now() - 2 * 3_600_000;
    const id = await raise(t0);
    await env().services.emergencies.acknowledge(ctxOf(village), id, t0 + 12 * MINUTE);
    expect(
      (await escalateDue(env().database.db, new Date(t0 + 90 * MINUTE))).map((e) => e.id),
    ).not.toContain(id);
    expect((await row(id)).escalation_level).toBe('village');
    expect(await escalations(id)).toEqual([]);
    const d = (await village.get(`/api/findings/${id}`)).json();
    expect(d.emergency).toMatchObject({ state: 'acknowledged', responseSeconds: 720 });
  });

  it('uses the region’s own response time for the new deadline', async () => {
    const county = await env().signIn('county', COUNTY);
    const set = await county.inject({
      method: 'PUT',
      url: `/api/follow-up/deadlines?region=${TOWNSHIP}`,
      payload: { rules: [{ key: 'type:emergency', action: 'acknowledge', minutes: 10 }] },
    });
    expect(set.statusCode, set.body).toBe(200);
    const t0 = Date.now() - 3_600_000;
    const id = await raise(t0);
    expect((await row(id)).deadline_at).toEqual(new Date(t0 + 10 * MINUTE));
    await escalateDue(env().database.db, new Date(t0 + 11 * MINUTE));
    expect(await row(id)).toMatchObject({
      escalation_level: 'township',
      deadline_at: new Date(t0 + 21 * MINUTE),
    });
  });
});
