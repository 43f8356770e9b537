import { addDays, todayIso, uuidv7 } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, GUJIATUN, buildElder, buildProvider } from '../../test/factories.js';
import { TEST_PASSWORD, describeEachDatabase, type Client } from '../../test/harness.js';

const COUNTY = DONGCHA.slice(0, 6);

describeEachDatabase('care services (关爱服务, 丹东 记录表 六)', (env) => {
  let village: Client;
  let county: Client;
  let provider: Client;
  let providerId: string;
  let elderId: string;
  let otherElderId: string;

  const rows = async () =>
    Number(
      (
        await env()
          .database.db.selectFrom('care_services')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const record = (client: Client, body: Record<string, unknown> = {}) =>
    client.post('/api/care-services', {
      id: uuidv7(),
      elderId,
      servedOn: todayIso(),
      content: '村志愿者上门陪伴聊天，帮助整理药品',
      providerName: '东岔村志愿服务队',
      satisfaction: 'satisfied',
      ...body,
    });

  const referTo = async (status: 'sent' | 'accepted') => {
    const r = await village.post('/api/referrals', {
      id: uuidv7(),
      elderId,
      providerId,
      kind: 'daily_care',
      need: '助浴',
    });
    expect(r.statusCode, r.body).toBe(201);
    if (status === 'accepted')
      expect(
        (await provider.post(`/api/referrals/${r.json().id}/transitions`, { to: 'accepted' }))
          .statusCode,
      ).toBe(200);
    return r.json().id as string;
  };

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    county = await env().signIn('county', COUNTY);
    providerId = (await county.post('/api/providers', buildProvider())).json().id;
    const admin = await env().signIn('admin', COUNTY);
    await admin.post('/api/users', {
      username: 'yanglao',
      displayName: '养老服务中心',
      role: 'provider',
      jurisdiction: COUNTY,
      password: TEST_PASSWORD,
      providerId,
    });
    provider = await env().login('yanglao');
    elderId = (await village.post('/api/elders', buildElder({ name: '王秀英' }))).json().id;
    const otherVillage = await env().signIn('village', GUJIATUN);
    otherElderId = (
      await otherVillage.post(
        '/api/elders',
        buildElder({ name: '东港老人', villageCode: GUJIATUN }),
      )
    ).json().id;
  });

  it('records a service by a free-text provider with the elder’s satisfaction, listed for the elder and the region', async () => {
    const res = await record(village);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      elder: { id: elderId, name: '王秀英', village: { code: DONGCHA } },
      servedOn: todayIso(),
      content: '村志愿者上门陪伴聊天，帮助整理药品',
      provider: null,
      providerName: '东岔村志愿服务队',
      satisfaction: 'satisfied',
      createdBy: village.user.display_name,
    });
    const ofElder = await village.get(`/api/elders/${elderId}/care-services`);
    expect(ofElder.json().items.map((s: { id: string }) => s.id)).toEqual([res.json().id]);
    const region = await county.get(`/api/care-services?region=${DONGCHA}&satisfaction=satisfied`);
    expect(region.json().items.map((s: { id: string }) => s.id)).toContain(res.json().id);
    expect((await county.get('/api/care-services?satisfaction=unsatisfied')).json().total).toBe(0);
  });

  it('names a registered provider by its registry name', async () => {
    const res = await record(village, {
      providerId,
      providerName: undefined,
      content: '上门助浴一次',
      satisfaction: 'basically_satisfied',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      provider: { id: providerId, name: '宽甸县居家养老服务中心' },
      providerName: '宽甸县居家养老服务中心',
      satisfaction: 'basically_satisfied',
    });
  });

  it('keeps one record when the same service is sent again', async () => {
    const id = uuidv7();
    const before = await rows();
    expect((await record(village, { id })).statusCode).toBe(201);
    const again = await record(village, { id });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(id);
    expect((await rows()) - before).toBe(1);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await rows();
    const tomorrow = addDays(todayIso(), 1);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ satisfaction: 'happy' }, 'satisfaction', '满意度应为：满意、基本满意、不满意'],
      [{ servedOn: tomorrow }, 'servedOn', '服务时间不能晚于今天'],
      [{ servedOn: '2026-13-01' }, 'servedOn', '服务时间应为日期'],
      [{ content: '' }, 'content', '请填写服务内容'],
      [{ providerName: undefined }, 'providerName', '请选择服务机构或填写服务提供者'],
      [{ providerId: uuidv7(), providerName: undefined }, 'providerId', '服务机构不存在'],
      [{ referralId: uuidv7() }, 'referralId', '关联的转介不存在'],
    ];
    for (const [body, field, message] of cases) {
      const res = await record(village, body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
      expect(res.json().error.message).toContain(message);
    }
    expect(await rows()).toBe(before);
  });

  it('lets a provider record a service only for a referral it accepted, under its own name', async () => {
    const before = await rows();
    const noReferral = await record(provider);
    expect(noReferral.json().error.field).toBe('referralId');
    const waiting = await referTo('sent');
    const early = await record(provider, { referralId: waiting });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('referral_not_serving');
    expect(await rows()).toBe(before);
    const accepted = await referTo('accepted');
    const res = await record(provider, {
      referralId: accepted,
      providerName: '随便写的名字',
      content: '助浴一次，检查皮肤无压疮',
      satisfaction: 'satisfied',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      providerName: '宽甸县居家养老服务中心',
      provider: { id: providerId },
      referralId: accepted,
    });
    // Its list: what it recorded, and what staff recorded in its name — nothing else.
    const own = await provider.get('/api/care-services');
    expect(own.json().items.map((s: { content: string }) => s.content)).toEqual([
      '助浴一次，检查皮肤无压疮',
      '上门助浴一次',
    ]);
  });

  it('gives another county’s elder as 404, and never lists it', async () => {
    const res = await record(village, { elderId: otherElderId });
    expect(res.statusCode).toBe(404);
    expect((await village.get(`/api/elders/${otherElderId}/care-services`)).statusCode).toBe(404);
    expect((await village.get('/api/care-services?pageSize=200')).body).not.toContain('东港老人');
    expect((await village.get('/api/care-services?region=210681')).statusCode).toBe(404);
  });
});
