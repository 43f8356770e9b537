import { ENTITLEMENT_TOLD_REASON } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, GUJIATUN, buildElder, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

describeEachDatabase('entitlement hints (权益提示)', (env) => {
  let village: Client;
  let elderId: string;
  let plainId: string;
  let otherCountyElder: string;

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    // 84, 特困, grade-1 disability, receiving only the pension.
    const elder = await village.post(
      '/api/elders',
      buildElder({
        name: '李凤芝',
        idNumber: idNumber('19420510'),
        disability: { disabled: true, certificateNumber: '21062419420510102X11', grade: 1 },
        assistance: 'extreme_poverty',
      }),
    );
    expect(elder.statusCode, elder.body).toBe(201);
    elderId = elder.json().id;
    plainId = (await village.post('/api/elders', buildElder({ name: '王秀英' }))).json().id;
    const other = await env().signIn('village', GUJIATUN);
    otherCountyElder = (
      await other.post('/api/elders', buildElder({ name: '东港老人', villageCode: GUJIATUN }))
    ).json().id;
  });

  it('names each rule the ledger suggests, asking staff to tell the elder to apply', async () => {
    const res = await village.get(`/api/elders/${elderId}/entitlement-hints`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((h: { name: string }) => h.name)).toEqual([
      '重残未享受残疾人两项补贴',
      '高龄未享受高龄津贴',
      '特困人员未登记救助供养',
    ]);
    for (const h of res.json().items) expect(h.message).toContain('告知其依法申请');
    expect(res.json().dismissedCount).toBe(0);
    expect((await village.get(`/api/elders/${plainId}/entitlement-hints`)).json().items).toEqual(
      [],
    );
  });

  it('drops a dismissed hint, and shows it with the reason and who when asked', async () => {
    const missing = await village.post(`/api/elders/${elderId}/entitlement-hints/dismissals`, {
      rule: 'old_age_allowance',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('reason');
    const told = await village.post(`/api/elders/${elderId}/entitlement-hints/dismissals`, {
      rule: 'old_age_allowance',
      reason: ENTITLEMENT_TOLD_REASON,
    });
    expect(told.statusCode, told.body).toBe(201);
    const now = await village.get(`/api/elders/${elderId}/entitlement-hints`);
    expect(now.json().items.map((h: { rule: string }) => h.rule)).toEqual([
      'severe_disability_subsidy',
      'extreme_poverty_support',
    ]);
    expect(now.json()).toMatchObject({ dismissed: [], dismissedCount: 1 });
    const all = await village.get(`/api/elders/${elderId}/entitlement-hints?dismissed=true`);
    expect(all.json().dismissed).toEqual([
      expect.objectContaining({
        rule: 'old_age_allowance',
        name: '高龄未享受高龄津贴',
        dismissed: expect.objectContaining({
          reason: '已告知其依法申请',
          by: village.user.display_name,
        }),
      }),
    ]);
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'entitlement.dismiss')
      .where('entity_id', '=', elderId)
      .execute();
    expect(logged.map((l) => l.detail)).toEqual([
      { rule: 'old_age_allowance', reason: '已告知其依法申请' },
    ]);
  });

  it('refuses to dismiss a hint that does not apply, and an unknown rule, naming the field', async () => {
    const res = await village.post(`/api/elders/${plainId}/entitlement-hints/dismissals`, {
      rule: 'old_age_allowance',
      reason: '不适用',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'hint_not_applicable', field: 'rule' });
    const unknown = await village.post(`/api/elders/${plainId}/entitlement-hints/dismissals`, {
      rule: 'free_lunch',
      reason: '不适用',
    });
    expect(unknown.json().error).toMatchObject({
      field: 'rule',
      message: '输入有误：rule：提示规则不存在',
    });
    const stored = await env()
      .database.db.selectFrom('entitlement_dismissals')
      .selectAll()
      .execute();
    expect(stored.map((d) => d.rule)).toEqual(['old_age_allowance']);
  });

  it('gives another county’s elder as 404, and a city reader may look but not dismiss', async () => {
    expect(
      (await village.get(`/api/elders/${otherCountyElder}/entitlement-hints`)).statusCode,
    ).toBe(404);
    const city = await env().signIn('city', '2106');
    expect((await city.get(`/api/elders/${elderId}/entitlement-hints`)).statusCode).toBe(200);
    const res = await city.post(`/api/elders/${elderId}/entitlement-hints/dismissals`, {
      rule: 'extreme_poverty_support',
      reason: '已核实',
    });
    expect(res.statusCode).toBe(403);
  });
});
