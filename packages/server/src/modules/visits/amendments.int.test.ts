import { DANDONG_2023, prefilledAnswers, type Answers } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildElder, buildVisit, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describeEachDatabase('amending visits (更正)', (env) => {
  let village: Client;
  let township: Client;
  let author: Client;
  let backup: Client;
  let authorVisitorId: string;
  let elderId: string;

  const db = () => env().database.db;

  /** How many rows each table an amendment writes to holds (audit: `visit.amend` entries). */
  const counts = async () => {
    const n = async (table: 'visits' | 'visit_revisions' | 'findings') =>
      Number(
        (
          await db()
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const audits = await db()
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'visit.amend')
      .execute();
    return {
      visits: await n('visits'),
      revisions: await n('visit_revisions'),
      findings: await n('findings'),
      audits: audits.length,
    };
  };

  const visitRow = (id: string) =>
    db().selectFrom('visits').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** A visit the author records now (an hour ago), returning its DTO. */
  const recorded = async (answers: Answers = prefilledAnswers(DANDONG_2023)) => {
    const res = await author.post('/api/visits', buildVisit(elderId, { answers }));
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; visitedAt: string; revision: number; answers: Answers };
  };

  /** A correction of `visit` from its revision 1: the 情绪状态 was 较差, by phone. */
  const correction = (
    visit: { visitedAt: string; answers: Answers },
    overrides: Record<string, unknown> = {},
  ) => ({
    revision: 1,
    visitedAt: visit.visitedAt,
    method: 'phone',
    answers: { ...visit.answers, mood: { value: 'worse' } },
    reason: '纸质记录表上情绪状态为较差，录入时点错',
    ...overrides,
  });

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    township = await env().signIn('township', TOWNSHIP);
    const elder = await village.post('/api/elders', buildElder({ idNumber: idNumber() }));
    expect(elder.statusCode, elder.body).toBe(201);
    elderId = elder.json().id;
    const ids: string[] = [];
    const users = [];
    for (const name of ['刘春梅', '张桂芝']) {
      const user = await env().createUser('visitor', DONGCHA);
      users.push(user);
      const v = await village.post('/api/visitors', buildVisitor({ name, userId: user.id }));
      expect(v.statusCode, v.body).toBe(201);
      ids.push(v.json().id);
    }
    authorVisitorId = ids[0]!;
    for (const [visitorId, role] of [
      [ids[0], 'primary'],
      [ids[1], 'backup'],
    ]) {
      const assigned = await village.post('/api/assignments', {
        elderIds: [elderId],
        visitorId,
        role,
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
    }
    author = await env().login(users[0]!.username);
    backup = await env().login(users[1]!.username);
  });

  it('lets the author amend their visit within the window, keeping the previous version in its revision history', async () => {
    const visit = await recorded();
    const before = await counts();
    const res = await author.post(`/api/visits/${visit.id}/amendments`, correction(visit));
    expect(res.statusCode, res.body).toBe(200);
    const amended = res.json();
    expect(amended).toMatchObject({
      id: visit.id,
      revision: 2,
      method: 'phone',
      answers: { mood: { value: 'worse' } },
      visitor: { id: authorVisitorId, name: '刘春梅' },
    });
    expect(Date.parse(amended.amendedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(amended.findings.map((f: { title: string }) => f.title)).toEqual(['情绪状态变差']);

    const history = await author.get(`/api/visits/${visit.id}/revisions`);
    expect(history.statusCode, history.body).toBe(200);
    expect(history.json().items).toEqual([
      {
        revision: 1,
        visitedAt: visit.visitedAt,
        method: 'in_person',
        visitor: { id: authorVisitorId, name: '刘春梅', type: 'cadre' },
        template: { key: 'dandong-2023', version: 1 },
        answers: prefilledAnswers(DANDONG_2023),
        emergency: false,
        emergencyNote: null,
        amendedAt: amended.amendedAt,
        amendedBy: { id: author.user.id, name: author.user.display_name },
        reason: '纸质记录表上情绪状态为较差，录入时点错',
      },
    ]);
    // Read again later, the visit is the corrected one; nothing else was added or removed.
    const read = await village.get(`/api/visits/${visit.id}`);
    expect(read.json()).toMatchObject({
      revision: 2,
      method: 'phone',
      amendedAt: amended.amendedAt,
    });
    expect(await counts()).toEqual({
      ...before,
      revisions: before.revisions + 1,
      findings: before.findings + 1,
      audits: before.audits + 1,
    });
  });

  it('lets village and township staff, who supervise the elder, amend a visit a visitor recorded', async () => {
    const visit = await recorded();
    const byVillage = await village.post(`/api/visits/${visit.id}/amendments`, correction(visit));
    expect(byVillage.statusCode, byVillage.body).toBe(200);
    expect(byVillage.json().revision).toBe(2);
    const byTownship = await township.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, {
        revision: 2,
        method: 'in_person',
        reason: '核实后确认为上门探访',
      }),
    );
    expect(byTownship.statusCode, byTownship.body).toBe(200);
    expect(byTownship.json()).toMatchObject({ revision: 3, method: 'in_person' });
    const history = (await village.get(`/api/visits/${visit.id}/revisions`)).json().items;
    expect(
      history.map((r: { revision: number; method: string; amendedBy: { id: string } }) => [
        r.revision,
        r.method,
        r.amendedBy.id,
      ]),
    ).toEqual([
      [1, 'in_person', village.user.id],
      [2, 'phone', township.user.id],
    ]);
  });

  it('refuses a visitor who did not enter the visit, even one assigned to the elder, and writes nothing', async () => {
    const visit = await recorded();
    const before = await counts();
    const res = await backup.post(`/api/visits/${visit.id}/amendments`, correction(visit));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('只能更正本人录入的探访记录');
    // Nor may a county officer, who reads visits but does not supervise their recording.
    const county = await env().signIn('county', DONGCHA.slice(0, 6));
    expect(
      (await county.post(`/api/visits/${visit.id}/amendments`, correction(visit))).statusCode,
    ).toBe(403);
    expect(await counts()).toEqual(before);
    expect((await visitRow(visit.id)).revision).toBe(1);
  });

  it('refuses an amendment once the window after entry has passed, naming the deadline, and writes nothing', async () => {
    const visit = await recorded();
    // The visit was entered eight days ago (the window is 7 days).
    const entered = new Date(Date.now() - 8 * DAY);
    await db()
      .updateTable('visits')
      .set({ entered_at: entered, visited_at: new Date(entered.getTime() - HOUR) })
      .where('id', '=', visit.id)
      .execute();
    const stored = await visitRow(visit.id);
    const before = await counts();
    const res = await village.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, { visitedAt: stored.visited_at.toISOString() }),
    );
    expect(res.statusCode).toBe(409);
    const error = res.json().error;
    expect(error.code).toBe('amend_window_closed');
    const deadline = new Date(entered.getTime() + 7 * DAY + 8 * HOUR).toISOString();
    expect(error.message).toContain(
      `只能在录入后 7 天内（${deadline.slice(0, 10)} ${deadline.slice(11, 16)} 前）更正`,
    );
    expect(await counts()).toEqual(before);
    expect(await visitRow(visit.id)).toEqual(stored);
    // The list tells the console until when each visit could be amended.
    const listed = (await village.get(`/api/elders/${elderId}/visits`)).json().items;
    const mine = listed.find((v: { id: string }) => v.id === visit.id);
    expect(Date.parse(mine.amendableUntil)).toBe(entered.getTime() + 7 * DAY);
  });

  it('refuses a correction made from a version someone else has corrected meanwhile (409)', async () => {
    const visit = await recorded();
    const first = await village.post(`/api/visits/${visit.id}/amendments`, correction(visit));
    expect(first.statusCode, first.body).toBe(200);
    const before = await counts();
    const stale = await author.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, { method: 'video', reason: '应为视频探访' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'revision_stale', field: 'revision' });
    expect(stale.json().error.message).toContain('现为第 2 版');
    expect(await counts()).toEqual(before);
    expect((await visitRow(visit.id)).method).toBe('phone');
  });

  it('lets only one of two simultaneous corrections of the same version through', async () => {
    const visit = await recorded();
    const both = await Promise.all([
      village.post(`/api/visits/${visit.id}/amendments`, correction(visit)),
      township.post(
        `/api/visits/${visit.id}/amendments`,
        correction(visit, { method: 'video', reason: '应为视频探访' }),
      ),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const revisions = await db()
      .selectFrom('visit_revisions')
      .select('revision')
      .where('visit_id', '=', visit.id)
      .execute();
    expect(revisions).toEqual([{ revision: 1 }]);
    expect((await visitRow(visit.id)).revision).toBe(2);
  });

  it('refuses answers that do not fit the visit’s form, naming the item, and writes nothing', async () => {
    const visit = await recorded();
    const stored = await visitRow(visit.id);
    const { mood: _mood, ...withoutMood } = visit.answers;
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['a missing answer', { answers: withoutMood }, 'answers.mood', '请填写“情绪状态”'],
      [
        'an option the item does not have',
        { answers: { ...visit.answers, gas_safety: { value: 'maybe' } } },
        'answers.gas_safety',
        '燃气安全',
      ],
      [
        'an item the form does not have',
        { answers: { ...visit.answers, pets: { value: 'cat' } } },
        'answers.pets',
        '没有项目 pets',
      ],
      [
        'a serious illness without its name',
        { answers: { ...visit.answers, illness: { value: 'serious' } } },
        'answers.illness',
        '疾病名称',
      ],
      ['a method the form does not offer', { method: 'pigeon' }, 'method', '探访方式'],
      ['no reason', { reason: '' }, 'reason', '请填写更正原因'],
      ['no revision', { revision: undefined }, 'revision', '记录版本'],
      [
        'a signature that is not part of the visit',
        {
          answers: {
            ...visit.answers,
            elder_signature: { signature: '0190f2a4-0000-7000-8000-000000000001' },
          },
        },
        'answers.elder_signature',
        '原有的签字',
      ],
      ['no change at all', { method: 'in_person', answers: visit.answers }, 'answers', '相同'],
    ];
    const before = await counts();
    for (const [what, override, field, message] of cases) {
      const res = await author.post(
        `/api/visits/${visit.id}/amendments`,
        correction(visit, override),
      );
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.field, what).toBe(field);
      expect(res.json().error.message, what).toContain(message);
    }
    expect(await counts()).toEqual(before);
    expect(await visitRow(visit.id)).toEqual(stored);
  });

  it('refuses a visit time in the future, before registration or from the elder’s death on', async () => {
    const visit = await recorded();
    const before = await counts();
    const cases: [string, string, string][] = [
      ['the future', iso(-HOUR), '探访时间不能晚于现在'],
      ['before registration', '2026-10-15T10:00:00+08:00', '早于该老年人登记入册的日期 2026-11-01'],
    ];
    for (const [what, visitedAt, message] of cases) {
      const res = await author.post(
        `/api/visits/${visit.id}/amendments`,
        correction(visit, { visitedAt }),
      );
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.field, what).toBe('visitedAt');
      expect(res.json().error.message, what).toContain(message);
    }
    // An elder who has since died: a correction cannot move the visit to the day of death.
    const other = await village.post(
      '/api/elders',
      buildElder({ name: '钱老人', idNumber: idNumber() }),
    );
    const dies = other.json().id as string;
    const paper = await village.post(
      '/api/visits',
      buildVisit(dies, { visitorId: authorVisitorId, visitedAt: iso(2 * DAY) }),
    );
    expect(paper.statusCode, paper.body).toBe(201);
    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const died = await village.post(`/api/elders/${dies}/status`, {
      status: 'deceased',
      effectiveDate: today,
    });
    expect(died.statusCode, died.body).toBe(200);
    const late = await village.post(
      `/api/visits/${paper.json().id}/amendments`,
      correction(paper.json(), { visitedAt: new Date().toISOString() }),
    );
    expect(late.statusCode).toBe(400);
    expect(late.json().error.message).toContain('已故');
    expect(await counts()).toEqual({ ...before, visits: before.visits + 1 });
  });

  it('gives staff of another village 404 and writes nothing', async () => {
    const visit = await recorded();
    const outsider = await env().signIn('village', '210624101202');
    const before = await counts();
    for (const res of [
      await outsider.post(`/api/visits/${visit.id}/amendments`, correction(visit)),
      await outsider.get(`/api/visits/${visit.id}/revisions`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('探访记录不存在或不在您的辖区内');
    }
    expect(await counts()).toEqual(before);
  });

  it('raises findings of rules that did not fire before, and keeps those already raised', async () => {
    const visit = await recorded({
      ...prefilledAnswers(DANDONG_2023),
      gas_safety: { value: 'unsafe' },
    });
    const res = await village.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, {
        method: 'in_person',
        answers: {
          ...visit.answers,
          gas_safety: { value: 'fairly_safe' },
          illness: { value: 'serious', text: '脑梗' },
        },
        emergency: true,
        emergencyNote: '老人脑梗送医',
        reason: '补充纸质记录上的病情',
      }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res.json().findings.map((f: { title: string; source: string }) => [f.title, f.source]),
    ).toEqual([
      ['燃气不安全', '燃气安全：不安全'],
      ['紧急情况', '老人脑梗送医'],
      ['患严重疾病', '疾病状况：严重疾病（脑梗）'],
    ]);
    // A further correction of the illness's name raises nothing again.
    const again = await village.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, {
        revision: 2,
        method: 'in_person',
        answers: { ...res.json().answers, illness: { value: 'serious', text: '脑出血' } },
        emergency: true,
        emergencyNote: '老人脑梗送医',
        reason: '病名更正',
      }),
    );
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().findings).toHaveLength(3);
    const ofElder = (await village.get(`/api/elders/${elderId}/findings`)).json().items;
    expect(ofElder.filter((f: { visitId: string }) => f.visitId === visit.id)).toHaveLength(3);
  });

  it('logs who amended what, why and which fields changed', async () => {
    const visit = await recorded();
    const res = await township.post(
      `/api/visits/${visit.id}/amendments`,
      correction(visit, { reason: '乡镇核查更正' }),
    );
    expect(res.statusCode, res.body).toBe(200);
    const entry = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'region_code', 'detail'])
      .where('action', '=', 'visit.amend')
      .where('entity_id', '=', visit.id)
      .executeTakeFirstOrThrow();
    expect(entry).toEqual({
      actor_id: township.user.id,
      region_code: DONGCHA,
      detail: {
        elderId,
        revision: 2,
        reason: '乡镇核查更正',
        changed: ['method', 'answers.mood'],
        findings: 1,
      },
    });
  });

  it('lists the visits the user entered within the window, newest entered first, and never another user’s', async () => {
    const mine = [await recorded(), await recorded()];
    const byBackup = await backup.post('/api/visits', buildVisit(elderId));
    expect(byBackup.statusCode, byBackup.body).toBe(201);
    const byVillage = await village.post(
      '/api/visits',
      buildVisit(elderId, { visitorId: authorVisitorId }),
    );
    expect(byVillage.statusCode, byVillage.body).toBe(201);
    // One of the author's, entered eight days ago, is past the window.
    const old = await recorded();
    await db()
      .updateTable('visits')
      .set({ entered_at: new Date(Date.now() - 8 * DAY) })
      .where('id', '=', old.id)
      .execute();
    await author.post(`/api/visits/${mine[0]!.id}/amendments`, correction(mine[0]!));

    const res = await author.get('/api/visits/amendable');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as {
      id: string;
      elderId: string;
      elderName: string;
      villageName: string;
      revision: number;
      amendableUntil: string;
    }[];
    const ids = items.map((v) => v.id);
    // Exactly the author's entries of the last 7 days, newest entered first.
    const expected = await db()
      .selectFrom('visits')
      .select('id')
      .where('entered_by', '=', author.user.id)
      .where('entered_at', '>=', new Date(Date.now() - 7 * DAY))
      .orderBy('entered_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(ids).toEqual(expected.map((r) => r.id));
    expect(ids.slice(0, 2)).toEqual([mine[1]!.id, mine[0]!.id]);
    expect(ids).not.toContain(old.id);
    expect(ids).not.toContain(byBackup.json().id);
    expect(ids).not.toContain(byVillage.json().id);
    expect(items[1]).toMatchObject({
      elderId,
      elderName: '王秀英',
      villageName: '东岔村委会',
      revision: 2,
      method: 'phone',
    });
    for (const v of items) expect(Date.parse(v.amendableUntil)).toBeGreaterThan(Date.now());

    // The other visitor of the same elder sees only their own entry; the village officer theirs.
    const others = (await backup.get('/api/visits/amendable')).json().items;
    expect(others.map((v: { id: string }) => v.id)).toEqual([byBackup.json().id]);
    const staff = (await village.get('/api/visits/amendable')).json().items;
    expect(staff.map((v: { id: string }) => v.id)).toContain(byVillage.json().id);
    expect(staff.map((v: { id: string }) => v.id)).not.toContain(mine[0]!.id);
    // A county officer amends nothing, so has no such list.
    const county = await env().signIn('county', DONGCHA.slice(0, 6));
    expect((await county.get('/api/visits/amendable')).statusCode).toBe(403);
  });

  it('leaves out a visitor’s entries for an elder no longer assigned to them, which they may not amend', async () => {
    const other = await village.post(
      '/api/elders',
      buildElder({ name: '孙老人', idNumber: idNumber() }),
    );
    expect(other.statusCode, other.body).toBe(201);
    const assigned = await village.post('/api/assignments', {
      elderIds: [other.json().id],
      visitorId: authorVisitorId,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const visit = await author.post('/api/visits', buildVisit(other.json().id));
    expect(visit.statusCode, visit.body).toBe(201);
    const listed = async () =>
      ((await author.get('/api/visits/amendable')).json().items as { id: string }[]).map(
        (v) => v.id,
      );
    expect(await listed()).toContain(visit.json().id);

    const today = new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);
    const ended = await village.post(`/api/assignments/${assigned.json().created[0].id}/end`, {
      endDate: today,
      reason: '探访人调整',
    });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(await listed()).not.toContain(visit.json().id);
    const refused = await author.post(
      `/api/visits/${visit.json().id}/amendments`,
      correction(visit.json()),
    );
    expect(refused.statusCode).toBe(404);
  });
});
