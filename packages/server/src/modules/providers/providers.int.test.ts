import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildProvider } from '../../test/factories.js';
import { TEST_PASSWORD, describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);

describeEachDatabase('service providers (服务机构)', (env) => {
  let county: Client;
  let township: Client;
  let village: Client;
  let admin: Client;

  const count = async () =>
    Number(
      (
        await env()
          .database.db.selectFrom('service_providers')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    township = await env().signIn('township', TOWNSHIP);
    village = await env().signIn('village', DONGCHA);
    admin = await env().signIn('admin', COUNTY);
  });

  it('lets a county register a provider with its kinds, region and contact, and audits it', async () => {
    const res = await county.post('/api/providers', buildProvider());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      name: '宽甸县居家养老服务中心',
      kinds: ['daily_care', 'rehab_nursing'],
      region: { code: COUNTY, name: '宽甸满族自治县' },
      contactName: '张丽',
      phone: '0415-5123456',
      status: 'active',
      accountCount: 0,
    });
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('entity_id', '=', res.json().id)
      .execute();
    expect(logged).toEqual([{ action: 'provider.create', region_code: COUNTY }]);
  });

  it('lists providers by kind and region: a township sees the county’s and its own, a village those serving it', async () => {
    const own = await township.post(
      '/api/providers',
      buildProvider({ name: '灌水镇卫生院', kinds: ['medical'], regionCode: TOWNSHIP }),
    );
    expect(own.statusCode, own.body).toBe(201);
    const medical = await township.get('/api/providers?kind=medical');
    expect(medical.json().items.map((p: { name: string }) => p.name)).toEqual(['灌水镇卫生院']);
    const all = await village.get(`/api/providers?serving=${DONGCHA}&status=active`);
    expect(all.statusCode).toBe(200);
    expect(
      all
        .json()
        .items.map((p: { name: string }) => p.name)
        .sort(),
    ).toEqual(['宽甸县居家养老服务中心', '灌水镇卫生院'].sort());
    const otherTownship = await county.get('/api/providers?region=210624102');
    expect(otherTownship.json().items.map((p: { name: string }) => p.name)).toEqual([
      '宽甸县居家养老服务中心',
    ]);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await count();
    const cases: [Record<string, unknown>, string, string][] = [
      [buildProvider({ name: ' ' }), 'name', '请填写机构名称'],
      [buildProvider({ kinds: [] }), 'kinds', '请至少选择一项服务类别'],
      [buildProvider({ kinds: ['catering'] }), 'kinds.0', '服务类别应为'],
      [buildProvider({ phone: '12345' }), 'phone', '电话号码格式不正确'],
      [buildProvider({ regionCode: '210681' }), 'regionCode', '服务区域不在您的辖区内'],
      [buildProvider({ regionCode: 'abc' }), 'regionCode', '服务区域应为区划代码'],
    ];
    for (const [body, field, message] of cases) {
      const res = await county.post('/api/providers', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
      expect(res.json().error.message).toContain(message);
    }
    expect(await count()).toBe(before);
  });

  it('lets only township, county and city staff register, and only within their jurisdiction change', async () => {
    expect((await village.post('/api/providers', buildProvider())).statusCode).toBe(403);
    const countyProvider = (await county.get('/api/providers?q=居家养老')).json().items[0];
    const refused = await township.patch(`/api/providers/${countyProvider.id}`, { name: '改名' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe('该服务机构由上级民政部门登记，您不能修改');
    const changed = await county.patch(`/api/providers/${countyProvider.id}`, {
      kinds: ['daily_care', 'rehab_nursing', 'social_work'],
      address: null,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      kinds: ['daily_care', 'rehab_nursing', 'social_work'],
      address: null,
    });
  });

  it('stops a provider (停用) without deleting it; the list still shows it as 停用', async () => {
    const created = (
      await county.post(
        '/api/providers',
        buildProvider({ name: '宽甸县法律援助中心', kinds: ['legal_aid'] }),
      )
    ).json();
    const stopped = await county.patch(`/api/providers/${created.id}`, { status: 'inactive' });
    expect(stopped.json().status).toBe('inactive');
    const inactive = await county.get('/api/providers?status=inactive');
    expect(inactive.json().items.map((p: { name: string }) => p.name)).toEqual([
      '宽甸县法律援助中心',
    ]);
  });

  it('lets an admin make a provider account that belongs to a provider, shown on the account', async () => {
    const provider = (await county.get('/api/providers?q=居家养老')).json().items[0];
    const missing = await admin.post('/api/users', {
      username: 'jujia-1',
      displayName: '居家养老中心',
      role: 'provider',
      jurisdiction: COUNTY,
      password: TEST_PASSWORD,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      field: 'providerId',
      message: '请选择该账号所属的服务机构',
    });
    const wrongRole = await admin.post('/api/users', {
      username: 'cun-1',
      displayName: '村干部',
      role: 'village',
      jurisdiction: DONGCHA,
      password: TEST_PASSWORD,
      providerId: provider.id,
    });
    expect(wrongRole.json().error.field).toBe('providerId');
    const created = await admin.post('/api/users', {
      username: 'jujia-1',
      displayName: '居家养老中心',
      role: 'provider',
      jurisdiction: COUNTY,
      password: TEST_PASSWORD,
      providerId: provider.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().provider).toEqual({ id: provider.id, name: '宽甸县居家养老服务中心' });
    const me = await (await env().login('jujia-1')).get('/api/auth/me');
    expect(me.json().user.provider.name).toBe('宽甸县居家养老服务中心');
    expect((await county.get(`/api/providers/${provider.id}`)).json().accountCount).toBe(1);
    // A role change away from 服务机构 takes the provider off the account.
    const changed = await admin.patch(`/api/users/${created.json().id}`, {
      role: 'county',
      jurisdiction: COUNTY,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().provider).toBeNull();
  });

  it('refuses a provider of another county for an account', async () => {
    const otherCounty = await env().signIn('county', '210681');
    const foreign = (
      await otherCounty.post(
        '/api/providers',
        buildProvider({ name: '东港市社工站', regionCode: '210681' }),
      )
    ).json();
    const res = await admin.post('/api/users', {
      username: 'donggang-1',
      displayName: '东港社工',
      role: 'provider',
      jurisdiction: COUNTY,
      password: TEST_PASSWORD,
      providerId: foreign.id,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      field: 'providerId',
      message: '所属服务机构不存在或不在您的管辖范围内',
    });
    expect((await county.get(`/api/providers/${foreign.id}`)).statusCode).toBe(404);
  });
});
