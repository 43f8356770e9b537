import { createHash } from 'node:crypto';
import { ANSHAN_2020, DANDONG_2023, prefilledAnswers, todayIso, uuidv7 } from '@tanfang/domain';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildElder, buildVisit, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const HOUR = 3_600_000;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

/** A 1×1 PNG and the smallest baseline JPEG, as a phone would send them. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

describeEachDatabase('recording visits', (env) => {
  let village: Client;
  let township: Client;
  let visitor: Client;
  let visitorId: string;
  let elderId: string;
  let otherElderId: string;
  let unassignedElderId: string;

  const counts = async () => {
    const db = env().database.db;
    const n = async (table: 'visits' | 'findings' | 'attachments') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      visits: await n('visits'),
      findings: await n('findings'),
      attachments: await n('attachments'),
    };
  };

  const upload = (client: Client, body: Buffer, type: string, elder = elderId, id = uuidv7()) =>
    client.inject({
      method: 'PUT',
      url: `/api/attachments/${id}?elderId=${elder}&kind=photo`,
      payload: body,
      headers: { 'content-type': type },
    });

  beforeAll(async () => {
    village = await env().signIn('village', DONGCHA);
    township = await env().signIn('township', TOWNSHIP);
    const ids: string[] = [];
    for (const name of ['王秀英', '赵桂兰', '孙玉芬']) {
      const r = await village.post('/api/elders', buildElder({ name, idNumber: idNumber() }));
      expect(r.statusCode, r.body).toBe(201);
      ids.push(r.json().id);
    }
    [elderId, otherElderId, unassignedElderId] = ids as [string, string, string];
    const user = await env().createUser('visitor', DONGCHA);
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    visitorId = v.json().id;
    const assigned = await village.post('/api/assignments', {
      elderIds: [elderId, otherElderId],
      visitorId,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    visitor = await env().login(user.username);
  });

  it('lets a visitor record a prefilled 丹东 visit, and a retry returns the same record', async () => {
    const body = buildVisit(elderId);
    const first = await visitor.post('/api/visits', body);
    expect(first.statusCode, first.body).toBe(201);
    const visit = first.json();
    expect(visit).toMatchObject({
      id: body.id,
      elderId,
      visitor: { id: visitorId, name: '刘春梅', type: 'cadre' },
      method: 'in_person',
      template: { key: 'dandong-2023', version: 1, name: DANDONG_2023.name },
      answers: prefilledAnswers(DANDONG_2023),
      emergency: false,
      findings: [],
      proof: { flags: [] },
    });
    expect(visit.enteredAt).not.toBe(visit.visitedAt);
    const retry = await visitor.post('/api/visits', body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(visit);
    const rows = await env()
      .database.db.selectFrom('visits')
      .select(['id', 'recorded_by_role', 'entered_by'])
      .where('id', '=', body.id)
      .execute();
    expect(rows).toEqual([
      { id: body.id, recorded_by_role: 'visitor', entered_by: visitor.user.id },
    ]);
  });

  it('keeps one visit when the same submission arrives ten times at once', async () => {
    const body = buildVisit(elderId, {
      answers: { ...prefilledAnswers(DANDONG_2023), gas_safety: { value: 'unsafe' } },
    });
    const before = await counts();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => visitor.post('/api/visits', body)),
    );
    for (const res of answers) {
      expect([200, 201], res.body).toContain(res.statusCode);
      expect(res.json().id).toBe(body.id);
    }
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    const after = await counts();
    expect(after.visits - before.visits).toBe(1);
    expect(after.findings - before.findings).toBe(1);
  });

  it('records many different visits arriving at once, each with its own findings and audit entry, and the retries among them once', async () => {
    const unsafe = { ...prefilledAnswers(DANDONG_2023), gas_safety: { value: 'unsafe' } };
    const bodies = Array.from({ length: 16 }, (_, i) =>
      buildVisit(i % 2 === 0 ? elderId : otherElderId, {
        visitedAt: iso((i + 2) * HOUR),
        ...(i % 4 === 0 ? { answers: unsafe } : {}),
      }),
    );
    const retried = bodies[3]!;
    const before = await counts();
    const audited = async () =>
      Number(
        (
          await env()
            .database.db.selectFrom('audit_log')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('action', '=', 'visit.create')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const auditBefore = await audited();
    const answers = await Promise.all(
      [...bodies, retried, retried].map((b) => visitor.post('/api/visits', b)),
    );
    answers.slice(0, 16).forEach((res, i) => {
      if (i !== 3) expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        id: bodies[i]!.id,
        elderId: bodies[i]!.elderId,
        visitedAt: bodies[i]!.visitedAt,
        findings: i % 4 === 0 ? [{ type: 'safety_hazard', source: expect.any(String) }] : [],
      });
    });
    const forRetried = [answers[3]!, answers[16]!, answers[17]!];
    expect(forRetried.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    for (const r of forRetried) expect(r.json().id).toBe(retried.id);
    const after = await counts();
    expect(after.visits - before.visits).toBe(16);
    expect(after.findings - before.findings).toBe(4);
    expect((await audited()) - auditBefore).toBe(16);
    const stored = await env()
      .database.db.selectFrom('visits')
      .select(['id', 'elder_id'])
      .where(
        'id',
        'in',
        bodies.map((b) => b.id),
      )
      .execute();
    expect(new Map(stored.map((r) => [r.id, r.elder_id]))).toEqual(
      new Map(bodies.map((b) => [b.id, b.elderId])),
    );
  });

  it('refuses the same visit id for another elder', async () => {
    const body = buildVisit(elderId);
    expect((await visitor.post('/api/visits', body)).statusCode).toBe(201);
    const res = await visitor.post('/api/visits', { ...body, elderId: otherElderId });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('visit_id_conflict');
  });

  it('lets village staff enter a paper visit for the visitor who made it', async () => {
    const body = buildVisit(unassignedElderId, {
      visitorId,
      method: 'phone',
      visitedAt: iso(2 * HOUR),
      deviceTime: undefined,
    });
    const res = await village.post('/api/visits', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ visitor: { id: visitorId }, method: 'phone' });
    const row = await env()
      .database.db.selectFrom('visits')
      .select(['recorded_by_role', 'visitor_id'])
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ recorded_by_role: 'village', visitor_id: visitorId });
    const noVisitor = await township.post('/api/visits', buildVisit(elderId));
    expect(noVisitor.statusCode).toBe(400);
    expect(noVisitor.json().error.field).toBe('visitorId');
    const county = await env().signIn('county', COUNTY);
    expect((await county.post('/api/visits', buildVisit(elderId, { visitorId }))).statusCode).toBe(
      403,
    );
  });

  it('refuses a visit for an elder the visitor is not assigned to, or outside the jurisdiction', async () => {
    const before = await counts();
    const unassigned = await visitor.post('/api/visits', buildVisit(unassignedElderId));
    expect(unassigned.statusCode).toBe(403);
    const outsider = await env().signIn('village', '210624101202');
    const outside = await outsider.post('/api/visits', buildVisit(elderId, { visitorId }));
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.message).toBe('老年人记录不存在或不在您的辖区内');
    expect(await counts()).toEqual(before);
  });

  it('refuses each kind of bad input with a message naming the field, and writes nothing', async () => {
    const prefilled = prefilledAnswers(DANDONG_2023);
    const { mood: _mood, ...withoutMood } = prefilled;
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['a visit in the future', { visitedAt: iso(-HOUR) }, 'visitedAt', '探访时间不能晚于现在'],
      [
        'a visit before the elder was registered',
        { visitedAt: '2026-10-15T10:00:00+08:00' },
        'visitedAt',
        '探访时间早于该老年人登记入册的日期 2026-11-01',
      ],
      [
        'an unknown template',
        { template: { key: 'dandong-2023', version: 9 } },
        'template',
        '不存在',
      ],
      [
        'a method the form does not offer',
        {
          template: { key: 'anshan-2020', version: 1 },
          method: 'video',
          answers: prefilledAnswers(ANSHAN_2020),
        },
        'method',
        '实地、电话',
      ],
      ['a missing answer', { answers: withoutMood }, 'answers.mood', '请填写“情绪状态”'],
      [
        'a serious illness without its name',
        { answers: { ...prefilled, illness: { value: 'serious' } } },
        'answers.illness',
        '疾病名称',
      ],
      [
        'an answer the form does not have',
        { answers: { ...prefilled, pets: { value: 'cat' } } },
        'answers.pets',
        '没有项目 pets',
      ],
      [
        'an attachment that does not exist',
        { attachmentIds: [uuidv7()] },
        'attachmentIds',
        '不存在',
      ],
      [
        'a location out of range',
        { location: { lat: 123.4, lng: 40.1, accuracy: 10, capturedAt: iso(HOUR) } },
        'location.lat',
        '纬度',
      ],
      ['a method that does not exist', { method: 'pigeon' }, 'method', '探访方式'],
      ['an id that is not a UUID', { id: '12345' }, 'id', 'UUID'],
    ];
    const before = await counts();
    for (const [what, override, field, message] of cases) {
      const res = await visitor.post('/api/visits', buildVisit(elderId, override));
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.field, what).toBe(field);
      expect(res.json().error.message, what).toContain(message);
    }
    const twoMissing = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { answers: { ...withoutMood, gas_safety: { value: 'maybe' } } }),
    );
    expect(twoMissing.json().error.details.map((d: { field: string }) => d.field)).toEqual([
      'answers.mood',
      'answers.gas_safety',
    ]);
    // Another elder's photo cannot be attached.
    const photo = await upload(village, PNG, 'image/png', otherElderId);
    expect(photo.statusCode, photo.body).toBe(201);
    const foreign = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { attachmentIds: [photo.json().id] }),
    );
    expect(foreign.json().error.field).toBe('attachmentIds');
    expect(await counts()).toEqual({ ...before, attachments: before.attachments + 1 });
  });

  it('raises findings from a serious illness, unsafe gas and the emergency switch, listed for the elder and the village', async () => {
    const body = buildVisit(otherElderId, {
      answers: {
        ...prefilledAnswers(DANDONG_2023),
        illness: { value: 'serious', text: '脑梗' },
        gas_safety: { value: 'unsafe' },
      },
      emergency: true,
      emergencyNote: '老人摔倒在家，已联系儿子',
    });
    const res = await visitor.post('/api/visits', body);
    expect(res.statusCode, res.body).toBe(201);
    const expected = [
      {
        type: 'emergency',
        severity: 'emergency',
        title: '紧急情况',
        source: '老人摔倒在家，已联系儿子',
        status: 'open',
      },
      {
        type: 'health_decline',
        severity: 'high',
        title: '患严重疾病',
        source: '疾病状况：严重疾病（脑梗）',
        status: 'open',
      },
      {
        type: 'safety_hazard',
        severity: 'high',
        title: '燃气不安全',
        source: '燃气安全：不安全',
        status: 'open',
      },
    ];
    expect(res.json().findings).toMatchObject(expected);
    expect(res.json()).toMatchObject({
      emergency: true,
      emergencyNote: '老人摔倒在家，已联系儿子',
    });

    const ofElder = await village.get(`/api/elders/${otherElderId}/findings`);
    expect(ofElder.statusCode).toBe(200);
    expect(
      ofElder
        .json()
        .items.map((f: { title: string }) => f.title)
        .sort(),
    ).toEqual(['患严重疾病', '燃气不安全', '紧急情况'].sort());
    const list = await village.get(`/api/findings?region=${DONGCHA}&pageSize=100`);
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.filter((f: { visitId: string }) => f.visitId === body.id);
    expect(mine).toHaveLength(3);
    expect(mine[0]).toMatchObject({
      elder: { id: otherElderId, name: '赵桂兰' },
      village: { code: DONGCHA },
    });
    expect(mine[0].village.fullName).toContain('东岔村');
    const township = await env().signIn('township', TOWNSHIP);
    expect((await township.get('/api/findings?status=open')).json().total).toBeGreaterThanOrEqual(
      3,
    );
    expect((await visitor.get('/api/findings')).statusCode).toBe(403);
  });

  it('shows proof-of-visit flags where the device, the time or the place disagree', async () => {
    const place = { lat: 40.73, lng: 124.78, accuracy: 15 };
    const at = (hoursAgo: number) => ({ ...place, capturedAt: iso(hoursAgo * HOUR) });
    // Two earlier in-person visits at the elder's home: no flags.
    for (const h of [30, 20]) {
      const r = await visitor.post(
        '/api/visits',
        buildVisit(elderId, { visitedAt: iso(h * HOUR), location: at(h) }),
      );
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().proof.flags).toEqual([]);
    }
    const odd = await visitor.post(
      '/api/visits',
      buildVisit(elderId, {
        visitedAt: iso(5 * 24 * HOUR),
        deviceTime: iso(30 * 60_000),
        location: { lat: 40.82, lng: 124.78, accuracy: 800, capturedAt: iso(HOUR) },
      }),
    );
    expect(odd.statusCode, odd.body).toBe(201);
    const proof = odd.json().proof;
    expect(proof.clockSkewMinutes).toBe(-30);
    expect(proof.location).toMatchObject({ lat: 40.82, accuracy: 800 });
    const flags = Object.fromEntries(
      proof.flags.map((f: { code: string; message: string }) => [f.code, f.message]),
    );
    expect(flags['device_clock']).toBe('设备时间与服务器接收时间相差 30 分钟');
    expect(flags['late_entry']).toBe('探访 5 天后补录');
    // This visit predates the two at home, so it has no earlier reference: a later one does.
    expect(flags['far_location']).toBeUndefined();
    expect(flags['weak_location']).toContain('800 米');
    const far = await visitor.post(
      '/api/visits',
      buildVisit(elderId, {
        location: { lat: 40.82, lng: 124.78, accuracy: 20, capturedAt: iso(HOUR) },
      }),
    );
    expect(far.json().proof.flags).toEqual([
      { code: 'far_location', message: '定位距以往上门探访位置约 10 公里' },
    ]);
    // Supervisors see the same flags when they read it later.
    const read = await village.get(`/api/visits/${far.json().id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json().proof.flags.map((f: { code: string }) => f.code)).toEqual(['far_location']);
  });

  it('takes the last ten located in-person visits as the reference, so it follows an elder who moved', async () => {
    const e = await village.post(
      '/api/elders',
      buildElder({ name: '钱淑珍', idNumber: idNumber() }),
    );
    expect(e.statusCode, e.body).toBe(201);
    const moved = e.json().id as string;
    const assigned = await village.post('/api/assignments', {
      elderIds: [moved],
      visitorId,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const record = async (hoursAgo: number, lat: number) => {
      const r = await visitor.post(
        '/api/visits',
        buildVisit(moved, {
          visitedAt: iso(hoursAgo * HOUR),
          location: { lat, lng: 124.78, accuracy: 15, capturedAt: iso(hoursAgo * HOUR) },
        }),
      );
      expect(r.statusCode, r.body).toBe(201);
      return (r.json().proof.flags as { code: string }[]).map((f) => f.code);
    };
    // Twelve visits at the old home (40.73), then the elder lives with a daughter 10 km north.
    for (let h = 60; h > 48; h--) expect(await record(h, 40.73)).toEqual([]);
    // The first six there are far from the median of the ten before each (the sixth: 5 km)…
    for (let h = 40; h > 34; h--) expect(await record(h, 40.82)).toEqual(['far_location']);
    // …after six of the last ten, the reference has moved with the elder.
    expect(await record(34, 40.82)).toEqual([]);
    expect(await record(33, 40.82)).toEqual([]);
    // The old home is now the far place.
    expect(await record(32, 40.73)).toEqual(['far_location']);
  });

  it('lists an elder’s visits of a year, newest first, for staff and the elder’s visitor, and logs the read', async () => {
    const year = new Date(Date.now() + 8 * HOUR).getUTCFullYear();
    const res = await village.get(`/api/elders/${elderId}/visits?year=${year}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { visitedAt: string }[];
    expect(items.length).toBeGreaterThan(3);
    const times = items.map((v) => v.visitedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(
      (await village.get(`/api/elders/${elderId}/visits?year=${year - 1}`)).json().items,
    ).toEqual([]);
    expect((await visitor.get(`/api/elders/${elderId}/visits`)).statusCode).toBe(200);
    // A visitor reads only the elders assigned to them.
    expect((await visitor.get(`/api/elders/${unassignedElderId}/visits`)).statusCode).toBe(404);
    const logged = await env()
      .database.db.selectFrom('audit_log')
      .select('action')
      .where('actor_id', '=', village.user.id)
      .where('action', '=', 'visit.list')
      .execute();
    expect(logged.length).toBeGreaterThan(0);
  });

  it('stores a small PNG and JPEG with their SHA-256, attaches them to a visit and serves them back', async () => {
    const id = uuidv7();
    const png = await upload(visitor, PNG, 'image/png', elderId, id);
    expect(png.statusCode, png.body).toBe(201);
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    expect(png.json()).toEqual({ id, kind: 'photo', mime: 'image/png', size: PNG.length, sha256 });
    const retry = await upload(visitor, PNG, 'image/png', elderId, id);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(png.json());
    const swapped = await upload(visitor, JPEG, 'image/jpeg', elderId, id);
    expect(swapped.statusCode).toBe(409);
    const jpeg = await upload(visitor, JPEG, 'image/jpeg');
    expect(jpeg.statusCode, jpeg.body).toBe(201);
    expect(jpeg.json().mime).toBe('image/jpeg');

    const visit = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { attachmentIds: [id, jpeg.json().id] }),
    );
    expect(visit.statusCode, visit.body).toBe(201);
    expect(visit.json().attachments.map((a: { sha256: string }) => a.sha256)).toContain(sha256);
    const image = await village.get(`/api/attachments/${id}`);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.rawPayload, PNG)).toBe(0);
    // Used once: it cannot be attached to a second visit.
    const again = await visitor.post('/api/visits', buildVisit(elderId, { attachmentIds: [id] }));
    expect(again.statusCode).toBe(400);
    expect(again.json().error.field).toBe('attachmentIds');
  });

  it('refuses a 20 MB photo, a text file and an image with a forged type, storing nothing', async () => {
    const before = await counts();
    const huge = Buffer.alloc(20 * 1024 * 1024);
    PNG.copy(huge);
    const big = await upload(visitor, huge, 'image/png');
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'file_too_large', field: 'file' });
    expect(big.json().error.message).toContain('8 MB');
    expect((await env().app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

    const text = await upload(visitor, Buffer.from('不是照片'), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json().error.message).toContain('不是图片');
    const textAsPng = await upload(visitor, Buffer.from('not a picture at all'), 'image/png');
    expect(textAsPng.statusCode).toBe(415);
    const forged = await upload(visitor, PNG, 'image/jpeg');
    expect(forged.statusCode).toBe(415);
    expect(forged.json().error.message).toContain('文件内容与声明的类型不符');
    const unassigned = await upload(visitor, PNG, 'image/png', unassignedElderId);
    expect(unassigned.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('makes the checks of a heating campaign in force required, and a hazard found becomes a finding', async () => {
    const campaign = await township.post('/api/campaigns', {
      regionCode: TOWNSHIP,
      name: '供暖季专项探访',
      kind: 'heating_season',
      startsAt: iso(24 * HOUR),
      endsAt: iso(-30 * 24 * HOUR),
      within: { value: 7, unit: 'days' },
    });
    expect(campaign.statusCode, campaign.body).toBe(201);
    const missing = await visitor.post('/api/visits', buildVisit(elderId));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('answers.check_indoor_temperature');
    expect(missing.json().error.message).toContain('室内温度');
    // Before the campaign began, its checks were not part of the form.
    const earlier = await visitor.post(
      '/api/visits',
      buildVisit(elderId, { visitedAt: iso(48 * HOUR) }),
    );
    expect(earlier.statusCode, earlier.body).toBe(201);
    const done = await visitor.post(
      '/api/visits',
      buildVisit(elderId, {
        answers: {
          ...prefilledAnswers(DANDONG_2023),
          check_indoor_temperature: { value: 'ok' },
          check_heating_safety: { value: 'hazard', text: '煤炉无烟囱' },
        },
      }),
    );
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json().checklist.map((c: { key: string }) => c.key)).toEqual([
      'indoor_temperature',
      'heating_safety',
    ]);
    expect(done.json().findings).toMatchObject([
      { type: 'safety_hazard', title: '专项检查发现隐患：取暖安全（煤气中毒、火灾隐患）' },
    ]);
  });

  it('refuses a visit dated on or after the day the elder died, and keeps one made before', async () => {
    const r = await village.post(
      '/api/elders',
      buildElder({ name: '钱老人', idNumber: idNumber() }),
    );
    const dies = r.json().id as string;
    const today = todayIso();
    expect(
      (
        await village.post(`/api/elders/${dies}/status`, {
          status: 'deceased',
          effectiveDate: today,
        })
      ).statusCode,
    ).toBe(200);
    const before = await counts();
    const after = await village.post(
      '/api/visits',
      buildVisit(dies, { visitorId, visitedAt: new Date().toISOString() }),
    );
    expect(after.statusCode).toBe(400);
    expect(after.json().error.field).toBe('visitedAt');
    expect(after.json().error.message).toContain('已故');
    expect(await counts()).toEqual(before);
  });
});
