import { todayIso } from '@tanfang/domain';
import { expect, it } from 'vitest';
import { DONGCHA, GUJIATUN, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { Vault } from '../../crypto.js';
import { TEST_KEY, describeEachDatabase, type Client } from '../../test/harness.js';

const LONGZHAOGOU = '210624101202';
const TOWNSHIP = '210624101';

/** Registers a visitor and returns the response body. */
async function register(client: Client, overrides: Parameters<typeof buildVisitor>[0] = {}) {
  const res = await client.post('/api/visitors', buildVisitor(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describeEachDatabase('the visitor registry', (env) => {
  it('registers a visitor, showing the phone and ID number masked and storing them encrypted', async () => {
    const village = await env().signIn('village', DONGCHA);
    const id = idNumber('19800101', '210624', 'male');
    const res = await village.post(
      '/api/visitors',
      buildVisitor({ name: '赵德胜', type: 'grid_worker', idNumber: id, phone: '13904150111' }),
    );
    expect(res.statusCode, res.body).toBe(201);
    const visitor = res.json();
    expect(visitor).toMatchObject({
      name: '赵德胜',
      type: 'grid_worker',
      phoneMasked: '139****0111',
      status: 'active',
      leftOn: null,
      user: null,
      activeAssignments: { primary: 0, backup: 0 },
      version: 1,
      region: { code: DONGCHA, fullName: '辽宁省丹东市宽甸满族自治县灌水镇东岔村委会' },
    });
    expect(visitor.idNumberMasked).toBe(`${id.slice(0, 6)}********${id.slice(14)}`);
    expect(res.body).not.toContain(id);
    expect(res.body).not.toContain('13904150111');
    const row = await env()
      .database.db.selectFrom('visitors')
      .selectAll()
      .where('id', '=', visitor.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('13904150111');
    expect(JSON.stringify(row)).not.toContain(id);
    expect(new Vault(TEST_KEY).decrypt(row.phone_enc!)).toBe('13904150111');
    const got = await village.get(`/api/visitors/${visitor.id}`);
    expect(got.json()).toEqual(visitor);
  });

  it('refuses a second visitor with the same ID number, naming the one registered', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const id = idNumber('19750505');
    await register(township, { name: '孙桂芝', idNumber: id });
    const before = await env().database.db.selectFrom('visitors').select('id').execute();
    const again = await township.post(
      '/api/visitors',
      buildVisitor({ name: '孙桂芝', idNumber: id.toLowerCase(), regionCode: LONGZHAOGOU }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'duplicate_id_number', field: 'idNumber' });
    expect(again.json().error.message).toContain('该身份证号已登记为探访人员：孙桂芝');
    expect((await env().database.db.selectFrom('visitors').select('id').execute()).length).toBe(
      before.length,
    );
  });

  it('refuses an area outside the jurisdiction, an unknown area and a missing phone', async () => {
    const village = await env().signIn('village', DONGCHA);
    const outside = await village.post('/api/visitors', buildVisitor({ regionCode: LONGZHAOGOU }));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatchObject({
      field: 'regionCode',
      message: '负责区域不在您的辖区内',
    });
    const township = await env().signIn('township', TOWNSHIP);
    const unknown = await township.post(
      '/api/visitors',
      buildVisitor({ regionCode: '210624101299' }),
    );
    expect(unknown.json().error).toMatchObject({
      field: 'regionCode',
      message: '区划代码 210624101299 不存在',
    });
    const { phone: _phone, ...noPhone } = buildVisitor();
    const missing = await village.post('/api/visitors', noPhone);
    expect(missing.json().error).toMatchObject({
      field: 'phone',
      message: '输入有误：phone：请填写联系电话',
    });
  });

  it('lists the visitors of the jurisdiction, found by a part of the name, type and status', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    await register(township, { name: '钱玉珍', type: 'volunteer', phone: '13904150121' });
    await register(township, {
      name: '钱玉山',
      type: 'social_worker',
      phone: '13904150122',
      regionCode: TOWNSHIP,
    });
    const all = await township.get(`/api/visitors?q=${encodeURIComponent('钱玉')}`);
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((v: { name: string }) => v.name)).toEqual(['钱玉山', '钱玉珍']);
    expect(all.json().items[0].region.fullName).toBe('辽宁省丹东市宽甸满族自治县灌水镇');
    expect(all.json().items[0].phoneMasked).toBe('139****0122');
    const volunteers = await township.get(
      `/api/visitors?q=${encodeURIComponent('钱玉')}&type=volunteer&status=active`,
    );
    expect(volunteers.json()).toMatchObject({ total: 1, items: [{ name: '钱玉珍' }] });
    // A village sees its own visitors, not the township's.
    const village = await env().signIn('village', DONGCHA);
    const mine = await village.get(`/api/visitors?q=${encodeURIComponent('钱玉')}`);
    expect(mine.json().items.map((v: { name: string }) => v.name)).toEqual(['钱玉珍']);
    expect((await village.get(`/api/visitors?region=${LONGZHAOGOU}`)).statusCode).toBe(404);
    const bad = await village.get('/api/visitors?type=police');
    expect(bad.json().error.field).toBe('type');
  });

  it('changes fields with the version read, keeps a masked number sent back, and refuses a stale version', async () => {
    const village = await env().signIn('village', DONGCHA);
    const id = idNumber('19790909');
    const visitor = await register(village, {
      name: '周建国',
      phone: '13904150131',
      idNumber: id,
    });
    const ok = await village.patch(`/api/visitors/${visitor.id}`, {
      version: 1,
      name: '周建国',
      phone: visitor.phoneMasked,
      idNumber: visitor.idNumberMasked,
      type: 'neighbour',
      note: '住在老人隔壁',
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({
      version: 2,
      type: 'neighbour',
      note: '住在老人隔壁',
      phoneMasked: '139****0131',
      idNumberMasked: visitor.idNumberMasked,
    });
    const phone = await village.patch(`/api/visitors/${visitor.id}`, {
      version: 2,
      phone: '13904150139',
      note: null,
    });
    expect(phone.json()).toMatchObject({ version: 3, phoneMasked: '139****0139', note: null });
    const stale = await village.patch(`/api/visitors/${visitor.id}`, {
      version: 2,
      name: '周建军',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', field: 'version' });
    expect((await village.get(`/api/visitors/${visitor.id}`)).json().name).toBe('周建国');
    const noVersion = await village.patch(`/api/visitors/${visitor.id}`, { name: '周' });
    expect(noVersion.json().error.field).toBe('version');
  });

  it('links a 探访人员 account, refuses other roles and other villages naming userId, and unlinks with null', async () => {
    const village = await env().signIn('village', DONGCHA);
    const visitor = await register(village, { name: '吴秀兰', phone: '13904150141' });
    const account = await env().createUser('visitor', DONGCHA, { display_name: '吴秀兰' });
    const linked = await village.patch(`/api/visitors/${visitor.id}`, {
      version: 1,
      userId: account.id,
    });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().user).toEqual({
      id: account.id,
      username: account.username,
      displayName: '吴秀兰',
    });

    const cadre = await env().createUser('village', DONGCHA);
    const wrongRole = await village.post(
      '/api/visitors',
      buildVisitor({ name: '郑军', userId: cadre.id }),
    );
    expect(wrongRole.statusCode).toBe(400);
    expect(wrongRole.json().error.field).toBe('userId');
    expect(wrongRole.json().error.message).toContain('角色不是“探访人员”');

    const elsewhere = await env().createUser('visitor', LONGZHAOGOU);
    const wrongPlace = await village.post(
      '/api/visitors',
      buildVisitor({ name: '郑军', userId: elsewhere.id }),
    );
    expect(wrongPlace.statusCode).toBe(400);
    expect(wrongPlace.json().error.field).toBe('userId');

    const twice = await village.post(
      '/api/visitors',
      buildVisitor({ name: '郑军', userId: account.id }),
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toMatchObject({ code: 'user_already_linked', field: 'userId' });
    expect(twice.json().error.message).toContain('吴秀兰');

    const unlinked = await village.patch(`/api/visitors/${visitor.id}`, {
      version: 2,
      userId: null,
    });
    expect(unlinked.json()).toMatchObject({ user: null, version: 3 });
  });

  it('offers village staff the 探访人员 accounts of the area to link, saying which are taken', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const free = await env().createUser('visitor', LONGZHAOGOU, { display_name: '龙爪沟探访员' });
    const taken = await env().createUser('visitor', LONGZHAOGOU, { display_name: '龙爪沟网格员' });
    const cadre = await env().createUser('village', LONGZHAOGOU); // not a 探访人员 account
    const faraway = await env().createUser('visitor', GUJIATUN); // another county
    const visitor = await register(township, {
      name: '龙爪沟网格员',
      phone: '13904150188',
      regionCode: LONGZHAOGOU,
      userId: taken.id,
    });
    const res = await township.get(`/api/visitors/accounts?region=${LONGZHAOGOU}`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as Array<{ id: string; linkedVisitor: { name: string } | null }>;
    const ids = items.map((i) => i.id);
    expect(ids).toEqual(expect.arrayContaining([free.id, taken.id]));
    expect(ids).not.toContain(cadre.id);
    expect(ids).not.toContain(faraway.id);
    expect(items.find((i) => i.id === taken.id)!.linkedVisitor).toEqual({
      id: visitor.id,
      name: '龙爪沟网格员',
    });
    expect(items.find((i) => i.id === free.id)!.linkedVisitor).toBeNull();
    const village = await env().signIn('village', DONGCHA);
    expect((await village.get(`/api/visitors/accounts?region=${LONGZHAOGOU}`)).statusCode).toBe(
      404,
    );
    expect((await village.get('/api/visitors/accounts?region=21')).json().error.field).toBe(
      'region',
    );
  });

  it('marks a visitor as left only once nobody depends on them', async () => {
    const village = await env().signIn('village', DONGCHA);
    const visitor = await register(village, { name: '冯志刚', phone: '13904150151' });
    const elder = (await village.post('/api/elders', buildElder({ name: '冯老太' }))).json();
    const assigned = await village.post('/api/assignments', {
      elderIds: [elder.id],
      visitorId: visitor.id,
      role: 'primary',
      startDate: '2026-11-02',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const busy = await village.post(`/api/visitors/${visitor.id}/leave`, { leftOn: todayIso() });
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error.message).toContain('仍负责 1 项探访分配');
    expect((await village.get(`/api/visitors/${visitor.id}`)).json().status).toBe('active');

    const assignment = assigned.json().created[0];
    await village.post(`/api/assignments/${assignment.id}/end`, {
      endDate: '2026-11-10',
      reason: '老人随子女外出',
    });
    const early = await village.post(`/api/visitors/${visitor.id}/leave`, {
      leftOn: '2026-11-05',
    });
    expect(early.json().error).toMatchObject({ field: 'leftOn' });
    const left = await village.post(`/api/visitors/${visitor.id}/leave`, {
      leftOn: '2026-11-12',
      note: '外出务工',
    });
    expect(left.statusCode, left.body).toBe(200);
    expect(left.json()).toMatchObject({ status: 'left', leftOn: '2026-11-12' });
    const again = await village.post(`/api/visitors/${visitor.id}/leave`, { leftOn: todayIso() });
    expect(again.statusCode).toBe(409);
    const reassigned = await village.post('/api/assignments', {
      elderIds: [elder.id],
      visitorId: visitor.id,
      role: 'primary',
    });
    expect(reassigned.statusCode).toBe(400);
    expect(reassigned.json().error).toMatchObject({
      field: 'visitorId',
      message: '探访人员 冯志刚 已离岗，不能再分配',
    });
    const lefts = await village.get(`/api/visitors?status=left`);
    expect(lefts.json().items.map((v: { name: string }) => v.name)).toContain('冯志刚');
  });

  it('lets city and auditor users read but not change, refuses the visitor role, and hides other villages’ visitors', async () => {
    const village = await env().signIn('village', DONGCHA);
    const visitor = await register(village, { name: '陈淑华', phone: '13904150161' });
    const city = await env().signIn('city', '2106');
    expect((await city.get(`/api/visitors/${visitor.id}`)).statusCode).toBe(200);
    expect((await city.post('/api/visitors', buildVisitor())).statusCode).toBe(403);
    const auditor = await env().signIn('auditor', '210624');
    expect((await auditor.get('/api/visitors')).statusCode).toBe(200);
    expect(
      (await auditor.patch(`/api/visitors/${visitor.id}`, { version: 1, name: 'x' })).statusCode,
    ).toBe(403);
    const visitorUser = await env().signIn('visitor', DONGCHA);
    for (const res of [
      await visitorUser.get('/api/visitors'),
      await visitorUser.get(`/api/visitors/${visitor.id}`),
      await visitorUser.post('/api/visitors', buildVisitor()),
    ]) {
      expect(res.statusCode).toBe(403);
    }

    const other = await env().signIn('village', LONGZHAOGOU);
    const attempts = [
      await other.get(`/api/visitors/${visitor.id}`),
      await other.patch(`/api/visitors/${visitor.id}`, { version: 1, name: '篡改' }),
      await other.post(`/api/visitors/${visitor.id}/leave`, { leftOn: todayIso() }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('探访人员不存在或不在您的辖区内');
      expect(res.body).not.toContain('陈淑华');
    }
    const list = await other.get('/api/visitors?pageSize=200');
    expect(list.json().items.map((v: { id: string }) => v.id)).not.toContain(visitor.id);
    const far = await env().signIn('admin', '210681');
    expect((await far.get(`/api/visitors/${visitor.id}`)).statusCode).toBe(404);
    expect(
      (await far.post('/api/visitors', buildVisitor({ regionCode: GUJIATUN }))).statusCode,
    ).toBe(201);
    expect((await village.get(`/api/visitors/${visitor.id}`)).json().name).toBe('陈淑华');
  });

  it('logs who read the visitor list', async () => {
    const village = await env().signIn('village', DONGCHA);
    await village.get('/api/visitors?q=abc');
    const row = await env()
      .database.db.selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'visitor.list')
      .where('actor_id', '=', village.user.id)
      .executeTakeFirstOrThrow();
    expect(row.region_code).toBe(DONGCHA);
  });
});
