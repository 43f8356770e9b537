import type { CampaignDto, CampaignInput } from '@tanfang/domain';
import { expect, it } from 'vitest';
import { DONGCHA } from '../../test/factories.js';
import { describeEachDatabase, type TestEnv } from '../../test/harness.js';
import { listCampaignRulesFor, listCampaignRulesWithin } from './campaigns.repository.js';

const CITY = '2106'; // 丹东市
const COUNTY = '210624'; // 宽甸满族自治县
const TOWNSHIP = '210624101'; // 灌水镇 (东岔村's township)
const OTHER_TOWNSHIP = '210624102'; // 硼海镇
const OTHER_VILLAGE = '210681101201'; // a village of 东港市

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An instant `ms` from now, as an ISO string. */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

/** A campaign as a township officer would set one up, with overrides. */
function buildCampaign(overrides: Partial<CampaignInput> = {}): Partial<CampaignInput> {
  return {
    regionCode: TOWNSHIP,
    name: '2026 年汛期专项探访',
    kind: 'flood_season',
    startsAt: fromNow(-HOUR),
    endsAt: fromNow(30 * DAY),
    within: { value: 48, unit: 'hours' },
    ...overrides,
  };
}

/** How many campaigns exist (to show a refused request wrote nothing). */
async function countCampaigns(env: TestEnv): Promise<number> {
  const row = await env.database.db
    .selectFrom('campaigns')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDatabase('campaigns', (env) => {
  it('lets a township start a 汛期 campaign that brings the flood-season checklist', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const res = await township.post('/api/campaigns', buildCampaign());
    expect(res.statusCode, res.body).toBe(201);
    const campaign = res.json() as CampaignDto;
    expect(campaign).toMatchObject({
      region: { code: TOWNSHIP, fullName: '辽宁省丹东市宽甸满族自治县灌水镇' },
      name: '2026 年汛期专项探访',
      kind: 'flood_season',
      status: 'in_force',
      within: { value: 48, unit: 'hours' },
      countedMethods: ['in_person', 'phone', 'video'],
      editable: true,
    });
    expect(campaign.checklist.map((c) => c.label)).toEqual([
      '电线线路安全',
      '防汛安全（房屋、低洼处、转移预案）',
    ]);

    const village = await env().signIn('village', DONGCHA);
    const seen = ((await village.get('/api/campaigns')).json() as CampaignDto[]).find(
      (c) => c.id === campaign.id,
    );
    expect(seen).toMatchObject({ status: 'in_force', editable: false });
    expect((await village.post('/api/campaigns', buildCampaign())).statusCode).toBe(403);
    expect((await village.post(`/api/campaigns/${campaign.id}/cancel`)).statusCode).toBe(403);
    const visitor = await env().signIn('visitor', DONGCHA);
    const forVisitor = await visitor.get(`/api/campaigns/${campaign.id}`);
    expect(forVisitor.statusCode).toBe(200);
    expect(forVisitor.json().checklist).toHaveLength(2);

    const audit = await env()
      .database.db.selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('entity_id', '=', campaign.id)
      .execute();
    expect(audit).toEqual([{ action: 'campaign.create', region_code: TOWNSHIP }]);
  });

  it('takes a checklist of its own instead of the default', async () => {
    const county = await env().signIn('county', COUNTY);
    const res = await county.post(
      '/api/campaigns',
      buildCampaign({
        regionCode: COUNTY,
        name: '春节走访',
        kind: 'festival',
        within: { value: 3, unit: 'days' },
        checklist: [{ key: 'spring_goods', label: '年货是否备齐' }],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().checklist).toEqual([{ key: 'spring_goods', label: '年货是否备齐' }]);
    const none = await county.post(
      '/api/campaigns',
      buildCampaign({ regionCode: COUNTY, kind: 'heating_season', checklist: [] }),
    );
    expect(none.json().checklist).toEqual([]);
  });

  it('refuses a campaign that ends before it starts, naming endsAt, and writes nothing', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const before = await countCampaigns(env());
    const res = await township.post(
      '/api/campaigns',
      buildCampaign({ startsAt: fromNow(5 * DAY), endsAt: fromNow(2 * DAY) }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('endsAt');
    expect(res.json().error.message).toContain('结束时间必须晚于开始时间');
    expect(await countCampaigns(env())).toBe(before);
  });

  it('refuses a campaign backdated by more than seven days', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const before = await countCampaigns(env());
    const res = await township.post(
      '/api/campaigns',
      buildCampaign({ startsAt: fromNow(-8 * DAY), endsAt: fromNow(10 * DAY) }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('startsAt');
    expect(res.json().error.message).toContain('7 天');
    expect(await countCampaigns(env())).toBe(before);
  });

  it('keeps a township to its own township', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const neighbour = await env().signIn('township', OTHER_TOWNSHIP);
    const before = await countCampaigns(env());
    const res = await township.post(
      '/api/campaigns',
      buildCampaign({ regionCode: OTHER_TOWNSHIP }),
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe('适用区域 210624102 不在您的辖区内');
    expect(await countCampaigns(env())).toBe(before);

    const theirs = (
      await neighbour.post('/api/campaigns', buildCampaign({ regionCode: OTHER_TOWNSHIP }))
    ).json() as CampaignDto;
    expect((await township.get(`/api/campaigns/${theirs.id}`)).statusCode).toBe(404);
    const cancel = await township.post(`/api/campaigns/${theirs.id}/cancel`);
    expect(cancel.statusCode).toBe(404);
    const list = (await township.get('/api/campaigns')).json() as CampaignDto[];
    expect(list.map((c) => c.id)).not.toContain(theirs.id);
    expect((await township.get(`/api/campaigns?region=${OTHER_TOWNSHIP}`)).statusCode).toBe(404);
    expect((await neighbour.get(`/api/campaigns/${theirs.id}`)).json().status).toBe('in_force');
  });

  it('shows a township the county’s campaign, which it may not cancel', async () => {
    const county = await env().signIn('county', COUNTY);
    const campaign = (
      await county.post(
        '/api/campaigns',
        buildCampaign({ regionCode: COUNTY, name: '寒潮专项', kind: 'extreme_weather' }),
      )
    ).json() as CampaignDto;
    const township = await env().signIn('township', TOWNSHIP);
    const seen = (await township.get(`/api/campaigns/${campaign.id}`)).json();
    expect(seen).toMatchObject({ name: '寒潮专项', editable: false });
    const cancel = await township.post(`/api/campaigns/${campaign.id}/cancel`, { note: '不需要' });
    expect(cancel.statusCode).toBe(403);
    expect(cancel.json().error.message).toBe('上级部署的专项探访不能取消');
    expect((await township.get(`/api/campaigns/${campaign.id}`)).json().status).toBe('in_force');
  });

  it('reports each campaign as scheduled, in force, ended or cancelled, and filters by it', async () => {
    const county = await env().signIn('county', COUNTY);
    const make = async (name: string, startsAt: string, endsAt: string) => {
      const res = await county.post(
        '/api/campaigns',
        buildCampaign({ regionCode: COUNTY, name, startsAt, endsAt }),
      );
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as CampaignDto;
    };
    const scheduled = await make('下周开始', fromNow(7 * DAY), fromNow(14 * DAY));
    const inForce = await make('正在进行', fromNow(-2 * DAY), fromNow(2 * DAY));
    const ended = await make('已经结束', fromNow(-6 * DAY), fromNow(-DAY));
    const toCancel = await make('将被取消', fromNow(DAY), fromNow(3 * DAY));
    expect([scheduled.status, inForce.status, ended.status]).toEqual([
      'scheduled',
      'in_force',
      'ended',
    ]);
    expect(ended.editable).toBe(false);

    const cancelled = await county.post(`/api/campaigns/${toCancel.id}/cancel`, {
      note: '天气预报有变',
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', editable: false });
    const row = await env()
      .database.db.selectFrom('campaigns')
      .select(['status', 'cancelled_by', 'cancelled_at'])
      .where('id', '=', toCancel.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('cancelled');
    expect(row.cancelled_by).toBe(county.user.id);
    expect(row.cancelled_at).toBeInstanceOf(Date);
    const audit = await env()
      .database.db.selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('entity_id', '=', toCancel.id)
      .orderBy('at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['campaign.create', 'campaign.cancel']);
    expect(audit[1]!.detail).toMatchObject({ note: '天气预报有变' });

    const ids = async (state: string) =>
      ((await county.get(`/api/campaigns?state=${state}`)).json() as CampaignDto[]).map(
        (c) => c.id,
      );
    const byState = {
      scheduled: await ids('scheduled'),
      in_force: await ids('in_force'),
      ended: await ids('ended'),
      cancelled: await ids('cancelled'),
    };
    expect(byState.scheduled).toContain(scheduled.id);
    expect(byState.in_force).toContain(inForce.id);
    expect(byState.ended).toContain(ended.id);
    expect(byState.cancelled).toEqual([toCancel.id]);
    expect(byState.scheduled).not.toContain(toCancel.id);
    expect(byState.in_force).not.toContain(scheduled.id);
    const bad = await county.get('/api/campaigns?state=active');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('state');
  });

  it('refuses to cancel a campaign that has ended or is already cancelled', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const ended = (
      await township.post(
        '/api/campaigns',
        buildCampaign({ name: '上周的寒潮', startsAt: fromNow(-5 * DAY), endsAt: fromNow(-HOUR) }),
      )
    ).json() as CampaignDto;
    const late = await township.post(`/api/campaigns/${ended.id}/cancel`);
    expect(late.statusCode).toBe(409);
    expect(late.json().error).toMatchObject({
      code: 'campaign_ended',
      message: '该专项探访已结束，不能取消',
    });
    const current = (await township.post('/api/campaigns', buildCampaign())).json();
    expect((await township.post(`/api/campaigns/${current.id}/cancel`)).statusCode).toBe(200);
    const again = await township.post(`/api/campaigns/${current.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('campaign_cancelled');
    const bad = await township.post(`/api/campaigns/${current.id}/cancel`, { reason: 'x' });
    expect(bad.statusCode).toBe(400);
  });

  it('gives the schedule engine the active campaigns that apply to given regions in a window', async () => {
    const city = await env().signIn('city', CITY);
    const make = async (overrides: Partial<CampaignInput>) => {
      const res = await city.post('/api/campaigns', buildCampaign(overrides));
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as CampaignDto;
    };
    const start = Date.now() + 40 * DAY;
    const at = (days: number) => new Date(start + days * DAY).toISOString();
    const cityWide = await make({
      regionCode: CITY,
      name: '全市高温',
      kind: 'extreme_weather',
      startsAt: at(0),
      endsAt: at(5),
      within: { value: 2, unit: 'days' },
      tiers: ['high_risk'],
    });
    const township = await make({ regionCode: TOWNSHIP, startsAt: at(2), endsAt: at(4) });
    const sibling = await make({ regionCode: OTHER_TOWNSHIP, startsAt: at(2), endsAt: at(4) });
    const dongang = await make({ regionCode: '210681', startsAt: at(2), endsAt: at(4) });
    const outside = await make({ regionCode: TOWNSHIP, startsAt: at(10), endsAt: at(12) });
    const cancelled = await make({ regionCode: TOWNSHIP, startsAt: at(1), endsAt: at(3) });
    await city.post(`/api/campaigns/${cancelled.id}/cancel`);

    const db = env().database.db;
    const rules = await listCampaignRulesFor(db, [DONGCHA], at(1), at(9));
    const ids = rules.map((r) => r.id);
    expect(ids).toContain(cityWide.id);
    expect(ids).toContain(township.id);
    for (const id of [sibling.id, dongang.id, outside.id, cancelled.id])
      expect(ids).not.toContain(id);
    expect(rules.find((r) => r.id === cityWide.id)).toEqual({
      id: cityWide.id,
      regionCode: CITY,
      name: '全市高温',
      kind: 'extreme_weather',
      startsAt: at(0),
      endsAt: at(5),
      withinHours: 48,
      tiers: ['high_risk'],
      categories: [],
      countedMethods: ['in_person', 'phone', 'video'],
      checklist: [{ key: 'weather_safety', label: '防寒防暑、房屋安全' }],
    });
    // [start, end): a campaign ending exactly when the window starts is not in it.
    const edge = (await listCampaignRulesFor(db, [DONGCHA], at(5), at(6))).map((r) => r.id);
    expect(edge).not.toContain(cityWide.id);
    const two = (await listCampaignRulesFor(db, [DONGCHA, OTHER_VILLAGE], at(1), at(9))).map(
      (r) => r.id,
    );
    expect(two).toContain(dongang.id);
    expect(two).not.toContain(sibling.id);
    expect(await listCampaignRulesFor(db, [], at(0), at(9))).toEqual([]);
    const within = (await listCampaignRulesWithin(db, COUNTY, at(1), at(9))).map((r) => r.id);
    expect(within).toEqual(expect.arrayContaining([cityWide.id, township.id, sibling.id]));
    expect(within).not.toContain(dongang.id);
  });
});
