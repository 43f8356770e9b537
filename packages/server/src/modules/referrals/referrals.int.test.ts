import { DANDONG_2023, prefilledAnswers, todayIso, uuidv7 } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import {
  DONGCHA,
  buildElder,
  buildProvider,
  buildVisit,
  buildVisitor,
  idNumber,
} from '../../test/factories.js';
import { TEST_PASSWORD, describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);

describeEachDatabase('referrals (需求转介)', (env) => {
  let village: Client;
  let county: Client;
  let provider: Client;
  let otherProvider: Client;
  let providerId: string;
  let otherProviderId: string;
  let elderId: string;
  let otherElderId: string;
  let visitorId: string;

  const db = () => env().database.db;
  const counts = async () => {
    const n = async (
      table: 'referrals' | 'referral_events' | 'finding_events' | 'alerts' | 'care_services',
    ) =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      referrals: await n('referrals'),
      events: await n('referral_events'),
      findingEvents: await n('finding_events'),
      alerts: await n('alerts'),
      careServices: await n('care_services'),
    };
  };

  /** A finding raised by a visit that found the gas unsafe (燃气 不安全). */
  const raiseFinding = async (elder = elderId): Promise<string> => {
    const visit = await village.post(
      '/api/visits',
      buildVisit(elder, {
        visitorId,
        answers: { ...prefilledAnswers(DANDONG_2023), gas_safety: { value: 'unsafe' } },
      }),
    );
    expect(visit.statusCode, visit.body).toBe(201);
    return visit.json().findings[0].id as string;
  };

  const refer = (body: Record<string, unknown> = {}) =>
    village.post('/api/referrals', {
      id: uuidv7(),
      elderId,
      providerId,
      kind: 'daily_care',
      need: '独居，需每周两次助餐和打扫卫生',
      ...body,
    });

  const move = (client: Client, id: string, body: Record<string, unknown>) =>
    client.post(`/api/referrals/${id}/transitions`, body);

  /** A provider account (服务机构) made by an admin, signed in. */
  const providerAccount = async (id: string, username: string) => {
    const admin = await env().signIn('admin', COUNTY);
    const res = await admin.post('/api/users', {
      username,
      displayName: `${username} 工作人员`,
      role: 'provider',
      jurisdiction: COUNTY,
      password: TEST_PASSWORD,
      providerId: id,
    });
    expect(res.statusCode, res.body).toBe(201);
    return env().login(username);
  };

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    county = await env().signIn('county', COUNTY);
    const p = await county.post('/api/providers', buildProvider());
    expect(p.statusCode, p.body).toBe(201);
    providerId = p.json().id;
    const other = await county.post(
      '/api/providers',
      buildProvider({ name: '宽甸县社会工作服务站', kinds: ['social_work'] }),
    );
    otherProviderId = other.json().id;
    provider = await providerAccount(providerId, 'jujia');
    otherProvider = await providerAccount(otherProviderId, 'shegong');
    const elder = await village.post(
      '/api/elders',
      buildElder({ name: '王秀英', phone: '13904151234' }),
    );
    expect(elder.statusCode, elder.body).toBe(201);
    elderId = elder.json().id;
    otherElderId = (
      await village.post('/api/elders', buildElder({ name: '赵桂兰', idNumber: idNumber() }))
    ).json().id;
    visitorId = (await village.post('/api/visitors', buildVisitor())).json().id;
  });

  it('refers a finding to a provider in one step: the referral, its first step, the finding moved to 已转介 with its event, an alert for the provider’s county and the audit entry', async () => {
    const findingId = await raiseFinding();
    const id = uuidv7();
    const res = await refer({ id, findingId, need: '燃气灶老化，需上门检修并加装报警器' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      id,
      status: 'sent',
      kind: 'daily_care',
      need: '燃气灶老化，需上门检修并加装报警器',
      elder: { id: elderId, name: '王秀英', phoneMasked: '139****1234' },
      finding: { id: findingId, status: 'referred' },
      provider: { id: providerId, name: '宽甸县居家养老服务中心' },
      referredBy: { name: village.user.display_name },
      actions: ['cancelled'],
    });
    expect(res.json().events).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: 'sent',
        actor: village.user.display_name,
      }),
    ]);
    const finding = await db()
      .selectFrom('findings')
      .select('status')
      .where('id', '=', findingId)
      .executeTakeFirstOrThrow();
    expect(finding.status).toBe('referred');
    const events = await db()
      .selectFrom('finding_events')
      .select(['kind', 'from_status', 'to_status', 'actor_id'])
      .where('finding_id', '=', findingId)
      .where('kind', '=', 'referral')
      .execute();
    expect(events).toEqual([
      { kind: 'referral', from_status: 'open', to_status: 'referred', actor_id: village.user.id },
    ]);
    const alerts = await db()
      .selectFrom('alerts')
      .select(['kind', 'region_code', 'subject_id', 'title'])
      .where('subject_id', '=', id)
      .execute();
    expect(alerts).toEqual([
      {
        kind: 'referral',
        region_code: COUNTY,
        subject_id: id,
        title: '新的转介：王秀英（生活照料）',
      },
    ]);
    const logged = await db()
      .selectFrom('audit_log')
      .select(['action', 'region_code'])
      .where('entity_id', '=', id)
      .execute();
    expect(logged).toContainEqual({ action: 'referral.create', region_code: DONGCHA });
  });

  it('returns the same referral when the request is retried, and keeps one however many arrive at once', async () => {
    const body = {
      id: uuidv7(),
      elderId,
      providerId,
      kind: 'rehab_nursing',
      need: '术后行动不便，需康复训练',
    };
    const before = await counts();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => village.post('/api/referrals', body)),
    );
    for (const a of answers) {
      expect([200, 201], a.body).toContain(a.statusCode);
      expect(a.json().id).toBe(body.id);
    }
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(1);
    const retry = await village.post('/api/referrals', body);
    expect(retry.statusCode).toBe(200);
    const after = await counts();
    expect(after.referrals - before.referrals).toBe(1);
    expect(after.events - before.events).toBe(1);
    expect(after.alerts - before.alerts).toBe(1);
    // The same id for another elder is someone else's referral.
    const clash = await village.post('/api/referrals', { ...body, elderId: otherElderId });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.field).toBe('id');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const findingOfOther = await raiseFinding(otherElderId);
    const before = await counts();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ need: ' ' }, 'need', '请填写服务需求'],
      [{ kind: 'catering' }, 'kind', '服务类别应为'],
      [{ kind: 'medical' }, 'kind', '不提供“医疗”服务（提供：生活照料、康复护理）'],
      [{ providerId: uuidv7() }, 'providerId', '服务机构不存在'],
      [{ findingId: findingOfOther }, 'findingId', '不是该老年人的问题'],
      [{ id: 'not-a-uuid' }, 'id', '转介编号应为记录编号'],
      [{ extra: 1 }, 'extra', '不允许的字段'],
    ];
    for (const [body, field, message] of cases) {
      const res = await refer(body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.field).toBe(field);
      expect(res.json().error.message).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('lets the provider accept, report progress and complete with the outcome and the care service given; each step says who and when', async () => {
    const findingId = await raiseFinding();
    const id = (await refer({ findingId })).json().id as string;
    const accepted = await move(provider, id, { to: 'accepted', note: '已安排护理员李红' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      actions: ['in_progress', 'completed'],
    });
    expect(accepted.json().acceptedAt).not.toBeNull();
    expect(
      (await move(provider, id, { to: 'in_progress', note: '首次上门，已打扫卫生' })).json().status,
    ).toBe('in_progress');
    const note = await move(provider, id, { to: 'in_progress', note: '第二次上门助餐' });
    expect(note.statusCode, note.body).toBe(200);
    expect(note.json().status).toBe('in_progress');
    const done = await move(provider, id, {
      to: 'completed',
      outcome: '已完成四周助餐和清洁服务，老人生活可自理',
      careService: {
        servedOn: todayIso(),
        content: '上门助餐 8 次、室内清洁 4 次',
        satisfaction: 'satisfied',
      },
    });
    expect(done.statusCode, done.body).toBe(200);
    const detail = done.json();
    expect(detail).toMatchObject({
      status: 'completed',
      outcome: '已完成四周助餐和清洁服务，老人生活可自理',
      actions: [],
      finding: null,
    });
    expect(
      detail.events.map(
        (e: { fromStatus: string | null; toStatus: string; note: string | null }) => [
          e.fromStatus,
          e.toStatus,
          e.note,
        ],
      ),
    ).toEqual([
      [null, 'sent', expect.stringContaining('转介至宽甸县居家养老服务中心（生活照料）')],
      ['sent', 'accepted', '已安排护理员李红'],
      ['accepted', 'in_progress', '首次上门，已打扫卫生'],
      ['in_progress', 'in_progress', '第二次上门助餐'],
      ['in_progress', 'completed', '已完成四周助餐和清洁服务，老人生活可自理'],
    ]);
    expect(new Set(detail.events.slice(1).map((e: { actor: string }) => e.actor))).toEqual(
      new Set(['jujia 工作人员']),
    );
    expect(detail.careServices).toEqual([
      expect.objectContaining({
        content: '上门助餐 8 次、室内清洁 4 次',
        satisfaction: 'satisfied',
        providerName: '宽甸县居家养老服务中心',
        referralId: id,
      }),
    ]);
    // Staff see the same history, with the finding, which stays 已转介 for them to close.
    const seen = (await village.get(`/api/referrals/${id}`)).json();
    expect(seen.finding).toMatchObject({ id: findingId, status: 'referred' });
    expect(seen.events).toHaveLength(5);
    const findingSteps = await db()
      .selectFrom('finding_events')
      .select(['kind', 'detail'])
      .where('finding_id', '=', findingId)
      .where('kind', '=', 'referral')
      .orderBy('at')
      .execute();
    expect(
      findingSteps.map((s) => (s.detail as { referralStatus?: string }).referralStatus),
    ).toEqual([undefined, 'completed']);
  });

  it('answers a change the workflow does not allow with 409 and the statuses that are allowed', async () => {
    const id = (await refer()).json().id as string;
    const early = await move(provider, id, { to: 'completed', outcome: '已完成' });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({
      code: 'transition_not_allowed',
      field: 'to',
      status: 'sent',
      allowed: ['accepted', 'declined', 'cancelled'],
      message: '转介当前为“已转介”，不能改为“已完成”；可改为：已接收、已拒绝、已撤回',
    });
    expect((await move(provider, id, { to: 'accepted' })).statusCode).toBe(200);
    expect((await move(provider, id, { to: 'completed', outcome: '已上门服务' })).statusCode).toBe(
      200,
    );
    const after = await move(provider, id, { to: 'in_progress', note: '再去一次' });
    expect(after.statusCode).toBe(409);
    expect(after.json().error).toMatchObject({ allowed: [], message: '转介已完成，不能再变更' });
    const stored = await db()
      .selectFrom('referral_events')
      .select('to_status')
      .where('referral_id', '=', id)
      .execute();
    expect(stored.map((e) => e.to_status)).toEqual(['sent', 'accepted', 'completed']);
  });

  it('needs a reason to decline, and a declined referral hands its finding back to 处理中', async () => {
    const findingId = await raiseFinding();
    const id = (await refer({ findingId })).json().id as string;
    const bare = await move(provider, id, { to: 'declined' });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error).toMatchObject({
      field: 'note',
      message: '输入有误：note：请填写拒绝原因',
    });
    const declined = await move(provider, id, { to: 'declined', note: '本月护理员已满，无法接收' });
    expect(declined.statusCode, declined.body).toBe(200);
    expect(declined.json().status).toBe('declined');
    const finding = await db()
      .selectFrom('findings')
      .select('status')
      .where('id', '=', findingId)
      .executeTakeFirstOrThrow();
    expect(finding.status).toBe('in_progress');
    const last = await db()
      .selectFrom('finding_events')
      .select(['from_status', 'to_status'])
      .where('finding_id', '=', findingId)
      .where('kind', '=', 'referral')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ from_status: 'referred', to_status: 'in_progress' });
  });

  it('lets staff cancel with a reason; a provider cannot cancel, and staff cannot act for the provider', async () => {
    const id = (await refer()).json().id as string;
    const byProvider = await move(provider, id, { to: 'cancelled', note: '不想做' });
    expect(byProvider.statusCode).toBe(403);
    const byStaff = await move(village, id, { to: 'accepted' });
    expect(byStaff.statusCode).toBe(403);
    expect((await move(village, id, { to: 'cancelled' })).json().error.field).toBe('note');
    const cancelled = await move(village, id, { to: 'cancelled', note: '家属已自行安排' });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', actions: [] });
  });

  it('shows a provider only the referrals sent to it, with the minimum of the elder, and nothing of the ledger', async () => {
    const mine = (await refer({ need: '需要上门理发' })).json().id as string;
    const theirs = (
      await refer({
        providerId: otherProviderId,
        kind: 'social_work',
        need: '情绪低落，需心理疏导',
      })
    ).json().id as string;
    const list = await provider.get('/api/referrals?pageSize=200');
    expect(list.statusCode).toBe(200);
    const ids = list.json().items.map((r: { id: string }) => r.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    const item = list.json().items.find((r: { id: string }) => r.id === mine);
    expect(item).toMatchObject({
      elder: { name: '王秀英', phoneMasked: '139****1234', village: { code: DONGCHA } },
      need: '需要上门理发',
      finding: null,
      actions: ['accepted', 'declined'],
    });
    expect(list.body).not.toContain('13904151234');
    expect(list.body).not.toMatch(/210624\d{8}[\dX]/);
    // Another provider's referral does not exist for it.
    expect((await provider.get(`/api/referrals/${theirs}`)).statusCode).toBe(404);
    expect((await move(provider, theirs, { to: 'accepted' })).statusCode).toBe(404);
    expect((await otherProvider.get(`/api/referrals/${theirs}`)).statusCode).toBe(200);
    // The ledger, visits and findings are closed to it.
    for (const url of [
      '/api/elders',
      `/api/elders/${elderId}`,
      `/api/elders/${elderId}/visits`,
      `/api/elders/${elderId}/referrals`,
      `/api/elders/${elderId}/care-services`,
      `/api/elders/${elderId}/entitlement-hints`,
      '/api/findings',
      '/api/visitors',
      '/api/providers',
      '/api/assignments',
      '/api/worklist',
      '/api/schedule/summary',
      '/api/exports/elders?reason=x',
      '/api/audit',
    ]) {
      const res = await provider.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).not.toContain('王秀英');
    }
  });

  it('lists a jurisdiction’s referrals by status with the count of each, and an elder’s referrals', async () => {
    const all = await county.get('/api/referrals?pageSize=200');
    expect(all.statusCode).toBe(200);
    const { counts, total } = all.json();
    expect(total).toBe(Object.values(counts as Record<string, number>).reduce((a, b) => a + b, 0));
    expect(counts.completed).toBeGreaterThanOrEqual(2);
    const completed = await county.get('/api/referrals?status=completed&pageSize=200');
    expect(completed.json().total).toBe(counts.completed);
    for (const r of completed.json().items) expect(r.status).toBe('completed');
    const byProvider = await county.get(`/api/referrals?providerId=${otherProviderId}`);
    expect(byProvider.json().items.map((r: { provider: { id: string } }) => r.provider.id)).toEqual(
      [otherProviderId],
    );
    const ofElder = await village.get(`/api/elders/${otherElderId}/referrals`);
    expect(ofElder.statusCode).toBe(200);
    expect(ofElder.json().items).toEqual([]);
    const township = await env().signIn('township', TOWNSHIP);
    // Every referral of this suite is 王秀英's.
    expect((await township.get(`/api/elders/${elderId}/referrals`)).json().items).toHaveLength(
      total,
    );
  });

  it('refuses a provider account with no provider, and a referral to a provider that stopped', async () => {
    const loose = await env().signIn('provider', COUNTY);
    expect((await loose.get('/api/referrals')).statusCode).toBe(403);
    const stopped = (
      await county.post('/api/providers', buildProvider({ name: '已停用的服务中心' }))
    ).json().id as string;
    await county.patch(`/api/providers/${stopped}`, { status: 'inactive' });
    const res = await refer({ providerId: stopped });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      field: 'providerId',
      message: '服务机构“已停用的服务中心”已停用，不能接收转介',
    });
  });
});
