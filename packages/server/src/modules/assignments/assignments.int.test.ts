import { todayIso } from '@tanfang/domain';
import { expect, it } from 'vitest';
import { DONGCHA, buildElder, buildVisitor } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = '210624101';
const LONGZHAOGOU = '210624101202';
const ERDAOHEZI = '210624101203';
const TUANJIE = '210624101204';
const TUMENLING = '210624101205';

let phone = 13904150200;

/** Registers an elder through the ledger and returns it. */
async function elder(client: Client, name: string, villageCode = DONGCHA) {
  const res = await client.post('/api/elders', buildElder({ name, villageCode }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

/** Registers a visitor and returns it. */
async function visitor(client: Client, name: string, regionCode = DONGCHA) {
  phone += 1;
  const res = await client.post(
    '/api/visitors',
    buildVisitor({ name, regionCode, phone: String(phone) }),
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; name: string };
}

/** Assigns and expects success; returns the created assignments. */
async function assign(
  client: Client,
  body: { elderIds: string[]; visitorId: string; role: 'primary' | 'backup'; startDate?: string },
) {
  const res = await client.post('/api/assignments', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().created as { id: string; elderId: string; startDate: string }[];
}

describeEachDatabase('who visits whom', (env) => {
  const count = async () =>
    Number(
      (
        await env()
          .database.db.selectFrom('assignments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('assigns one visitor to several elders at once, who then appear as their primary visitor', async () => {
    const village = await env().signIn('village', DONGCHA);
    const a = await elder(village, '批量甲');
    const b = await elder(village, '批量乙');
    const v = await visitor(village, '何丽');
    const created = await assign(village, {
      elderIds: [b.id, a.id],
      visitorId: v.id,
      role: 'primary',
    });
    expect(created).toHaveLength(2);
    expect(created[0]).toMatchObject({
      startDate: todayIso(),
      endDate: null,
      role: 'primary',
      visitor: {
        id: v.id,
        name: '何丽',
        type: 'cadre',
        phoneMasked: expect.stringMatching(/^139\*{4}\d{4}$/),
      },
    });
    const list = await village.get(`/api/assignments?q=${encodeURIComponent('批量')}`);
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((r: { elder: { name: string }; primary: { visitor: { name: string } } }) => [
          r.elder.name,
          r.primary.visitor.name,
        ]),
    ).toEqual([
      ['批量乙', '何丽'],
      ['批量甲', '何丽'],
    ]);
    expect(list.json().items[0].elder.village.fullName).toContain('东岔村委会');
    expect((await village.get(`/api/visitors/${v.id}`)).json().activeAssignments).toEqual({
      primary: 2,
      backup: 0,
    });
  });

  it('refuses a second primary visitor for an elder who has one, writing nothing for the whole batch', async () => {
    const village = await env().signIn('village', DONGCHA);
    const taken = await elder(village, '已有人');
    const free = await elder(village, '尚无人');
    const first = await visitor(village, '林海');
    const second = await visitor(village, '林涛');
    await assign(village, { elderIds: [taken.id], visitorId: first.id, role: 'primary' });
    const before = await count();
    const res = await village.post('/api/assignments', {
      elderIds: [free.id, taken.id],
      visitorId: second.id,
      role: 'primary',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'overlapping_assignment', field: 'elderIds' });
    expect(res.json().error.message).toContain('已有人');
    expect(res.json().error.message).not.toContain('尚无人');
    expect(await count()).toBe(before);
    const unassigned = await village.get(
      `/api/assignments?unassigned=true&q=${encodeURIComponent('尚无人')}`,
    );
    expect(unassigned.json().total).toBe(1);
  });

  it('gives an elder only one primary visitor when two people assign at the same moment', async () => {
    const village = await env().signIn('village', DONGCHA);
    const township = await env().signIn('township', TOWNSHIP);
    const e = await elder(village, '同时分配');
    const first = await visitor(village, '彭飞');
    const second = await visitor(village, '彭程');
    const results = await Promise.all([
      village.post('/api/assignments', { elderIds: [e.id], visitorId: first.id, role: 'primary' }),
      township.post('/api/assignments', {
        elderIds: [e.id],
        visitorId: second.id,
        role: 'primary',
      }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.statusCode === 409)!;
    expect(loser.json().error).toMatchObject({ code: 'overlapping_assignment', field: 'elderIds' });
    const history = (await village.get(`/api/elders/${e.id}/assignments`)).json().items;
    expect(history).toHaveLength(1);
  });

  it('refuses a new primary that would start before the previous one ended', async () => {
    const village = await env().signIn('village', DONGCHA);
    const e = await elder(village, '前任结束');
    const first = await visitor(village, '马骏');
    const second = await visitor(village, '马良');
    const [old] = await assign(village, {
      elderIds: [e.id],
      visitorId: first.id,
      role: 'primary',
      startDate: '2026-11-02',
    });
    const ended = await village.post(`/api/assignments/${old!.id}/end`, {
      endDate: '2026-11-15',
      reason: '探访人调岗',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    const overlapping = await village.post('/api/assignments', {
      elderIds: [e.id],
      visitorId: second.id,
      role: 'primary',
      startDate: '2026-11-10',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().error.message).toContain('2026-11-10 起已有主要探访人');
    await assign(village, {
      elderIds: [e.id],
      visitorId: second.id,
      role: 'primary',
      startDate: '2026-11-15',
    });
  });

  it('refuses a visitor whose area does not include the elder, naming the elder and writing nothing', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const here = await elder(township, '东岔老人');
    const there = await visitor(township, '龙爪沟志愿者', LONGZHAOGOU);
    const before = await count();
    const res = await township.post('/api/assignments', {
      elderIds: [here.id],
      visitorId: there.id,
      role: 'backup',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('visitorId');
    expect(res.json().error.message).toBe(
      '探访人员 龙爪沟志愿者 负责的区域（辽宁省丹东市宽甸满族自治县灌水镇龙爪沟村委会）不包括以下老年人的居住地：东岔老人',
    );
    expect(await count()).toBe(before);
    // A township-wide visitor covers every village of the township.
    const wide = await visitor(township, '乡镇社工', TOWNSHIP);
    await assign(township, { elderIds: [here.id], visitorId: wide.id, role: 'backup' });
  });

  it('adds backups, but not the elder’s own primary visitor and not a date in the future', async () => {
    const village = await env().signIn('village', DONGCHA);
    const e = await elder(village, '有备用');
    const main = await visitor(village, '高峰');
    const spare = await visitor(village, '高岩');
    const spare2 = await visitor(village, '高原');
    await assign(village, { elderIds: [e.id], visitorId: main.id, role: 'primary' });
    await assign(village, { elderIds: [e.id], visitorId: spare.id, role: 'backup' });
    await assign(village, { elderIds: [e.id], visitorId: spare2.id, role: 'backup' });
    const self = await village.post('/api/assignments', {
      elderIds: [e.id],
      visitorId: main.id,
      role: 'backup',
    });
    expect(self.statusCode).toBe(409);
    expect(self.json().error).toMatchObject({ code: 'already_assigned', field: 'elderIds' });
    expect(self.json().error.message).toBe('探访人员 高峰 已是以下老年人的探访人：有备用');
    const future = await village.post('/api/assignments', {
      elderIds: [e.id],
      visitorId: spare.id,
      role: 'backup',
      startDate: '2099-01-01',
    });
    expect(future.json().error).toMatchObject({ field: 'startDate' });
    const row = (await village.get(`/api/assignments?q=${encodeURIComponent('有备用')}`)).json()
      .items[0];
    expect(row.primary.visitor.name).toBe('高峰');
    expect(row.backups.map((b: { visitor: { name: string } }) => b.visitor.name).sort()).toEqual([
      '高原',
      '高岩',
    ]);
  });

  it('ends an assignment with a date and a reason, keeping it in the elder’s history', async () => {
    const village = await env().signIn('village', DONGCHA);
    const e = await elder(village, '结束测试');
    const v = await visitor(village, '宋平');
    const [a] = await assign(village, {
      elderIds: [e.id],
      visitorId: v.id,
      role: 'primary',
      startDate: '2026-11-05',
    });
    const early = await village.post(`/api/assignments/${a!.id}/end`, {
      endDate: '2026-11-04',
      reason: '测试',
    });
    expect(early.json().error).toMatchObject({
      field: 'endDate',
      message: '结束日期不能早于开始日期 2026-11-05',
    });
    const ended = await village.post(`/api/assignments/${a!.id}/end`, {
      endDate: '2026-11-20',
      reason: '老人入住养老院',
    });
    expect(ended.json()).toMatchObject({ endDate: '2026-11-20', endReason: '老人入住养老院' });
    const again = await village.post(`/api/assignments/${a!.id}/end`, {
      endDate: '2026-11-21',
      reason: '重复',
    });
    expect(again.statusCode).toBe(409);
    const history = (await village.get(`/api/elders/${e.id}/assignments`)).json();
    expect(history.items).toEqual([
      expect.objectContaining({ id: a!.id, startDate: '2026-11-05', endDate: '2026-11-20' }),
    ]);
    const unassigned = await village.get(
      `/api/assignments?unassigned=true&q=${encodeURIComponent('结束测试')}`,
    );
    expect(unassigned.json().total).toBe(1);
  });

  it('previews a village’s reassignment, showing who is affected, and writes nothing', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const [a, b, c, d] = [
      await elder(township, '甲一', ERDAOHEZI),
      await elder(township, '乙二', ERDAOHEZI),
      await elder(township, '丙三', ERDAOHEZI),
      await elder(township, '丁四', ERDAOHEZI),
    ];
    const old = await visitor(township, '老探访人', ERDAOHEZI);
    const next = await visitor(township, '新探访人', ERDAOHEZI);
    await assign(township, { elderIds: [a!.id, d!.id], visitorId: old.id, role: 'primary' });
    await assign(township, { elderIds: [c!.id], visitorId: next.id, role: 'primary' });
    await assign(township, { elderIds: [d!.id], visitorId: next.id, role: 'backup' });
    const before = await count();
    const body = {
      scope: { kind: 'village', villageCode: ERDAOHEZI },
      toVisitorId: next.id,
      reason: '村干部换届',
    };
    const res = await township.post('/api/assignments/reassign/preview', body);
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    // 丙三 is already the new visitor's: not listed. Sorted by name, as the lists are.
    expect(
      preview.items.map((i: { elder: { name: string }; from: { name: string } | null }) => [
        i.elder.name,
        i.from?.name ?? null,
      ]),
    ).toEqual([
      ['丁四', '老探访人'],
      ['乙二', null],
      ['甲一', '老探访人'],
    ]);
    expect(preview.total).toBe(3);
    expect(preview.items[0].to).toMatchObject({ id: next.id, name: '新探访人' });
    expect(preview.items[0].note).toBe('新探访人 原为备用探访人，其备用分配同时结束');
    expect(preview.items[1].assignmentId).toBeNull();
    expect(preview.expectedAssignmentIds).toHaveLength(3);
    expect(preview.items[0].elder.village.fullName).toContain('二道河子村委会');
    expect(await count()).toBe(before);
    expect(b).toBeDefined();

    const committed = await township.post('/api/assignments/reassign', {
      ...body,
      expectedAssignmentIds: preview.expectedAssignmentIds,
    });
    expect(committed.statusCode, committed.body).toBe(200);
    expect(committed.json()).toEqual({ ended: 3, created: 3 });
    const rows = (await township.get(`/api/assignments?region=${ERDAOHEZI}`)).json().items;
    for (const row of rows) {
      expect(row.primary.visitor.name).toBe('新探访人');
      expect(row.backups).toEqual([]);
    }
    expect(rows).toHaveLength(4);
  });

  it('keeps the history when an elder’s visitor changes: the old assignment ends that day, the new one starts', async () => {
    const village = await env().signIn('village', DONGCHA);
    const e = await elder(village, '换人测试');
    const old = await visitor(village, '唐敏');
    const next = await visitor(village, '唐静');
    await assign(village, {
      elderIds: [e.id],
      visitorId: old.id,
      role: 'primary',
      startDate: '2026-11-03',
    });
    const body = {
      scope: { kind: 'elder', elderId: e.id },
      toVisitorId: next.id,
      effectiveDate: '2026-11-18',
      reason: '唐敏外出务工',
    };
    const preview = (await village.post('/api/assignments/reassign/preview', body)).json();
    expect(preview.items).toEqual([
      expect.objectContaining({
        role: 'primary',
        from: expect.objectContaining({ name: '唐敏' }),
        to: expect.objectContaining({ name: '唐静' }),
      }),
    ]);
    const done = await village.post('/api/assignments/reassign', {
      ...body,
      expectedAssignmentIds: preview.expectedAssignmentIds,
    });
    expect(done.json()).toEqual({ ended: 1, created: 1 });
    const history = (await village.get(`/api/elders/${e.id}/assignments`)).json().items;
    expect(
      history.map(
        (h: {
          visitor: { name: string };
          startDate: string;
          endDate: string | null;
          endReason: string | null;
        }) => [h.visitor.name, h.startDate, h.endDate, h.endReason],
      ),
    ).toEqual([
      ['唐静', '2026-11-18', null, null],
      ['唐敏', '2026-11-03', '2026-11-18', '唐敏外出务工'],
    ]);
    const tooEarly = await village.post('/api/assignments/reassign', {
      ...body,
      toVisitorId: old.id,
      effectiveDate: '2026-11-10',
    });
    expect(tooEarly.statusCode).toBe(400);
    expect(tooEarly.json().error).toMatchObject({ field: 'effectiveDate' });
    expect(tooEarly.json().error.message).toContain('换人测试（2026-11-18）');
  });

  it('refuses a commit when the assignments changed since the preview, writing nothing', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const e = await elder(township, '过期预览', TUMENLING);
    const other = await elder(township, '过期预览乙', TUMENLING);
    const first = await visitor(township, '邓华', TUMENLING);
    const next = await visitor(township, '邓强', TUMENLING);
    await assign(township, { elderIds: [e.id], visitorId: first.id, role: 'primary' });
    const body = {
      scope: { kind: 'village', villageCode: TUMENLING },
      toVisitorId: next.id,
      reason: '调整',
    };
    const preview = (await township.post('/api/assignments/reassign/preview', body)).json();
    // Meanwhile someone gives the other elder a primary visitor.
    await assign(township, { elderIds: [other.id], visitorId: first.id, role: 'primary' });
    const before = await count();
    const stale = await township.post('/api/assignments/reassign', {
      ...body,
      expectedAssignmentIds: preview.expectedAssignmentIds,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({
      code: 'preview_stale',
      message: '分配情况已变化，请重新预览',
    });
    expect(await count()).toBe(before);
    // A target outside the village is refused, naming the elders.
    const outsider = await visitor(township, '外村人', LONGZHAOGOU);
    const far = await township.post('/api/assignments/reassign/preview', {
      ...body,
      toVisitorId: outsider.id,
    });
    expect(far.statusCode).toBe(400);
    expect(far.json().error.field).toBe('toVisitorId');
    expect(far.json().error.message).toContain('过期预览、过期预览乙');
  });

  it('hands over everything a leaving visitor holds, keeping roles, and marks them left in one step', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const x = await elder(township, '离岗甲', TUANJIE);
    const y = await elder(township, '离岗乙', TUANJIE);
    const leaving = await visitor(township, '谢军', TUANJIE);
    const keeper = await visitor(township, '谢红', TUANJIE);
    const successor = await visitor(township, '谢东', TUANJIE);
    await assign(township, { elderIds: [x.id], visitorId: leaving.id, role: 'primary' });
    await assign(township, { elderIds: [y.id], visitorId: keeper.id, role: 'primary' });
    await assign(township, { elderIds: [y.id], visitorId: leaving.id, role: 'backup' });
    const body = {
      scope: { kind: 'visitor', visitorId: leaving.id },
      toVisitorId: successor.id,
      reason: '谢军离岗',
      visitorLeaves: true,
    };
    const preview = (await township.post('/api/assignments/reassign/preview', body)).json();
    expect(
      preview.items.map((i: { elder: { name: string }; role: string }) => [i.elder.name, i.role]),
    ).toEqual([
      ['离岗乙', 'backup'],
      ['离岗甲', 'primary'],
    ]);
    const done = await township.post('/api/assignments/reassign', {
      ...body,
      expectedAssignmentIds: preview.expectedAssignmentIds,
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ ended: 2, created: 2 });
    const left = (await township.get(`/api/visitors/${leaving.id}`)).json();
    expect(left).toMatchObject({
      status: 'left',
      leftOn: todayIso(),
      activeAssignments: { primary: 0, backup: 0 },
    });
    expect((await township.get(`/api/visitors/${successor.id}`)).json().activeAssignments).toEqual({
      primary: 1,
      backup: 1,
    });
    const rows = (await township.get(`/api/assignments?region=${TUANJIE}`)).json().items;
    expect(
      rows.map(
        (r: {
          elder: { name: string };
          primary: { visitor: { name: string } };
          backups: { visitor: { name: string } }[];
        }) => [r.elder.name, r.primary.visitor.name, r.backups.map((b) => b.visitor.name)],
      ),
    ).toEqual([
      ['离岗乙', '谢红', ['谢东']],
      ['离岗甲', '谢东', []],
    ]);
  });

  it('lists the elders without a primary visitor (未落实探访人) by village, then name', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const lists = ['210624101206', '210624101207'];
    const zhao = await elder(township, '赵未落实', lists[1]);
    await elder(township, '钱未落实', lists[0]);
    const sun = await elder(township, '孙已落实', lists[0]);
    const li = await elder(township, '李仅备用', lists[0]);
    const v = await visitor(township, '韩梅', TOWNSHIP);
    const w = await visitor(township, '韩雪', TOWNSHIP);
    await assign(township, { elderIds: [sun.id], visitorId: v.id, role: 'primary' });
    await assign(township, { elderIds: [li.id], visitorId: w.id, role: 'backup' });
    const names = async (query: string) =>
      (await township.get(`/api/assignments?${query}`))
        .json()
        .items.map((r: { elder: { name: string } }) => r.elder.name);
    const inVillages = (all: string[]) =>
      all.filter((n) => ['赵未落实', '钱未落实', '孙已落实', '李仅备用'].includes(n));
    expect(inVillages(await names('unassigned=true&pageSize=200'))).toEqual([
      '李仅备用',
      '钱未落实',
      '赵未落实',
    ]);
    expect(await names(`unassigned=false&region=${lists[0]}`)).toEqual(['孙已落实']);
    expect(await names(`visitorId=${w.id}`)).toEqual(['李仅备用']);
    // An elder who has died leaves the list.
    await township.post(`/api/elders/${zhao.id}/status`, {
      status: 'deceased',
      effectiveDate: todayIso(),
    });
    expect(await names(`unassigned=true&region=${lists[1]}`)).toEqual([]);
  });

  it('refuses the 探访人员 role, lets auditors only read, and gives a village user of another village 404', async () => {
    const village = await env().signIn('village', DONGCHA);
    const e = await elder(village, '隔离测试');
    const v = await visitor(village, '曹阳');
    const [a] = await assign(village, { elderIds: [e.id], visitorId: v.id, role: 'primary' });

    const visitorUser = await env().signIn('visitor', DONGCHA);
    expect((await visitorUser.get('/api/assignments')).statusCode).toBe(403);
    expect((await visitorUser.get(`/api/elders/${e.id}/assignments`)).statusCode).toBe(403);
    const auditor = await env().signIn('auditor', '210624');
    expect((await auditor.get(`/api/elders/${e.id}/assignments`)).statusCode).toBe(200);
    expect(
      (
        await auditor.post(`/api/assignments/${a!.id}/end`, {
          endDate: todayIso(),
          reason: '审计',
        })
      ).statusCode,
    ).toBe(403);

    const other = await env().signIn('village', LONGZHAOGOU);
    const own = await visitor(other, '龙爪沟村干部', LONGZHAOGOU);
    const before = await count();
    const attempts = [
      await other.get(`/api/elders/${e.id}/assignments`),
      await other.post(`/api/assignments/${a!.id}/end`, { endDate: todayIso(), reason: '越权' }),
      await other.post('/api/assignments', {
        elderIds: [e.id],
        visitorId: own.id,
        role: 'backup',
      }),
      await other.post('/api/assignments', {
        elderIds: [e.id],
        visitorId: v.id,
        role: 'backup',
      }),
      await other.post('/api/assignments/reassign/preview', {
        scope: { kind: 'elder', elderId: e.id },
        toVisitorId: own.id,
        reason: '越权',
      }),
      await other.post('/api/assignments/reassign', {
        scope: { kind: 'visitor', visitorId: v.id },
        toVisitorId: own.id,
        reason: '越权',
      }),
      await other.post('/api/assignments/reassign/preview', {
        scope: { kind: 'village', villageCode: DONGCHA },
        toVisitorId: own.id,
        reason: '越权',
      }),
      await other.get(`/api/assignments?visitorId=${v.id}`),
      await other.get(`/api/assignments?region=${DONGCHA}`),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('隔离测试');
      expect(res.body).not.toContain('曹阳');
    }
    expect(await count()).toBe(before);
    const list = await other.get('/api/assignments?pageSize=200');
    expect(list.json().items.map((r: { elder: { id: string } }) => r.elder.id)).not.toContain(e.id);
    const history = (await village.get(`/api/elders/${e.id}/assignments`)).json().items;
    expect(history).toEqual([expect.objectContaining({ id: a!.id, endDate: null })]);
  });

  it('ends the assignments of an elder who dies, and of visitors who do not cover the village moved to', async () => {
    const township = await env().signIn('township', TOWNSHIP);
    const today = todayIso();
    const dies = await elder(township, '去世甲');
    const moves = await elder(township, '迁居乙');
    const local = await visitor(township, '本村探访员');
    const social = await visitor(township, '乡镇社工', TOWNSHIP);
    await assign(township, { elderIds: [dies.id, moves.id], visitorId: local.id, role: 'primary' });
    await assign(township, { elderIds: [moves.id], visitorId: social.id, role: 'backup' });

    const died = await township.post(`/api/elders/${dies.id}/status`, {
      status: 'deceased',
      effectiveDate: today,
    });
    expect(died.statusCode, died.body).toBe(200);
    const history = (await township.get(`/api/elders/${dies.id}/assignments`)).json().items;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ endDate: today, endReason: '老年人已故' });

    // Moved to 龙爪沟: the village's own visitor stops, the township's social worker stays.
    const moved = await township.post(`/api/elders/${moves.id}/status`, {
      status: 'moved',
      effectiveDate: today,
      villageCode: LONGZHAOGOU,
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = (await township.get(`/api/elders/${moves.id}/assignments`)).json().items as {
      visitor: { name: string };
      endDate: string | null;
      endReason: string | null;
    }[];
    expect(after.find((a) => a.visitor.name === '本村探访员')).toMatchObject({
      endDate: today,
      endReason: '老年人迁至其他村(居)',
    });
    expect(after.find((a) => a.visitor.name === '乡镇社工')).toMatchObject({ endDate: null });
  });
});
