import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/harness.js';
import { DONGCHA, GUJIATUN, buildElder, idNumber } from '../../test/factories.js';

describeEachDatabase('the elder ledger', (env) => {
  it('registers an elder with every section of the form, deriving categories and tier', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({
      idNumber: idNumber('19400315'),
      disability: { disabled: true, certificateNumber: '21062419400315002X42', grade: 1 },
      householdMembers: [],
      caregiver: { name: '赵玉兰', relation: '邻居', phone: '13904150003', address: '东岔村三组' },
      help: [
        { unitType: 'township_village', responsiblePerson: '张书记', measures: '每月上门代购' },
      ],
    });
    const res = await village.post('/api/elders', input);
    expect(res.statusCode, res.body).toBe(201);
    const elder = res.json();
    expect(elder).toMatchObject({
      name: '王秀英',
      gender: 'female',
      status: 'active',
      version: 1,
    });
    expect(elder.age).toBeGreaterThanOrEqual(86);
    expect(elder.categories).toEqual(
      expect.arrayContaining(['left_behind', 'severely_disabled', 'very_old']),
    );
    expect(
      elder.findings.find((f: { category: string }) => f.category === 'severely_disabled').why,
    ).toContain('一级');
    expect(elder.tier).toBe('high_risk');
    expect(elder.village.fullName).toBe('辽宁省丹东市宽甸满族自治县灌水镇东岔村委会');
    // Personal numbers are masked everywhere in the record.
    expect(elder.idNumberMasked).toMatch(/^210624\*{8}\d{3}[\dX]$/);
    expect(elder.data.idNumber).toBe(elder.idNumberMasked);
    expect(elder.data.phone).toBe('139****0001');
    expect(elder.data.caregiver.phone).toBe('139****0003');
    expect(elder.data.supporters[0].phone).toBe('139****0002');
    expect(res.body).not.toContain(input.idNumber);
    expect(res.body).not.toContain('13904150001');
    expect(elder.statusHistory).toEqual([
      expect.objectContaining({
        status: 'active',
        effectiveDate: '2026-11-01',
        villageCode: DONGCHA,
      }),
    ]);
  });

  it('stores ID and phone numbers encrypted', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({ name: '密文测试' });
    const id = (await village.post('/api/elders', input)).json().id;
    const row = await env()
      .database.db.selectFrom('elders')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(input.idNumber);
    expect(raw).not.toContain('13904150001');
    expect(raw).not.toContain('13904150002');
    expect(row.id_enc).toMatch(/^v1:/);
  });

  it('refuses someone aged 59, a wrong check digit and a future birth date, writing nothing', async () => {
    const village = await env().signIn('village', DONGCHA);
    const before = await env().database.db.selectFrom('elders').select('id').execute();
    const young = await village.post(
      '/api/elders',
      buildElder({ idNumber: idNumber('19661123'), recordDate: '2026-11-22' }),
    );
    expect(young.statusCode).toBe(400);
    expect(young.json().error).toMatchObject({ field: 'idNumber' });
    expect(young.json().error.message).toContain('未满 60 周岁');
    const good = idNumber('19480315');
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const bad = await village.post('/api/elders', buildElder({ idNumber: wrongCheck }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('校验码错误');
    const future = await village.post(
      '/api/elders',
      buildElder({ idNumber: idNumber('20300101') }),
    );
    expect(future.statusCode).toBe(400);
    expect(future.json().error.field).toBe('idNumber');
    expect((await env().database.db.selectFrom('elders').select('id').execute()).length).toBe(
      before.length,
    );
  });

  it('refuses a village that does not exist or lies outside the jurisdiction', async () => {
    const village = await env().signIn('village', DONGCHA);
    const outside = await village.post('/api/elders', buildElder({ villageCode: GUJIATUN }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatchObject({
      field: 'villageCode',
      message: '居住地不在您的辖区内',
    });
    const township = await env().signIn('township', '210624101');
    const unknown = await township.post('/api/elders', buildElder({ villageCode: '210624101999' }));
    expect(unknown.json().error).toMatchObject({
      field: 'villageCode',
      message: '村(居)代码 210624101999 不存在',
    });
  });

  it('refuses a second record with the same ID number, naming where the first is', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({ name: '重复者' });
    expect((await village.post('/api/elders', input)).statusCode).toBe(201);
    const again = await village.post('/api/elders', {
      ...input,
      idNumber: input.idNumber!.toLowerCase(),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain(
      '该身份证号已登记：辽宁省丹东市宽甸满族自治县灌水镇东岔村委会 的 重复者',
    );
    const other = await env().signIn('admin', '210681');
    const elsewhere = await other.post('/api/elders', { ...input, villageCode: GUJIATUN });
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json().error.message).toBe(
      '该身份证号已在您辖区以外登记，请联系上级民政部门核实',
    );
  });

  it('warns of a likely duplicate: same name and birth date in one township', async () => {
    const township = await env().signIn('township', '210624101');
    const a = (
      await township.post(
        '/api/elders',
        buildElder({ name: '刘淑珍', idNumber: idNumber('19450601') }),
      )
    ).json();
    const b = (
      await township.post(
        '/api/elders',
        buildElder({ name: '刘淑珍', idNumber: idNumber('19450601'), villageCode: '210624101202' }),
      )
    ).json();
    expect(b.possibleDuplicates.map((d: { id: string }) => d.id)).toEqual([a.id]);
  });

  it('lists masked, filters by category, tier and status, and finds by pinyin initials', async () => {
    const village = await env().signIn('village', DONGCHA);
    await village.post('/api/elders', buildElder({ name: '张三', idNumber: idNumber('19300101') }));
    const list = await village.get(`/api/elders?q=zs&pageSize=50`);
    expect(list.statusCode).toBe(200);
    const found = list.json().items.find((e: { name: string }) => e.name === '张三');
    expect(found).toMatchObject({
      categories: expect.arrayContaining(['very_old']),
      status: 'active',
    });
    expect(found.idNumberMasked).toContain('********');
    expect(
      (await village.get(`/api/elders?q=${encodeURIComponent('张三')}`))
        .json()
        .items.map((e: { name: string }) => e.name),
    ).toContain('张三');
    const veryOld = await village.get('/api/elders?category=very_old&pageSize=200');
    for (const e of veryOld.json().items) expect(e.categories).toContain('very_old');
    const bad = await village.get('/api/elders?tier=urgent');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('tier');
  });

  it('changes fields with the version it read, refusing a stale version', async () => {
    const village = await env().signIn('village', DONGCHA);
    const elder = (await village.post('/api/elders', buildElder({ name: '改动测试' }))).json();
    const ok = await village.patch(`/api/elders/${elder.id}`, {
      version: 1,
      health: 'disabled',
      diseases: '脑梗后遗症',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      version: 2,
      data: { health: 'disabled', diseases: '脑梗后遗症' },
    });
    expect(ok.json().categories).toContain('incapacitated');
    const stale = await village.patch(`/api/elders/${elder.id}`, {
      version: 1,
      diseases: '高血压',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('version_conflict');
    const idChange = await village.patch(`/api/elders/${elder.id}`, {
      version: 2,
      idNumber: idNumber(),
    });
    expect(idChange.statusCode).toBe(400);
    expect(idChange.json().error.field).toBe('idNumber');
    const got = (await village.get(`/api/elders/${elder.id}`)).json();
    expect(got.changes.map((c: { action: string }) => c.action)).toEqual([
      'elder.create',
      'elder.update',
    ]);
    expect(got.changes[1].fields).toEqual(['health', 'diseases']);
  });

  it('moves an elder to another village, keeping the history and changing who sees the record', async () => {
    const village = await env().signIn('village', DONGCHA);
    const elder = (await village.post('/api/elders', buildElder({ name: '迁移者' }))).json();
    const county = await env().signIn('county', '210624');
    const moved = await county.post(`/api/elders/${elder.id}/status`, {
      status: 'moved',
      effectiveDate: '2026-11-10',
      villageCode: GUJIATUN,
      note: '随子女迁往东港',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    // The mover no longer sees the record, only where it went.
    expect(moved.json()).toEqual({
      id: elder.id,
      movedOutOfJurisdiction: true,
      village: expect.objectContaining({ code: GUJIATUN }),
    });
    expect((await county.get(`/api/elders/${elder.id}`)).statusCode).toBe(404);
    expect((await village.get(`/api/elders/${elder.id}`)).statusCode).toBe(404);
    const donggang = await env().signIn('admin', '210681');
    const seen = (await donggang.get(`/api/elders/${elder.id}`)).json();
    expect(seen).toMatchObject({
      status: 'active',
      statusSince: '2026-11-10',
      village: { code: GUJIATUN },
    });
    expect(
      seen.statusHistory.map((h: { status: string; villageCode: string }) => [
        h.status,
        h.villageCode,
      ]),
    ).toEqual([
      ['active', DONGCHA],
      ['moved', DONGCHA],
      ['active', GUJIATUN],
    ]);
  });

  it('records institution, hospital and death with effective dates; nothing is deleted', async () => {
    const village = await env().signIn('village', DONGCHA);
    const elder = (await village.post('/api/elders', buildElder({ name: '状态测试' }))).json();
    const h = await village.post(`/api/elders/${elder.id}/status`, {
      status: 'hospital',
      effectiveDate: '2026-11-05',
    });
    expect(h.json()).toMatchObject({ status: 'hospital', statusSince: '2026-11-05' });
    const early = await village.post(`/api/elders/${elder.id}/status`, {
      status: 'active',
      effectiveDate: '2026-11-02',
    });
    expect(early.json().error.field).toBe('effectiveDate');
    const d = await village.post(`/api/elders/${elder.id}/status`, {
      status: 'deceased',
      effectiveDate: '2026-11-08',
    });
    expect(d.json().statusHistory.map((s: { status: string }) => s.status)).toEqual([
      'active',
      'hospital',
      'deceased',
    ]);
    const after = await village.post(`/api/elders/${elder.id}/status`, {
      status: 'active',
      effectiveDate: '2026-11-09',
    });
    expect(after.json().error.message).toBe('已故人员的状态不能再变更');
    expect((await village.get(`/api/elders/${elder.id}`)).statusCode).toBe(200);
  });

  it('reveals full numbers only to entitled roles, on request with a reason, and logs it', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({ name: '查看号码' });
    const elder = (await village.post('/api/elders', input)).json();
    const noReason = await village.post(`/api/elders/${elder.id}/reveal`, {});
    expect(noReason.json().error.field).toBe('reason');
    const res = await village.post(`/api/elders/${elder.id}/reveal`, {
      reason: '办理高龄津贴申请',
    });
    expect(res.json()).toMatchObject({
      idNumber: input.idNumber,
      phone: '13904150001',
      emergencyContactPhone: '13904150002',
    });
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'elder.reveal')
      .where('entity_id', '=', elder.id)
      .executeTakeFirstOrThrow();
    expect(logged.detail).toEqual({ reason: '办理高龄津贴申请' });
    const city = await env().signIn('city', '2106');
    expect((await city.post(`/api/elders/${elder.id}/reveal`, { reason: '查看' })).statusCode).toBe(
      403,
    );
    expect((await city.get(`/api/elders/${elder.id}`)).statusCode).toBe(200);
  });

  it('keeps numbers sent back masked, clears optional fields sent as null, and never shows the birth date unrevealed', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({
      name: '掩码往返',
      caregiver: { name: '赵玉兰', relation: '邻居', phone: '13904150003' },
      tierOverride: { tier: 'high_risk', reason: '独自居住在山上' },
    });
    const elder = (await village.post('/api/elders', input)).json();
    expect(elder.birthDate).toBeUndefined();
    expect(elder.tierInfo.override).toBeDefined();
    // The client sends back what it was shown: masked numbers in the emergency contact and supporters.
    const res = await village.patch(`/api/elders/${elder.id}`, {
      version: 1,
      phone: elder.data.phone,
      emergencyContact: { ...elder.data.emergencyContact, relation: '长子' },
      supporters: elder.data.supporters,
      caregiver: null,
      tierOverride: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json();
    expect(after.data.caregiver).toBeUndefined();
    expect(after.tierInfo.override).toBeUndefined();
    expect(after.data.emergencyContact.relation).toBe('长子');
    const revealed = (
      await village.post(`/api/elders/${elder.id}/reveal`, { reason: '核对' })
    ).json();
    expect(revealed).toMatchObject({
      idNumber: input.idNumber,
      birthDate: '1948-03-15',
      phone: '13904150001',
      emergencyContactPhone: '13904150002',
      supporters: [{ phone: '13904150002' }],
    });
    const list = (await village.get(`/api/elders?q=${encodeURIComponent('掩码往返')}`)).json();
    expect(list.items[0].birthDate).toBeUndefined();
    expect(after.changes.at(-1).fields).toEqual([
      'phone',
      'emergencyContact',
      'supporters',
      'caregiver',
      'tierOverride',
    ]);
    // A required field cannot be cleared.
    const noName = await village.patch(`/api/elders/${elder.id}`, { version: 2, name: null });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().error.field).toBe('name');
  });
});
