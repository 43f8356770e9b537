import {
  todayIso,
  uuidv7,
  type AlertQueueDto,
  type AlertStreamEvent,
  type ChannelDto,
  type OutboundAlertDto,
} from '@tanfang/domain';
import type { FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import type { RequestContext } from '../../context.js';
import { DONGCHA, GUJIATUN, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client, type TestEnv } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9); // 灌水镇
const COUNTY = DONGCHA.slice(0, 6); // 宽甸满族自治县
const NEIGHBOUR = '210624101202'; // another village of 灌水镇
const COUNTY_B = GUJIATUN.slice(0, 6); // 东港市
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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

/** A finding written as the findings workflow leaves it. */
async function insertFinding(
  env: TestEnv,
  f: {
    elderId: string;
    village: string;
    type: string;
    severity: string;
    title: string;
    deadlineInMs: number;
    status?: string;
    escalation?: 'village' | 'township' | 'county';
    acknowledged?: boolean;
    ageMs?: number;
  },
): Promise<string> {
  const id = uuidv7();
  const now = Date.now();
  await env.database.db
    .insertInto('findings')
    .values({
      id,
      visit_id: null,
      elder_id: f.elderId,
      county_code: f.village.slice(0, 6),
      village_code: f.village,
      type: f.type,
      severity: f.severity,
      title: f.title,
      source: 'staff',
      status: f.status ?? 'open',
      deadline_at: new Date(now + f.deadlineInMs),
      deadline_action: f.type === 'emergency' ? 'acknowledge' : 'handle',
      acknowledged_at: f.acknowledged ? new Date(now) : null,
      escalation_level: f.escalation ?? 'village',
      created_at: new Date(now - (f.ageMs ?? 10 * MINUTE)),
    })
    .execute();
  return id;
}

/** Reads server-sent events from a live stream. */
function eventReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return {
    /** The next event (comments skipped), or null when the stream ended. */
    async next(): Promise<{ event: string; data: string } | null> {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n').filter((l) => !l.startsWith(':'));
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event) return { event, data: data ?? '' };
          continue;
        }
        const chunk = await reader.read();
        if (chunk.done) return null;
        buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describeEachDatabase('the alert queue and its live stream', (env) => {
  let county: Client;
  let township: Client;
  let village: Client;
  let neighbour: Client;
  let countyB: Client;
  let visitor: Client;
  let provider: Client;
  let otherProvider: Client;
  const elders: Record<string, string> = {};
  const findings: Record<string, string> = {};
  const referrals: Record<string, string> = {};

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    township = await env().signIn('township', TOWNSHIP);
    village = await env().signIn('village', DONGCHA);
    neighbour = await env().signIn('village', NEIGHBOUR);
    countyB = await env().signIn('county', COUNTY_B);
    const villageB = await env().signIn('village', GUJIATUN);
    const applied = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: COUNTY,
      effectiveFrom: todayIso(),
    });
    expect(applied.statusCode, applied.body).toBe(201);
    for (const [key, name, client, code] of [
      ['a', '赵桂兰', village, DONGCHA],
      ['b', '钱淑珍', village, DONGCHA],
      ['n', '孙玉芬', neighbour, NEIGHBOUR],
      ['g', '东港老人', villageB, GUJIATUN],
    ] as const) {
      const r = await client.post(
        '/api/elders',
        buildElder({ name, idNumber: idNumber(), villageCode: code }),
      );
      expect(r.statusCode, r.body).toBe(201);
      elders[key] = r.json().id;
    }
    const user = await env().createUser('visitor', DONGCHA);
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    const assigned = await village.post('/api/assignments', {
      elderIds: [elders['a']],
      visitorId: v.json().id,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    visitor = await env().login(user.username);

    const e = env();
    findings['emergencyB'] = await insertFinding(e, {
      elderId: elders['b']!,
      village: DONGCHA,
      type: 'emergency',
      severity: 'emergency',
      title: '摔倒在家',
      deadlineInMs: 20 * MINUTE,
    });
    findings['emergencyA'] = await insertFinding(e, {
      elderId: elders['a']!,
      village: DONGCHA,
      type: 'emergency',
      severity: 'emergency',
      title: '突发胸痛',
      deadlineInMs: -5 * MINUTE,
      status: 'in_progress',
      acknowledged: true,
      ageMs: 40 * MINUTE,
    });
    findings['emergencyN'] = await insertFinding(e, {
      elderId: elders['n']!,
      village: NEIGHBOUR,
      type: 'emergency',
      severity: 'emergency',
      title: '联系不上',
      deadlineInMs: -10 * MINUTE,
      escalation: 'township',
      ageMs: 45 * MINUTE,
    });
    findings['emergencyG'] = await insertFinding(e, {
      elderId: elders['g']!,
      village: GUJIATUN,
      type: 'emergency',
      severity: 'emergency',
      title: '东港紧急情况',
      deadlineInMs: 10 * MINUTE,
    });
    findings['overdueA'] = await insertFinding(e, {
      elderId: elders['a']!,
      village: DONGCHA,
      type: 'safety_hazard',
      severity: 'high',
      title: '燃气软管老化',
      deadlineInMs: -HOUR,
      ageMs: 8 * DAY,
    });
    findings['dueA'] = await insertFinding(e, {
      elderId: elders['a']!,
      village: DONGCHA,
      type: 'need',
      severity: 'medium',
      title: '需要助餐服务',
      deadlineInMs: 5 * HOUR,
      ageMs: 13 * DAY,
    });
    findings['laterB'] = await insertFinding(e, {
      elderId: elders['b']!,
      village: DONGCHA,
      type: 'safety_hazard',
      severity: 'medium',
      title: '屋顶漏雨',
      deadlineInMs: 3 * DAY,
    });
    findings['resolvedB'] = await insertFinding(e, {
      elderId: elders['b']!,
      village: DONGCHA,
      type: 'safety_hazard',
      severity: 'high',
      title: '电线裸露',
      deadlineInMs: -DAY,
      status: 'resolved',
    });

    // A provider with an account, another provider's account, and two referrals.
    const db = e.database.db;
    const providerIds = [uuidv7(), uuidv7()];
    for (const [i, id] of providerIds.entries()) {
      await db
        .insertInto('service_providers')
        .values({
          id,
          name: i === 0 ? '宽甸县颐养助餐中心' : '东岔村卫生室',
          kinds: ['daily_care'],
          region_code: COUNTY,
        })
        .execute();
    }
    for (const [i, id] of providerIds.entries()) {
      const u = await e.createUser('provider', COUNTY);
      await db.updateTable('users').set({ provider_id: id }).where('id', '=', u.id).execute();
      if (i === 0) provider = await e.login(u.username);
      else otherProvider = await e.login(u.username);
    }
    for (const [key, elder, status, updatedAgo] of [
      ['sentA', 'a', 'sent', HOUR],
      ['declinedB', 'b', 'declined', DAY],
      ['oldB', 'b', 'completed', 30 * DAY],
    ] as const) {
      referrals[key] = uuidv7();
      await db
        .insertInto('referrals')
        .values({
          id: referrals[key],
          finding_id: null,
          elder_id: elders[elder]!,
          county_code: COUNTY,
          village_code: DONGCHA,
          provider_id: providerIds[0]!,
          kind: 'daily_care',
          need: key === 'sentA' ? '每日送餐' : '助浴',
          status,
          updated_at: new Date(Date.now() - updatedAgo),
        })
        .execute();
    }
  });

  const queueOf = async (client: Client): Promise<AlertQueueDto> => {
    const res = await client.get('/api/alerts/queue');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const keys = (q: AlertQueueDto) => q.items.map((i) => i.key);

  it('gives village staff their village’s emergencies first, then findings by deadline, then answered referrals', async () => {
    const q = await queueOf(village);
    expect(q.items.map((i) => [i.kind, i.title])).toEqual([
      ['emergency', '钱淑珍：摔倒在家'],
      ['emergency', '赵桂兰：突发胸痛'],
      ['finding_overdue', '赵桂兰：燃气软管老化'],
      ['finding_due', '赵桂兰：需要助餐服务'],
      ['referral', '钱淑珍：助浴'],
    ]);
    const [first, second, overdue] = q.items;
    expect(first).toMatchObject({
      urgency: 0,
      elder: { id: elders['b'], name: '钱淑珍' },
      region: { code: DONGCHA, fullName: expect.stringContaining('灌水镇') },
      detail: '待处理 · 未响应',
      overdue: false,
      target: { type: 'finding', id: findings['emergencyB'], elderId: elders['b'] },
    });
    // Acknowledged: no deadline to meet any more.
    expect(second).toMatchObject({ dueAt: null, overdue: false, status: 'in_progress' });
    expect(overdue).toMatchObject({ overdue: true, urgency: 1 });
    expect(q.items[4]!.detail).toContain('宽甸县颐养助餐中心已拒绝');
    expect(q.counts).toMatchObject({
      emergency: 2,
      finding_overdue: 1,
      finding_due: 1,
      referral: 1,
    });
    expect(q.total).toBe(5);
    // A finding due in three days, a resolved one and another village's are not there.
    const all = JSON.stringify(q);
    for (const hidden of ['屋顶漏雨', '电线裸露', '联系不上', '东港', '每日送餐'])
      expect(all, hidden).not.toContain(hidden);
  });

  it('gives the township every open emergency of its villages, escalated ones marked', async () => {
    const q = await queueOf(township);
    const emergencies = q.items.filter((i) => i.urgency === 0);
    expect(emergencies.map((i) => [i.kind, i.title])).toEqual([
      ['emergency_escalated', '孙玉芬：联系不上'],
      ['emergency', '钱淑珍：摔倒在家'],
      ['emergency', '赵桂兰：突发胸痛'],
    ]);
    expect(emergencies[0]).toMatchObject({
      overdue: true,
      detail: '待处理 · 未响应 · 已升级至乡镇（街道）',
      region: { code: NEIGHBOUR },
    });
    expect(keys(q)).not.toContain(`finding:${findings['emergencyG']}`);
  });

  it('never shows a user of another village or county what is not theirs', async () => {
    const n = await queueOf(neighbour);
    expect(n.items.map((i) => i.title)).toEqual(['孙玉芬：联系不上']);
    const b = await queueOf(countyB);
    expect(b.items.map((i) => i.title)).toEqual(['东港老人：东港紧急情况']);
    expect(JSON.stringify(b)).not.toMatch(/赵桂兰|钱淑珍|孙玉芬/);
  });

  it('shows a visitor only the elders assigned to them, and no findings workflow', async () => {
    const q = await queueOf(visitor);
    expect(q.items.map((i) => [i.kind, i.title])).toEqual([['emergency', '赵桂兰：突发胸痛']]);
  });

  it('shows a provider only the referrals sent to it awaiting acceptance', async () => {
    const q = await queueOf(provider);
    expect(q.items).toEqual([
      expect.objectContaining({
        kind: 'referral',
        title: '赵桂兰：每日送餐',
        detail: '生活照料 · 待接收',
        target: { type: 'referral', id: referrals['sentA'], elderId: elders['a'] },
      }),
    ]);
    expect((await queueOf(otherProvider)).items).toEqual([]);
  });

  it('adds a visitor’s overdue visit and campaign task, and the staff’s per-campaign count', async () => {
    const campaign = await township.post('/api/campaigns', {
      regionCode: TOWNSHIP,
      name: '寒潮专项探访',
      kind: 'extreme_weather',
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 90 * DAY).toISOString(),
      within: { value: 60, unit: 'days' },
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    // Next month, after a month with no visit under the monthly rule in force since today.
    const next = new Date(Date.now() + 40 * DAY);
    const later = Date.parse(`${next.toISOString().slice(0, 7)}-10T09:00:00+08:00`);
    const mine = await env().services.alerts.queue(ctxOf(visitor), later);
    const tasks = mine.items.filter(
      (i) => i.kind === 'visit_overdue' || i.kind === 'campaign_task',
    );
    expect(tasks.map((i) => [i.kind, i.title])).toEqual([
      ['visit_overdue', '赵桂兰：定期探访'],
      ['campaign_task', '赵桂兰：寒潮专项探访'],
    ]);
    expect(tasks[0]).toMatchObject({
      urgency: 2,
      overdue: true,
      target: { type: 'elder', id: elders['a'] },
      detail: expect.stringMatching(/逾期未访 \d+ 天/),
    });
    const staff = await env().services.alerts.queue(ctxOf(village), later);
    const staffTasks = staff.items.filter(
      (i) => i.kind === 'visit_overdue' || i.kind === 'campaign_task',
    );
    expect(staffTasks.map((i) => i.title)).toEqual([
      '钱淑珍：定期探访',
      '赵桂兰：定期探访',
      '寒潮专项探访：2 位老年人待专项探访',
    ]);
    expect(staffTasks[2]!.target).toEqual({ type: 'campaign', id: campaign.json().id });
    // The county sees the campaign in force, not every elder.
    const c = await queueOf(county);
    expect(c.items.filter((i) => i.kind === 'campaign_task').map((i) => i.title)).toEqual([
      '寒潮专项探访：专项探访进行中',
    ]);
  });

  it('refuses the queue and the stream without a session', async () => {
    const q = await env().app.inject({ method: 'GET', url: '/api/alerts/queue' });
    expect(q.statusCode).toBe(401);
    const s = await env().app.inject({ method: 'GET', url: '/api/alerts/stream' });
    expect(s.statusCode).toBe(401);
    expect(s.json().error.code).toBe('unauthenticated');
  });

  describe('live stream', () => {
    let base: string;
    beforeAll(async () => {
      await env().app.listen({ port: 0, host: '127.0.0.1' });
      const address = env().app.server.address();
      base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });

    const open = async (client: Client, app = base) => {
      const res = await fetch(`${app}/api/alerts/stream`, { headers: { cookie: client.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const events = eventReader(res);
      expect((await events.next())?.event).toBe('ready');
      return events;
    };

    it('tells a village user of a change in their village, and not of one in another county', async () => {
      const mine = await open(village);
      const theirs = await open(countyB);
      const bus = env().services.alertBus;
      bus.publish({ regionCode: DONGCHA, kind: 'emergency' });
      const first = await mine.next();
      expect(first?.event).toBe('queue');
      expect(JSON.parse(first!.data) as AlertStreamEvent).toEqual({
        kind: 'emergency',
        regionCode: DONGCHA,
      });
      // A change in 东港 and then one in 宽甸's county office: the village hears only the latter.
      bus.publish({ regionCode: GUJIATUN, kind: 'finding' });
      bus.publish({ regionCode: COUNTY, kind: 'escalation' });
      expect(JSON.parse((await mine.next())!.data)).toEqual({
        kind: 'escalation',
        regionCode: COUNTY,
      });
      // 东港's county user heard only 东港's change.
      expect(JSON.parse((await theirs.next())!.data)).toEqual({
        kind: 'finding',
        regionCode: GUJIATUN,
      });
      await mine.cancel();
      await theirs.cancel();
    });

    it('hears of an emergency raised through the API, which the township’s queue then lists among its emergencies', async () => {
      const stream = await open(township);
      const raised = await village.post('/api/emergencies', {
        id: uuidv7(),
        elderId: elders['b'],
        title: '家属来电：老人昏迷',
        description: '女儿来电称老人在家中昏迷，已拨打 120',
      });
      expect(raised.statusCode, raised.body).toBe(201);
      const event = await stream.next();
      expect(event?.event).toBe('queue');
      expect(JSON.parse(event!.data)).toMatchObject({ kind: 'emergency', regionCode: DONGCHA });
      const q = await queueOf(township);
      const at = q.items.findIndex((i) => i.title === '钱淑珍：家属来电：老人昏迷');
      expect(q.items[at]).toMatchObject({ kind: 'emergency', detail: '待处理 · 未响应' });
      // Among the emergencies, before everything else.
      expect(q.items.slice(0, at + 1).every((i) => i.urgency === 0)).toBe(true);
      await stream.cancel();
    });

    it('lets the server close with a stream open, ending the stream', async () => {
      const app: FastifyInstance = await buildApp(env().services, {
        trustProxy: false,
        sessionHours: 12,
        secureCookies: 'false',
        logLevel: 'silent',
        webDir: '/nonexistent',
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      const events = await open(visitor, url);
      await app.close();
      expect(await events.next()).toBeNull();
    });
  });

  describe('outbound channels', () => {
    let created: ChannelDto;
    const SECRET = 'hook-secret-0123456789';

    it('lets the county add a webhook and never shows its secret in full', async () => {
      const res = await county.post('/api/notification-channels', {
        regionCode: TOWNSHIP,
        kind: 'webhook',
        name: '灌水镇值班系统',
        config: { url: 'http://127.0.0.1:9/hook', secret: SECRET },
        alertKinds: ['emergency', 'emergency_escalated'],
      });
      expect(res.statusCode, res.body).toBe(201);
      created = res.json();
      expect(created).toMatchObject({
        region: { code: TOWNSHIP, name: '灌水镇' },
        kind: 'webhook',
        active: true,
        alertKinds: ['emergency', 'emergency_escalated'],
        config: { url: 'http://127.0.0.1:9/hook', secret: '••••••6789' },
        deliveries: { pending: 0, retrying: 0, failed: 0, delivered: 0, lastError: null },
      });
      const list = await county.get('/api/notification-channels');
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(SECRET);
      expect((list.json() as ChannelDto[]).map((c) => c.id)).toContain(created.id);
    });

    it('names the field of bad input', async () => {
      const base = { regionCode: COUNTY, name: '短信', alertKinds: [] };
      for (const [body, field] of [
        [{ ...base, kind: 'fax', config: {} }, 'kind'],
        [{ ...base, kind: 'webhook', config: { url: 'ftp://x', secret: SECRET } }, 'config.url'],
        [
          { ...base, kind: 'webhook', config: { url: 'https://a.cn/h', secret: 'short' } },
          'config.secret',
        ],
        [{ ...base, kind: 'sms', config: { url: 'https://sms.cn/send' } }, 'config.apiKey'],
        [
          {
            ...base,
            kind: 'sms',
            config: { url: 'https://sms.cn/send', apiKey: 'k-12345678', extraPhones: ['123'] },
          },
          'config.extraPhones.0',
        ],
        [
          {
            ...base,
            kind: 'webhook',
            alertKinds: ['weather'],
            config: { url: 'https://a.cn/h', secret: SECRET },
          },
          'alertKinds.0',
        ],
        [
          {
            ...base,
            regionCode: '21',
            kind: 'webhook',
            config: { url: 'https://a.cn/h', secret: SECRET },
          },
          null,
        ],
      ] as const) {
        const res = await county.post('/api/notification-channels', body);
        if (field === null) {
          // A region outside the jurisdiction is "not found", as everywhere.
          expect(res.statusCode).toBe(404);
          continue;
        }
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.field, JSON.stringify(body)).toBe(field);
        expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    });

    it('keeps a secret left out or sent back masked, and checks a changed configuration', async () => {
      const renamed = await county.patch(`/api/notification-channels/${created.id}`, {
        name: '灌水镇应急平台',
        config: { url: 'https://yingji.example.cn/hook', secret: created.config['secret'] },
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({
        name: '灌水镇应急平台',
        config: { url: 'https://yingji.example.cn/hook', secret: '••••••6789' },
      });
      const row = await env()
        .database.db.selectFrom('notification_channels')
        .select('config')
        .where('id', '=', created.id)
        .executeTakeFirstOrThrow();
      expect(row.config).toEqual({ url: 'https://yingji.example.cn/hook', secret: SECRET });
      const bad = await county.patch(`/api/notification-channels/${created.id}`, {
        config: { url: 'not a url' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('config.url');
      const back = await county.patch(`/api/notification-channels/${created.id}`, {
        config: { url: 'http://127.0.0.1:9/hook' },
      });
      expect(back.statusCode, back.body).toBe(200);
    });

    it('keeps channels to county, city and admin staff within their jurisdiction', async () => {
      const body = {
        regionCode: DONGCHA,
        kind: 'webhook',
        name: '村里的',
        config: { url: 'https://a.cn/h', secret: SECRET },
      };
      expect((await village.post('/api/notification-channels', body)).statusCode).toBe(403);
      expect((await village.get('/api/notification-channels')).statusCode).toBe(403);
      expect((await township.get('/api/alerts')).statusCode).toBe(403);
      for (const res of [
        await countyB.patch(`/api/notification-channels/${created.id}`, { name: '改名' }),
        await countyB.post(`/api/notification-channels/${created.id}/test`),
        await countyB.get(`/api/alerts?channel=${created.id}`),
      ])
        expect(res.statusCode).toBe(404);
      expect((await countyB.get('/api/notification-channels')).json()).toEqual([]);
    });

    it('queues a test message on that channel alone, shown as 待发送', async () => {
      const other = await county.post('/api/notification-channels', {
        regionCode: COUNTY,
        kind: 'sms',
        name: '县短信平台',
        config: { url: 'http://127.0.0.1:9/sms', apiKey: 'sms-key-000111' },
      });
      expect(other.statusCode, other.body).toBe(201);
      expect(other.json().config).toMatchObject({
        apiKey: '••••••0111',
        apiKeyHeader: 'X-Api-Key',
      });
      const res = await county.post(`/api/notification-channels/${created.id}/test`);
      expect(res.statusCode, res.body).toBe(202);
      const { alertId } = res.json();
      const sent: OutboundAlertDto[] = (
        await county.get(`/api/alerts?channel=${created.id}`)
      ).json();
      expect(sent[0]).toMatchObject({
        id: alertId,
        kind: 'test',
        kindLabel: '测试消息',
        region: { code: TOWNSHIP },
        deliveries: [
          {
            channel: { id: created.id, name: '灌水镇应急平台', kind: 'webhook' },
            state: 'pending',
            attempts: 0,
            deliveredAt: null,
          },
        ],
      });
      const channels: ChannelDto[] = (await county.get('/api/notification-channels')).json();
      expect(channels.find((c) => c.id === created.id)!.deliveries.pending).toBe(1);
      expect(channels.find((c) => c.id === other.json().id)!.deliveries.pending).toBe(0);
    });
  });
});
