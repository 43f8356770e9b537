import { todayIso, type PolicyCreateInput, type PolicyDto } from '@tanfang/domain';
import { expect, it } from 'vitest';
import { DONGCHA } from '../../test/factories.js';
import { describeEachDatabase, type TestEnv } from '../../test/harness.js';
import { listPolicyRulesFor, listPolicyRulesWithin } from './policies.repository.js';

const CITY = '2106'; // 丹东市
const COUNTY = '210624'; // 宽甸满族自治县
const TOWNSHIP = '210624101'; // 灌水镇 (东岔村's township)
const OTHER_TOWNSHIP = '210624102'; // 硼海镇
const OTHER_COUNTY = '210681'; // 东港市

/** The date `days` after today (China time). */
function inDays(days: number): string {
  const d = new Date(`${todayIso()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** A policy as a county officer would fill it in, with overrides. */
function buildPolicy(overrides: Partial<PolicyCreateInput> = {}): PolicyCreateInput {
  return {
    regionCode: COUNTY,
    name: '重点对象每月探访',
    tiers: ['key'],
    categories: [],
    cadence: { kind: 'monthly' },
    countedMethods: ['in_person', 'phone'],
    inPersonEvery: 'quarter',
    templateKey: 'dandong-2023',
    entryGraceDays: 3,
    effectiveFrom: todayIso(),
    ...overrides,
  };
}

/** A policy's content for a new version (no region: a version keeps the policy's). */
function buildVersion(overrides: Partial<PolicyCreateInput> = {}) {
  const { regionCode: _region, ...content } = buildPolicy(overrides);
  return content;
}

/** How many rows the policy tables hold (to show a refused request wrote nothing). */
async function countRows(env: TestEnv) {
  const db = env.database.db;
  const [policies, versions, audits] = await Promise.all([
    db
      .selectFrom('visit_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('visit_policy_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('action', 'like', 'policy.%')
      .executeTakeFirstOrThrow(),
  ]);
  return { policies: Number(policies.n), versions: Number(versions.n), audits: Number(audits.n) };
}

describeEachDatabase('visit policies', (env) => {
  it('lets a county set a policy that a village of the county sees, read-only', async () => {
    const county = await env().signIn('county', COUNTY);
    const res = await county.post('/api/policies', buildPolicy({ name: '宽甸县重点对象每月探访' }));
    expect(res.statusCode, res.body).toBe(201);
    const policy = res.json() as PolicyDto;
    expect(policy).toMatchObject({
      region: { code: COUNTY, fullName: '辽宁省丹东市宽甸满族自治县' },
      preset: null,
      editable: true,
      current: {
        version: 1,
        name: '宽甸县重点对象每月探访',
        cadence: { kind: 'monthly' },
        tiers: ['key'],
        countedMethods: ['in_person', 'phone'],
        inPersonEvery: 'quarter',
        effectiveFrom: todayIso(),
        retired: false,
      },
    });
    expect(policy.versions).toHaveLength(1);

    const village = await env().signIn('village', DONGCHA);
    const list = await village.get('/api/policies');
    expect(list.statusCode).toBe(200);
    const seen = (list.json() as PolicyDto[]).find((p) => p.id === policy.id);
    expect(seen).toMatchObject({ editable: false, current: { name: '宽甸县重点对象每月探访' } });
    const one = await village.get(`/api/policies/${policy.id}`);
    expect(one.json()).toMatchObject({ id: policy.id, editable: false });
    const change = await village.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ effectiveFrom: inDays(5) }),
    );
    expect(change.statusCode).toBe(403);

    const township = await env().signIn('township', TOWNSHIP);
    expect((await township.get(`/api/policies/${policy.id}`)).json().editable).toBe(false);
    expect(
      (await township.post('/api/policies', buildPolicy({ regionCode: TOWNSHIP }))).statusCode,
    ).toBe(403);
    const auditor = await env().signIn('auditor', COUNTY);
    expect((await auditor.get(`/api/policies/${policy.id}`)).statusCode).toBe(200);

    const elsewhere = await env().signIn('village', '210681101201');
    expect((await elsewhere.get(`/api/policies/${policy.id}`)).statusCode).toBe(404);
    const theirs = (await elsewhere.get('/api/policies')).json() as PolicyDto[];
    expect(theirs.map((p) => p.id)).not.toContain(policy.id);
  });

  it('shows a county the city’s policy, which it may not change', async () => {
    const city = await env().signIn('city', CITY);
    const created = await city.post(
      '/api/policies',
      buildPolicy({ regionCode: CITY, name: '丹东市每月探访', tiers: [] }),
    );
    expect(created.statusCode, created.body).toBe(201);
    const county = await env().signIn('county', COUNTY);
    const list = (await county.get('/api/policies')).json() as PolicyDto[];
    const cityPolicy = list.find((p) => p.id === created.json().id);
    expect(cityPolicy).toMatchObject({ editable: false, region: { fullName: '辽宁省丹东市' } });
    // Sorted outermost region first.
    const lengths = list.map((p) => p.region.code.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    for (const attempt of [
      county.post(
        `/api/policies/${cityPolicy!.id}/versions`,
        buildVersion({ effectiveFrom: inDays(3) }),
      ),
      county.post(`/api/policies/${cityPolicy!.id}/retire`, { effectiveFrom: inDays(3) }),
    ]) {
      const res = await attempt;
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toBe('上级制定的规则不能修改');
    }
    const versions = (await city.get(`/api/policies/${cityPolicy!.id}`)).json().versions;
    expect(versions).toHaveLength(1);
  });

  it('keeps the old version when a new one is added, switching only on the new one’s date', async () => {
    const county = await env().signIn('county', COUNTY);
    const policy = (
      await county.post(
        '/api/policies',
        buildPolicy({ name: '高风险每周探访', tiers: ['high_risk'], cadence: { kind: 'weekly' } }),
      )
    ).json() as PolicyDto;
    const res = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({
        name: '高风险每 10 天探访',
        tiers: ['high_risk'],
        cadence: { kind: 'every_n_days', days: 10 },
        effectiveFrom: inDays(10),
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const after = res.json() as PolicyDto;
    expect(after.versions.map((v) => [v.version, v.effectiveFrom, v.name])).toEqual([
      [2, inDays(10), '高风险每 10 天探访'],
      [1, todayIso(), '高风险每周探访'],
    ]);
    // Version 2 is not yet in force: today still follows version 1.
    expect(after.current).toMatchObject({ version: 1, cadence: { kind: 'weekly' } });

    const sameDay = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ effectiveFrom: inDays(10) }),
    );
    expect(sameDay.statusCode).toBe(409);
    expect(sameDay.json().error).toMatchObject({
      code: 'version_date_taken',
      field: 'effectiveFrom',
    });
    const earlier = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ effectiveFrom: inDays(5) }),
    );
    expect(earlier.statusCode).toBe(400);
    expect(earlier.json().error.field).toBe('effectiveFrom');
    expect(earlier.json().error.message).toContain(inDays(10));
    expect((await county.get(`/api/policies/${policy.id}`)).json().versions).toHaveLength(2);

    const audits = await env()
      .database.db.selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', policy.id)
      .orderBy('at')
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['policy.create', 'policy.version']);
  });

  it('refuses a policy with no cadence, naming cadence, and writes nothing', async () => {
    const county = await env().signIn('county', COUNTY);
    const before = await countRows(env());
    const { cadence: _cadence, ...withoutCadence } = buildPolicy();
    const res = await county.post('/api/policies', withoutCadence);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('cadence');
    expect(res.json().error.message).toContain('探访频次');
    expect(await countRows(env())).toEqual(before);
  });

  it('refuses an effective date before today, on a new policy and on a new version', async () => {
    const county = await env().signIn('county', COUNTY);
    const before = await countRows(env());
    const res = await county.post('/api/policies', buildPolicy({ effectiveFrom: inDays(-1) }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      field: 'effectiveFrom',
      message: '生效日期不能早于今天（规则变更不改写既往周期）',
    });
    expect(await countRows(env())).toEqual(before);
    const policy = (await county.post('/api/policies', buildPolicy())).json() as PolicyDto;
    const version = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ effectiveFrom: inDays(-30) }),
    );
    expect(version.statusCode).toBe(400);
    expect(version.json().error.field).toBe('effectiveFrom');
  });

  it('refuses an unknown form, a village as region and a region outside the jurisdiction', async () => {
    const county = await env().signIn('county', COUNTY);
    const before = await countRows(env());
    const template = await county.post(
      '/api/policies',
      buildPolicy({ templateKey: 'shenyang-2030' }),
    );
    expect(template.statusCode).toBe(400);
    expect(template.json().error.field).toBe('templateKey');
    expect(template.json().error.message).toContain('dandong-2023');
    const village = await county.post('/api/policies', buildPolicy({ regionCode: DONGCHA }));
    expect(village.statusCode).toBe(400);
    expect(village.json().error.field).toBe('regionCode');
    const missing = await county.post('/api/policies', buildPolicy({ regionCode: '210624999' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toBe('区划代码 210624999 不存在');
    const outside = await county.post('/api/policies', buildPolicy({ regionCode: OTHER_COUNTY }));
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.message).toBe('适用区域 210681 不在您的辖区内');
    const above = await county.post('/api/policies', buildPolicy({ regionCode: CITY }));
    expect(above.statusCode).toBe(403);
    expect(await countRows(env())).toEqual(before);
  });

  it('retires a policy from a date with a last version, and refuses to retire it twice', async () => {
    const county = await env().signIn('county', COUNTY);
    const policy = (
      await county.post(
        '/api/policies',
        buildPolicy({ name: '将停用的规则', regionCode: OTHER_TOWNSHIP }),
      )
    ).json() as PolicyDto;
    const res = await county.post(`/api/policies/${policy.id}/retire`, {
      effectiveFrom: inDays(1),
      note: '并入县级规则',
    });
    expect(res.statusCode, res.body).toBe(200);
    const retiring = res.json() as PolicyDto;
    expect(retiring.versions[0]).toMatchObject({
      version: 2,
      retired: true,
      effectiveFrom: inDays(1),
      name: '将停用的规则',
      cadence: { kind: 'monthly' },
      note: '并入县级规则',
    });
    // Still in force today; retired from tomorrow.
    expect(retiring.current?.version).toBe(1);
    const again = await county.post(`/api/policies/${policy.id}/retire`, {
      effectiveFrom: inDays(2),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('policy_retired');
    // A version on the day of the retirement would share its date: one version per date.
    const sameDay = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ effectiveFrom: inDays(1) }),
    );
    expect(sameDay.statusCode).toBe(409);
    expect(sameDay.json().error.code).toBe('version_date_taken');
  });

  it('switches the current version on its date and shows none once retired', async () => {
    const county = await env().signIn('county', COUNTY);
    const later = (
      await county.post(
        '/api/policies',
        buildPolicy({ name: '明日生效', effectiveFrom: inDays(1) }),
      )
    ).json() as PolicyDto;
    expect(later.current).toBeNull();
    expect(later.versions).toHaveLength(1);

    // A policy in force since last month (its first version dated back, as time would have done).
    const policy = (
      await county.post('/api/policies', buildPolicy({ name: '上月起每月探访' }))
    ).json() as PolicyDto;
    await env()
      .database.db.updateTable('visit_policy_versions')
      .set({ effective_from: inDays(-40) })
      .where('policy_id', '=', policy.id)
      .execute();
    const changed = await county.post(
      `/api/policies/${policy.id}/versions`,
      buildVersion({ name: '今日起每周探访', cadence: { kind: 'weekly' } }),
    );
    expect(changed.json().current).toMatchObject({ version: 2, name: '今日起每周探访' });
    expect(changed.json().versions[1]).toMatchObject({ version: 1, effectiveFrom: inDays(-40) });
    const retired = await county.post(`/api/policies/${policy.id}/retire`, {
      effectiveFrom: inDays(1),
    });
    expect(retired.json().current.version).toBe(2);
    // A day later: version 2 took effect yesterday, the retirement today.
    await env()
      .database.db.updateTable('visit_policy_versions')
      .set({ effective_from: inDays(-1) })
      .where('policy_id', '=', policy.id)
      .where('version', '=', 2)
      .execute();
    await env()
      .database.db.updateTable('visit_policy_versions')
      .set({ effective_from: todayIso() })
      .where('policy_id', '=', policy.id)
      .where('version', '=', 3)
      .execute();
    const now = (await county.get(`/api/policies/${policy.id}`)).json() as PolicyDto;
    expect(now.current).toBeNull();
    expect(now.versions.map((v) => v.retired)).toEqual([true, false, false]);
  });

  it('lists the presets with their sources', async () => {
    const village = await env().signIn('village', DONGCHA);
    const res = await village.get('/api/policies/presets');
    expect(res.statusCode).toBe(200);
    const presets = res.json() as { key: string; source: string; policies: unknown[] }[];
    expect(presets.map((p) => p.key)).toEqual(['national-2022', 'dandong-2023', 'anshan-2020']);
    expect(presets.find((p) => p.key === 'dandong-2023')!.source).toContain('丹民发〔2023〕61号');
    const visitor = await env().signIn('visitor', DONGCHA);
    expect((await visitor.get('/api/policies/presets')).statusCode).toBe(403);
  });

  it('applies dandong-2023 as one monthly policy, and refuses to apply it twice', async () => {
    const county = await env().signIn('county', COUNTY);
    const res = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: TOWNSHIP,
      effectiveFrom: todayIso(),
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as PolicyDto[];
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      preset: 'dandong-2023',
      region: { code: TOWNSHIP, fullName: '辽宁省丹东市宽甸满族自治县灌水镇' },
      current: {
        version: 1,
        name: '特殊困难老年人每月探访',
        cadence: { kind: 'monthly' },
        countedMethods: ['in_person', 'phone', 'video', 'other'],
        templateKey: 'dandong-2023',
      },
    });
    const before = await countRows(env());
    const twice = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: TOWNSHIP,
      effectiveFrom: inDays(30),
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('preset_already_applied');
    expect(twice.json().error.message).toContain('灌水镇');
    expect(await countRows(env())).toEqual(before);
    const audits = await env()
      .database.db.selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('entity_id', '=', created[0]!.id)
      .execute();
    expect(audits).toEqual([{ action: 'policy.preset', region_code: TOWNSHIP }]);
  });

  it('applies national-2022 as three policies, one per tier', async () => {
    const city = await env().signIn('city', CITY);
    const res = await city.post('/api/policies/presets/national-2022/apply', {
      regionCode: OTHER_COUNTY,
      effectiveFrom: inDays(1),
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as PolicyDto[];
    expect(
      created.map((p) => [
        p.versions[0]!.tiers,
        p.versions[0]!.cadence.kind,
        p.versions[0]!.inPersonEvery,
      ]),
    ).toEqual([
      [['high_risk'], 'weekly', 'month'],
      [['key'], 'monthly', 'quarter'],
      [['general'], 'quarterly', null],
    ]);
    for (const p of created) {
      expect(p.preset).toBe('national-2022');
      expect(p.current).toBeNull(); // from tomorrow
    }
  });

  it('lets a preset be applied again once the first application is retired', async () => {
    const county = await env().signIn('county', COUNTY);
    const first = (
      await county.post('/api/policies/presets/anshan-2020/apply', {
        regionCode: OTHER_TOWNSHIP,
        effectiveFrom: todayIso(),
      })
    ).json() as PolicyDto[];
    expect(first).toHaveLength(1);
    await county.post(`/api/policies/${first[0]!.id}/retire`, { effectiveFrom: inDays(7) });
    // Overlapping the first application (still in force until day 7): refused.
    const overlapping = await county.post('/api/policies/presets/anshan-2020/apply', {
      regionCode: OTHER_TOWNSHIP,
      effectiveFrom: inDays(3),
    });
    expect(overlapping.statusCode).toBe(409);
    const after = await county.post('/api/policies/presets/anshan-2020/apply', {
      regionCode: OTHER_TOWNSHIP,
      effectiveFrom: inDays(7),
    });
    expect(after.statusCode, after.body).toBe(201);
  });

  it('refuses a preset for a region the user does not govern, writing nothing', async () => {
    const county = await env().signIn('county', COUNTY);
    const before = await countRows(env());
    const res = await county.post('/api/policies/presets/national-2022/apply', {
      regionCode: '210681101',
      effectiveFrom: todayIso(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      field: 'regionCode',
      message: '适用区域 210681101 不在您的辖区内',
    });
    const unknown = await county.post('/api/policies/presets/beijing-2030/apply', {
      regionCode: COUNTY,
      effectiveFrom: todayIso(),
    });
    expect(unknown.statusCode).toBe(404);
    const backdated = await county.post('/api/policies/presets/national-2022/apply', {
      regionCode: COUNTY,
      effectiveFrom: inDays(-1),
    });
    expect(backdated.statusCode).toBe(400);
    expect(backdated.json().error.field).toBe('effectiveFrom');
    expect(await countRows(env())).toEqual(before);
  });

  it('lists a region’s policies with those above it, and 404 for a region outside the jurisdiction', async () => {
    const county = await env().signIn('county', COUNTY);
    const mine = (
      await county.post(
        '/api/policies',
        buildPolicy({ regionCode: OTHER_TOWNSHIP, name: '硼海镇规则' }),
      )
    ).json();
    const township = await env().signIn('township', TOWNSHIP);
    const list = (await township.get('/api/policies')).json() as PolicyDto[];
    expect(list.length).toBeGreaterThan(0);
    for (const p of list)
      expect(TOWNSHIP.startsWith(p.region.code) || p.region.code.startsWith(TOWNSHIP)).toBe(true);
    expect(list.map((p) => p.id)).not.toContain(mine.id);
    expect((await township.get(`/api/policies/${mine.id}`)).statusCode).toBe(404);
    expect((await township.get(`/api/policies?region=${OTHER_TOWNSHIP}`)).statusCode).toBe(404);
    const forRegion = (
      await county.get(`/api/policies?region=${OTHER_TOWNSHIP}`)
    ).json() as PolicyDto[];
    expect(forRegion.map((p) => p.id)).toContain(mine.id);
    expect(forRegion.some((p) => p.region.code === TOWNSHIP)).toBe(false);
    const bad = await county.get('/api/policies?region=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('region');
  });

  it('gives the schedule engine every version of the policies that apply to given regions', async () => {
    const city = await env().signIn('city', CITY);
    const county = await env().signIn('county', COUNTY);
    const other = await env().signIn('county', OTHER_COUNTY);
    const cityP = (
      await city.post('/api/policies', buildPolicy({ regionCode: CITY, name: '规则-市' }))
    ).json();
    const countyP = (await county.post('/api/policies', buildPolicy({ name: '规则-县' }))).json();
    const townP = (
      await county.post('/api/policies', buildPolicy({ regionCode: TOWNSHIP, name: '规则-镇' }))
    ).json();
    const siblingP = (
      await county.post(
        '/api/policies',
        buildPolicy({ regionCode: OTHER_TOWNSHIP, name: '规则-邻镇' }),
      )
    ).json();
    const otherP = (
      await other.post(
        '/api/policies',
        buildPolicy({ regionCode: OTHER_COUNTY, name: '规则-东港' }),
      )
    ).json();
    await county.post(`/api/policies/${townP.id}/retire`, { effectiveFrom: inDays(20) });

    const db = env().database.db;
    const forDongcha = await listPolicyRulesFor(db, [DONGCHA]);
    const ids = new Set(forDongcha.map((r) => r.policyId));
    expect(ids.has(cityP.id) && ids.has(countyP.id) && ids.has(townP.id)).toBe(true);
    expect(ids.has(siblingP.id) || ids.has(otherP.id)).toBe(false);
    expect(forDongcha.filter((r) => r.policyId === townP.id)).toEqual([
      {
        policyId: townP.id,
        version: 1,
        regionCode: TOWNSHIP,
        effectiveFrom: todayIso(),
        retired: false,
        name: '规则-镇',
        tiers: ['key'],
        categories: [],
        cadence: { kind: 'monthly' },
        countedMethods: ['in_person', 'phone'],
        inPersonEvery: 'quarter',
        templateKey: 'dandong-2023',
        entryGraceDays: 3,
      },
      expect.objectContaining({ version: 2, retired: true, effectiveFrom: inDays(20) }),
    ]);
    const both = new Set(
      (await listPolicyRulesFor(db, [DONGCHA, '210681101201'])).map((r) => r.policyId),
    );
    expect(both.has(otherP.id) && both.has(townP.id)).toBe(true);
    expect(both.has(siblingP.id)).toBe(false);
    expect(await listPolicyRulesFor(db, [])).toEqual([]);

    const within = new Set((await listPolicyRulesWithin(db, COUNTY)).map((r) => r.policyId));
    expect([cityP.id, countyP.id, townP.id, siblingP.id].every((id) => within.has(id))).toBe(true);
    expect(within.has(otherP.id)).toBe(false);
  });
});
