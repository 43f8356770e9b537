import { DANDONG_2023, prefilledAnswers, uuidv7, type Answers } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import {
  DONGCHA,
  GUJIATUN,
  buildElder,
  buildVisit,
  buildVisitor,
  idNumber,
} from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const MINUTE = 60_000;
const DAY = 86_400_000;
const answers = (changes: Answers): Answers => ({ ...prefilledAnswers(DANDONG_2023), ...changes });
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface Detail {
  id: string;
  title: string;
  status: string;
  createdAt: string;
  visitId: string | null;
  visitedAt: string | null;
  deadline: { at: string; action: string; state: string } | null;
  owner: { id: string; name: string } | null;
  resolvedAt: string | null;
  closedAt: string | null;
  allowed: string[];
  canAct: boolean;
  events: {
    kind: string;
    at: string;
    actor: { id: string; name: string } | null;
    fromStatus: string | null;
    toStatus: string | null;
    detail: Record<string, unknown> | null;
  }[];
  disposals: {
    kind: string;
    description: string;
    handledOn: string;
    createdBy: { name: string };
  }[];
  ownerCandidates: { id: string; name: string; role: string }[];
}

describeEachDatabase('the findings workflow', (env) => {
  let village: Client;
  let township: Client;
  let county: Client;
  let visitor: Client;
  let elderId: string;

  const db = () => env().database.db;
  const detail = async (client: Client, id: string): Promise<Detail> => {
    const res = await client.get(`/api/findings/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Detail;
  };
  const put = (client: Client, url: string, payload: unknown) =>
    client.inject({ method: 'PUT', url, payload: payload as object });
  /** Records a visit with these answers; returns its findings' ids in the order of `titles`. */
  const visitRaising = async (changes: Answers, titles?: string[]): Promise<string[]> => {
    const res = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { answers: answers(changes) }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const raised = res.json().findings as { id: string; title: string }[];
    if (!titles) return raised.map((f) => f.id);
    return titles.map((t) => raised.find((f) => f.title === t)!.id);
  };
  const counts = async () => ({
    findings: (await db().selectFrom('findings').select('id').execute()).length,
    events: (await db().selectFrom('finding_events').select('id').execute()).length,
    disposals: (await db().selectFrom('finding_disposals').select('id').execute()).length,
    deadlines: (await db().selectFrom('follow_up_deadlines').selectAll().execute()).length,
    statuses: await db()
      .selectFrom('findings')
      .select(['id', 'status', 'owner_id'])
      .orderBy('id')
      .execute(),
  });

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    township = await env().signIn('township', TOWNSHIP);
    county = await env().signIn('county', COUNTY);
    const elder = await village.post(
      '/api/elders',
      buildElder({ name: '周玉兰', idNumber: idNumber() }),
    );
    expect(elder.statusCode, elder.body).toBe(201);
    elderId = elder.json().id;
    const user = await env().createUser('visitor', DONGCHA, { display_name: '王桂兰' });
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    const assigned = await village.post('/api/assignments', {
      elderIds: [elderId],
      visitorId: v.json().id,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    visitor = await env().login(user.username);
  });

  it('gives each finding a visit raises its default deadline and a first step naming the visitor', async () => {
    const [hazard, mood, need] = await visitRaising(
      {
        gas_safety: { value: 'unsafe' },
        mood: { value: 'worse' },
        service_needs: { text: '需要代购降压药' },
      },
      ['燃气不安全', '情绪状态变差', '提出服务需求'],
    );
    const days = async (id: string) => {
      const d = await detail(village, id);
      return {
        title: d.title,
        action: d.deadline!.action,
        days: (Date.parse(d.deadline!.at) - Date.parse(d.createdAt)) / DAY,
        state: d.deadline!.state,
        first: d.events[0],
      };
    };
    const h = await days(hazard!);
    expect(h).toMatchObject({ title: '燃气不安全', action: 'handle', state: 'pending' });
    expect(h.days).toBeCloseTo(7, 3);
    expect(h.first).toMatchObject({
      kind: 'raised',
      toStatus: 'open',
      actor: { name: '王桂兰' },
      detail: { source: expect.stringContaining('燃气') },
    });
    const m = await days(mood!);
    expect(m).toMatchObject({ title: '情绪状态变差', action: 'handle' });
    expect(m.days).toBeCloseTo(7, 3);
    const n = await days(need!);
    expect(n).toMatchObject({ title: '提出服务需求', action: 'refer' });
    expect(n.days).toBeCloseTo(14, 3);
  });

  it('lets county and city set deadlines, the most specific region winning, and names the source', async () => {
    const city = await env().signIn('city', '2106');
    const cityPut = await put(city, '/api/follow-up/deadlines?region=2106', {
      rules: [{ key: 'severity:medium', action: 'handle', minutes: 2 * 24 * 60 }],
    });
    expect(cityPut.statusCode, cityPut.body).toBe(200);
    expect(
      (
        await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, {
          rules: [{ key: 'type:safety_hazard', action: 'handle', minutes: 3 * 24 * 60 }],
        })
      ).statusCode,
    ).toBe(200);
    const townshipRules = await put(county, `/api/follow-up/deadlines?region=${TOWNSHIP}`, {
      rules: [{ key: 'type:safety_hazard', action: 'handle', minutes: 24 * 60 }],
    });
    expect(townshipRules.statusCode, townshipRules.body).toBe(200);

    const config = await village.get(`/api/follow-up/deadlines?region=${DONGCHA}`);
    expect(config.statusCode, config.body).toBe(200);
    const rules = config.json().rules as {
      key: string;
      minutes: number;
      source: { code: string } | null;
      own: boolean;
    }[];
    const rule = (key: string) => rules.find((r) => r.key === key)!;
    expect(rule('type:safety_hazard')).toMatchObject({
      minutes: 24 * 60,
      source: { code: TOWNSHIP },
      own: false,
    });
    expect(rule('severity:medium')).toMatchObject({
      minutes: 2 * 24 * 60,
      source: { code: '2106' },
    });
    expect(rule('type:emergency')).toMatchObject({ minutes: 30, source: null });
    expect(config.json().canEdit).toBe(false);

    const [hazard, mood] = await visitRaising(
      { heating_water_safety: { value: 'unsafe' }, mood: { value: 'worse' } },
      ['水暖不安全', '情绪状态变差'],
    );
    const span = async (id: string) => {
      const d = await detail(village, id);
      return (Date.parse(d.deadline!.at) - Date.parse(d.createdAt)) / DAY;
    };
    expect(await span(hazard!)).toBeCloseTo(1, 3);
    expect(await span(mood!)).toBeCloseTo(2, 3);

    // The county's own setting, emptied, follows the city and the defaults again.
    const cleared = await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, { rules: [] });
    expect(cleared.statusCode).toBe(200);
    const own = await county.get(`/api/follow-up/deadlines?region=${COUNTY}`);
    const hazardRule = (own.json().rules as { key: string; minutes: number; own: boolean }[]).find(
      (r) => r.key === 'type:safety_hazard',
    );
    expect(hazardRule).toMatchObject({ minutes: 7 * 24 * 60, own: false });
    expect(own.json().canEdit).toBe(true);
  });

  it('refuses bad deadline settings naming the field, writes nothing, and keeps them to county and city', async () => {
    const before = await counts();
    const unknown = await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, {
      rules: [{ key: 'type:fire', action: 'handle', minutes: 60 }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('rules.0.key');
    const ack = await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, {
      rules: [{ key: 'type:emergency', action: 'handle', minutes: 60 }],
    });
    expect(ack.statusCode).toBe(400);
    expect(ack.json().error).toMatchObject({ field: 'rules.0.action' });
    expect(ack.json().error.message).toContain('响应');
    const short = await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, {
      rules: [
        { key: 'type:need', action: 'refer', minutes: 60 },
        { key: 'type:need', action: 'refer', minutes: 2 },
      ],
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('rules.1.minutes');
    const twice = await put(county, `/api/follow-up/deadlines?region=${COUNTY}`, {
      rules: [
        { key: 'type:need', action: 'refer', minutes: 60 },
        { key: 'type:need', action: 'refer', minutes: 90 },
      ],
    });
    expect(twice.json().error.field).toBe('rules.1.key');
    const byVillage = await put(village, `/api/follow-up/deadlines?region=${DONGCHA}`, {
      rules: [],
    });
    expect(byVillage.statusCode).toBe(403);
    const elsewhere = await put(county, '/api/follow-up/deadlines?region=210681', { rules: [] });
    expect(elsewhere.statusCode).toBe(404);
    expect((await county.get('/api/follow-up/deadlines?region=210681')).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });

  it('moves a finding through 处理中 → 处置记录 → 已解决 → 关闭, refusing what the workflow does not allow', async () => {
    const [id] = await visitRaising({ electric_safety: { value: 'unsafe' } });
    const move = (client: Client, to: string, note?: string) =>
      client.post(`/api/findings/${id}/transitions`, { to, ...(note ? { note } : {}) });

    const skip = await move(village, 'closed');
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error).toMatchObject({
      code: 'transition_not_allowed',
      status: 'open',
      allowed: ['in_progress', 'resolved'],
    });
    expect(skip.json().error.message).toContain('可改为：处理中、已解决');
    const referred = await move(village, 'referred');
    expect(referred.statusCode).toBe(409);
    expect(referred.json().error.message).toContain('转介');

    const accepted = await move(village, 'in_progress', '已电话联系老人');
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'in_progress',
      owner: { id: village.user.id },
      allowed: ['resolved'],
    });
    const resolved = await move(township, 'resolved');
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      allowed: ['closed', 'in_progress'],
    });
    expect(resolved.json().resolvedAt).not.toBeNull();

    const before = await counts();
    const refused = await move(township, 'closed');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'disposal_required', field: 'to' });
    expect(refused.json().error.message).toContain('请先填写处置情况记录');
    // A disposal dated tomorrow, or of an unknown kind, is refused too; nothing is written.
    const tomorrow = new Date(Date.now() + 8 * 3_600_000 + DAY).toISOString().slice(0, 10);
    const future = await township.post(`/api/findings/${id}/disposals`, {
      kind: 'hazard_removed',
      description: '已更换电线',
      handledOn: tomorrow,
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('handledOn');
    const badKind = await township.post(`/api/findings/${id}/disposals`, {
      kind: 'fixed',
      description: '已更换电线',
      handledOn: today(),
    });
    expect(badKind.json().error.field).toBe('kind');
    const empty = await township.post(`/api/findings/${id}/disposals`, {
      kind: 'hazard_removed',
      description: ' ',
      handledOn: today(),
    });
    expect(empty.json().error.field).toBe('description');
    expect(await counts()).toEqual(before);

    const disposal = await township.post(`/api/findings/${id}/disposals`, {
      kind: 'hazard_removed',
      description: '村电工上门更换老化电线，加装漏电保护器',
      handledOn: today(),
    });
    expect(disposal.statusCode, disposal.body).toBe(201);
    const closed = await move(township, 'closed', '复核无误');
    expect(closed.statusCode, closed.body).toBe(200);
    const d = closed.json() as Detail;
    expect(d).toMatchObject({ status: 'closed', allowed: [] });
    expect(d.closedAt).not.toBeNull();
    expect(d.disposals).toEqual([
      expect.objectContaining({
        kind: 'hazard_removed',
        description: '村电工上门更换老化电线，加装漏电保护器',
        handledOn: today(),
        createdBy: expect.objectContaining({ name: township.user.display_name }),
      }),
    ]);

    const again = await move(village, 'in_progress');
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ allowed: [], status: 'closed' });
    expect(again.json().error.message).toContain('已关闭');

    // The whole history, in order, each step with who and when.
    const steps = d.events.map((e) => [e.kind, e.actor?.name ?? '系统', e.fromStatus, e.toStatus]);
    expect(steps).toEqual([
      ['raised', '王桂兰', null, 'open'],
      ['status', village.user.display_name, 'open', 'in_progress'],
      ['assigned', village.user.display_name, null, null],
      ['status', township.user.display_name, 'in_progress', 'resolved'],
      ['disposal', township.user.display_name, null, null],
      ['status', township.user.display_name, 'resolved', 'closed'],
    ]);
    expect(d.events[1]!.detail).toEqual({ note: '已电话联系老人' });
    const times = d.events.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const t of times) expect(Math.abs(t - Date.now())).toBeLessThan(5 * MINUTE);
    const audit = await db()
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', id!)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['finding.transition', 'finding.disposal']),
    );
  });

  it('reopens a resolved finding (重新处理), clearing when it was resolved', async () => {
    const [id] = await visitRaising({ fire_safety: { value: 'unsafe' } });
    await village.post(`/api/findings/${id}/transitions`, { to: 'resolved' });
    const reopened = await village.post(`/api/findings/${id}/transitions`, {
      to: 'in_progress',
      note: '复查发现灭火器仍未配备',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'in_progress', resolvedAt: null });
  });

  it('assigns an owner among the staff of the finding’s jurisdiction only, and keeps notes', async () => {
    const [id] = await visitRaising({ personal_hygiene: { value: 'worse' } });
    const d = await detail(village, id!);
    const names = d.ownerCandidates.map((c) => c.id);
    expect(names).toEqual(
      expect.arrayContaining([village.user.id, township.user.id, county.user.id]),
    );
    expect(names).not.toContain(visitor.user.id);

    const other = await env().createUser('village', GUJIATUN);
    for (const ownerId of [other.id, visitor.user.id, uuidv7()]) {
      const res = await put(village, `/api/findings/${id}/owner`, { ownerId });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('ownerId');
    }
    const bad = await put(village, `/api/findings/${id}/owner`, { ownerId: 'nobody' });
    expect(bad.json().error.field).toBe('ownerId');

    const assigned = await put(village, `/api/findings/${id}/owner`, { ownerId: township.user.id });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().owner).toEqual({
      id: township.user.id,
      name: township.user.display_name,
    });
    const note = await township.post(`/api/findings/${id}/notes`, { note: '下周随社工一同上门' });
    expect(note.statusCode, note.body).toBe(201);
    const cleared = await put(township, `/api/findings/${id}/owner`, { ownerId: null });
    expect(cleared.json().owner).toBeNull();
    const steps = (cleared.json() as Detail).events.slice(1);
    expect(steps.map((e) => [e.kind, e.actor?.name, e.detail])).toEqual([
      [
        'assigned',
        village.user.display_name,
        { ownerId: township.user.id, ownerName: township.user.display_name, previousOwnerId: null },
      ],
      ['note', township.user.display_name, { note: '下周随社工一同上门' }],
      ['assigned', township.user.display_name, expect.objectContaining({ ownerId: null })],
    ]);
    expect(
      (await township.post(`/api/findings/${id}/notes`, { note: '' })).json().error.field,
    ).toBe('note');
  });

  it('lists findings past their deadline, and an emergency raised without a visit', async () => {
    const [hazard, need] = await visitRaising(
      { home_hygiene: { value: 'worse' }, service_needs: { text: '希望安装扶手' } },
      ['家庭卫生变差', '提出服务需求'],
    );
    await db()
      .updateTable('findings')
      .set({ deadline_at: new Date(Date.now() - MINUTE) })
      .where('id', 'in', [hazard!, need!])
      .execute();
    const emergency = await village.post('/api/emergencies', {
      id: uuidv7(),
      elderId,
      title: '老人走失',
      description: '家属来电：老人早上出门至今未归',
    });
    expect(emergency.statusCode, emergency.body).toBe(201);

    const overdue = await village.get('/api/findings?overdue=true');
    expect(overdue.statusCode, overdue.body).toBe(200);
    const items = overdue.json().items as Detail[];
    expect(items.map((f) => f.id).sort()).toEqual([hazard, need].sort());
    for (const f of items) expect(f.deadline!.state).toBe('overdue');
    // A referral meets a 转介 deadline: what is referred is no longer overdue.
    await db()
      .updateTable('findings')
      .set({ status: 'referred' })
      .where('id', '=', need!)
      .execute();
    expect(
      ((await village.get('/api/findings?overdue=true')).json().items as Detail[]).map((f) => f.id),
    ).toEqual([hazard]);

    const all = (await village.get('/api/findings?pageSize=200')).json().items as Detail[];
    const listed = all.find((f) => f.id === emergency.json().id)!;
    expect(listed).toMatchObject({ title: '老人走失', visitId: null, visitedAt: null });
    expect(all[0]!.id).toBe(emergency.json().id);
    const ofElder = (await village.get(`/api/elders/${elderId}/findings`)).json().items as Detail[];
    expect(ofElder.map((f) => f.id)).toContain(emergency.json().id);
  });

  it('lets city and auditors read a finding but not act, keeps visitors out, and gives other places 404', async () => {
    const [id] = await visitRaising({ indoor_environment: { value: 'worse' } });
    const city = await env().signIn('city', '2106');
    const read = await detail(city, id!);
    expect(read).toMatchObject({ canAct: false, allowed: [], ownerCandidates: [] });
    const auditor = await env().signIn('auditor', COUNTY);
    expect((await auditor.get(`/api/findings/${id}`)).statusCode).toBe(200);
    const before = await counts();
    for (const reader of [city, auditor]) {
      expect(
        (await reader.post(`/api/findings/${id}/transitions`, { to: 'in_progress' })).statusCode,
      ).toBe(403);
      expect(
        (
          await reader.post(`/api/findings/${id}/disposals`, {
            kind: 'other',
            description: 'x',
            handledOn: today(),
          })
        ).statusCode,
      ).toBe(403);
    }
    expect((await visitor.get(`/api/findings/${id}`)).statusCode).toBe(403);
    expect(
      (await visitor.post(`/api/findings/${id}/transitions`, { to: 'in_progress' })).statusCode,
    ).toBe(403);

    const others = [
      await env().signIn('village', GUJIATUN),
      await env().signIn('county', '210681'),
      await env().signIn('village', '210624101202'),
    ];
    for (const other of others) {
      const attempts = [
        other.get(`/api/findings/${id}`),
        other.post(`/api/findings/${id}/transitions`, { to: 'in_progress' }),
        other.post(`/api/findings/${id}/disposals`, {
          kind: 'other',
          description: '越权',
          handledOn: today(),
        }),
        put(other, `/api/findings/${id}/owner`, { ownerId: other.user.id }),
        other.post(`/api/findings/${id}/notes`, { note: '越权' }),
      ];
      for (const res of await Promise.all(attempts)) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain('室内环境');
      }
    }
    expect((await village.get('/api/findings/not-a-uuid')).statusCode).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
