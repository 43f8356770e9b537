/**
 * Jurisdiction isolation across every API endpoint: a user sees and changes only what lies under
 * their region prefix, and gets 404 (never data, never "forbidden but exists") for the rest.
 * The last test fails when an endpoint is added without being covered here.
 */
import { DANDONG_2023, ElderFields, localDateOf, prefilledAnswers, uuidv7 } from '@tanfang/domain';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { LEDGER_SHEET, XLSX_TYPE, rowOf } from '../modules/imports/ledger-sheet.js';
import { buildElder, buildVisit, buildVisitor, idNumber } from '../test/factories.js';
import { describeEachDatabase, type Client } from '../test/harness.js';

// Village A: 东岔村 (宽甸县灌水镇). Village B: a village of 东港市, another county.
const VILLAGE_A = '210624101201';
const VILLAGE_B = '210681101201';
const TOWNSHIP_B = '210681101';

/** Endpoints with a record in the path, and how village A's user tries to reach village B's. */
const COVERED = new Set([
  'GET /api/regions/:code',
  'GET /api/regions/:code/children',
  'GET /api/users/:id',
  'PATCH /api/users/:id',
  'POST /api/users/:id/reset-password',
  'POST /api/users/:id/unlock',
  'GET /api/elders/:id',
  'PATCH /api/elders/:id',
  'POST /api/elders/:id/status',
  'POST /api/elders/:id/reveal',
  'GET /api/imports/:id',
  'GET /api/imports/:id/report',
  'GET /api/visitors/:id',
  'PATCH /api/visitors/:id',
  'POST /api/visitors/:id/leave',
  'POST /api/assignments/:id/end',
  'GET /api/elders/:id/assignments',
  'GET /api/policies/:id',
  'POST /api/policies/:id/versions',
  'POST /api/policies/:id/retire',
  'GET /api/campaigns/:id',
  'GET /api/elders/:id/schedule',
  'POST /api/campaigns/:id/cancel',
  'GET /api/visits/:id',
  'POST /api/visits/:id/amendments',
  'GET /api/visits/:id/revisions',
  'GET /api/elders/:id/visits',
  'GET /api/elders/:id/findings',
  'GET /api/attachments/:id',
  'PUT /api/attachments/:id',
  'GET /api/templates/:key/:version',
  'GET /api/providers/:id',
  'PATCH /api/providers/:id',
  'GET /api/referrals/:id',
  'POST /api/referrals/:id/transitions',
  'GET /api/elders/:id/referrals',
  'GET /api/elders/:id/care-services',
  'GET /api/elders/:id/entitlement-hints',
  'POST /api/elders/:id/entitlement-hints/dismissals',
  'GET /api/findings/:id',
  'POST /api/findings/:id/transitions',
  'POST /api/findings/:id/disposals',
  'PUT /api/findings/:id/owner',
  'POST /api/findings/:id/notes',
  'POST /api/emergencies/:id/acknowledge',
  'PUT /api/emergencies/:id/checklist',
  // Collections, filtered by jurisdiction (checked below):
  'GET /api/regions',
  'GET /api/users',
  'POST /api/users',
  'GET /api/audit',
  'GET /api/elders',
  'POST /api/elders',
  'POST /api/imports/elders',
  'GET /api/exports/elders',
  'GET /api/reports/monthly-statistics',
  'GET /api/reports/monthly-statistics.xlsx',
  'GET /api/reports/ledger-completeness',
  'GET /api/reports/ledger-completeness.xlsx',
  'GET /api/visitors',
  'POST /api/visitors',
  'GET /api/assignments',
  'POST /api/assignments',
  'POST /api/assignments/reassign/preview',
  'POST /api/assignments/reassign',
  'GET /api/policies',
  'POST /api/policies',
  'POST /api/policies/presets/:key/apply',
  'GET /api/campaigns',
  'GET /api/worklist',
  'GET /api/visitors/accounts',
  'GET /api/schedule/summary',
  'GET /api/visit-rate',
  'GET /api/visit-rate/unvisited',
  'GET /api/dashboard/rate-trend',
  'GET /api/dashboard/findings',
  'GET /api/dashboard/emergencies',
  'GET /api/dashboard/needs',
  'GET /api/dashboard/campaigns',
  'GET /api/scorecards',
  'GET /api/scorecards/export',
  'GET /api/scorecards/config',
  'PUT /api/scorecards/config',
  'POST /api/campaigns',
  'POST /api/visits',
  'GET /api/visits/amendable',
  'GET /api/findings',
  'PATCH /api/notification-channels/:id',
  'POST /api/notification-channels/:id/test',
  'GET /api/notification-channels',
  'POST /api/notification-channels',
  'GET /api/alerts',
  'GET /api/alerts/queue',
  // Sends only "your queue changed" for changes within or above the jurisdiction (alerts.int.test.ts).
  'GET /api/alerts/stream',
  'GET /api/follow-up/deadlines',
  'PUT /api/follow-up/deadlines',
  'POST /api/emergencies',
  'GET /api/emergencies',
  'GET /api/emergencies/summary',
  'GET /api/templates',
  'POST /api/templates',
  'GET /api/providers',
  'POST /api/providers',
  'GET /api/referrals',
  'POST /api/referrals',
  'GET /api/care-services',
  'POST /api/care-services',
  'GET /api/spot-checks',
  'POST /api/spot-checks',
  'GET /api/spot-checks/pass-rate',
  'GET /api/spot-checks/:id',
  'GET /api/spot-checks/:id/reproduce',
  'GET /api/spot-checks/:id/checkers',
  'POST /api/spot-checks/:id/assignments',
  'POST /api/spot-check-items/:id/result',
  'GET /api/spot-check-items/:id/events',
  'POST /api/spot-check-items/:id/phone',
  // Not about records of a region:
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'GET /api/auth/me',
  'GET /api/imports/elders/template',
  'GET /api/policies/presets',
  // The signed-in user's own duty (值班):
  'PATCH /api/users/me/duty',
]);

/** The census template with one row per elder, filled in as a user would. */
async function censusFile(
  client: Client,
  elders: ReturnType<typeof buildElder>[],
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await client.get('/api/imports/elders/template')).rawPayload);
  const sheet = workbook.getWorksheet(LEDGER_SHEET)!;
  for (const e of elders) sheet.addRow(rowOf(ElderFields.parse(e)));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Uploads a census file and waits for the import to finish. */
async function importCensus(client: Client, file: Buffer) {
  const res = await client.inject({
    method: 'POST',
    url: '/api/imports/elders?mode=valid_only',
    payload: file,
    headers: { 'content-type': XLSX_TYPE },
  });
  expect(res.statusCode, res.body).toBe(202);
  for (;;) {
    const status = (await client.get(`/api/imports/${res.json().id}`)).json();
    if (status.status !== 'running') return status;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeEachDatabase('jurisdiction isolation', (env) => {
  let a: Client;
  let adminA: Client;
  let auditorA: Client;
  let userB: { id: string };
  let elderB: { id: string };

  it('sets up two villages in two counties', async () => {
    a = await env().signIn('village', VILLAGE_A);
    adminA = await env().signIn('admin', '210624');
    auditorA = await env().signIn('auditor', '210624');
    const adminB = await env().signIn('admin', '210681');
    userB = await env().createUser('village', VILLAGE_B, { display_name: '东港村干部' });
    const villageB = await env().signIn('village', VILLAGE_B);
    const created = await villageB.post(
      '/api/elders',
      buildElder({ name: '东港老人', villageCode: VILLAGE_B }),
    );
    expect(created.statusCode, created.body).toBe(201);
    elderB = created.json();
    // Something to find in B's audit log:
    expect(
      (await adminB.patch(`/api/users/${userB.id}`, { displayName: '东港村干部乙' })).statusCode,
    ).toBe(200);
  });

  it('gives village A 404 for village B’s regions', async () => {
    for (const url of [
      `/api/regions/${VILLAGE_B}`,
      `/api/regions/${TOWNSHIP_B}/children`,
      `/api/regions/${VILLAGE_B}/children`,
    ]) {
      const res = await a.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    // Its own village and the regions that enclose it are visible.
    expect((await a.get(`/api/regions/${VILLAGE_A}`)).statusCode).toBe(200);
    expect((await a.get('/api/regions/2106')).statusCode).toBe(200);
    expect((await a.get('/api/regions/210624101/children')).statusCode).toBe(404);
    const search = await a.get(`/api/regions?q=${encodeURIComponent('村')}&limit=100`);
    expect(search.json().items.map((r: { code: string }) => r.code)).toEqual([VILLAGE_A]);
  });

  it('gives an admin of A’s county 404 for B’s users on every user endpoint', async () => {
    const attempts = [
      adminA.get(`/api/users/${userB.id}`),
      adminA.patch(`/api/users/${userB.id}`, { displayName: '改名' }),
      adminA.post(`/api/users/${userB.id}/reset-password`, { password: 'Taken-over-2026' }),
      adminA.post(`/api/users/${userB.id}/unlock`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('用户不存在或不在您的辖区内');
    }
    const list = await adminA.get('/api/users?pageSize=200');
    expect(list.json().items.map((u: { id: string }) => u.id)).not.toContain(userB.id);
    expect((await adminA.get(`/api/users?region=${VILLAGE_B}`)).statusCode).toBe(404);
    const row = await env()
      .database.db.selectFrom('users')
      .select('display_name')
      .where('id', '=', userB.id)
      .executeTakeFirstOrThrow();
    expect(row.display_name).toBe('东港村干部乙');
  });

  it('gives village A 404 for village B’s elders on every elder endpoint, and writes nothing', async () => {
    const before = await env()
      .database.db.selectFrom('elders')
      .selectAll()
      .where('id', '=', elderB.id)
      .executeTakeFirstOrThrow();
    const attempts = [
      a.get(`/api/elders/${elderB.id}`),
      a.patch(`/api/elders/${elderB.id}`, { version: 1, diseases: '篡改' }),
      a.post(`/api/elders/${elderB.id}/status`, {
        status: 'deceased',
        effectiveDate: '2026-11-20',
      }),
      a.post(`/api/elders/${elderB.id}/reveal`, { reason: '试探' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.message).toBe('老年人记录不存在或不在您的辖区内');
      expect(res.body).not.toContain('东港老人');
    }
    const list = await a.get('/api/elders?pageSize=200');
    expect(list.json().items.map((e: { id: string }) => e.id)).not.toContain(elderB.id);
    expect((await a.get(`/api/elders?region=${VILLAGE_B}`)).statusCode).toBe(404);
    const created = await a.post('/api/elders', buildElder({ villageCode: VILLAGE_B }));
    expect(created.statusCode).toBe(400);
    const after = await env()
      .database.db.selectFrom('elders')
      .selectAll()
      .where('id', '=', elderB.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('shows an auditor only their jurisdiction’s audit log', async () => {
    const res = await auditorA.get('/api/audit?pageSize=200');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { regionCode: string; entityId: string }[];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.regionCode.startsWith('210624')).toBe(true);
    expect(items.map((i) => i.entityId)).not.toContain(userB.id);
    expect((await auditorA.get(`/api/audit?region=${VILLAGE_B}`)).statusCode).toBe(404);
    expect((await a.get('/api/audit')).statusCode).toBe(403);
  });

  it('gives village A 404 for village B’s imports and exports, and refuses A’s rows for B', async () => {
    const villageB = await env().signIn('village', VILLAGE_B);
    const imported = await importCensus(
      villageB,
      await censusFile(villageB, [
        buildElder({ name: '东港新登记', villageCode: VILLAGE_B, idNumber: idNumber('19420202') }),
      ]),
    );
    expect(imported.summary.created).toBe(1);
    for (const url of [`/api/imports/${imported.id}`, `/api/imports/${imported.id}/report`]) {
      const res = await a.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.message).toBe('导入记录不存在或不在您的辖区内');
    }
    expect((await a.get(`/api/exports/elders?reason=x&region=${VILLAGE_B}`)).statusCode).toBe(404);
    const mine = await a.get('/api/exports/elders?reason=x&full=true');
    expect(mine.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(mine.rawPayload);
    const names: unknown[] = [];
    workbook.getWorksheet(LEDGER_SHEET)!.eachRow((row) => names.push(row.getCell(1).value));
    expect(names).not.toContain('东港老人');
    expect(names).not.toContain('东港新登记');

    const before = await env()
      .database.db.selectFrom('elders')
      .selectAll()
      .where('id', '=', elderB.id)
      .executeTakeFirstOrThrow();
    const intrusion = await importCensus(
      a,
      await censusFile(a, [buildElder({ name: '越界', villageCode: VILLAGE_B })]),
    );
    expect(intrusion.summary.created).toBe(0);
    expect(intrusion.errors[0]).toMatchObject({ row: 2, column: '居住村(居)代码' });
    expect(intrusion.errors[0].message).toContain('居住地不在您的辖区内');
    const after = await env()
      .database.db.selectFrom('elders')
      .selectAll()
      .where('id', '=', elderB.id)
      .executeTakeFirstOrThrow();
    expect(after).toEqual(before);
  });

  it('gives village A and an auditor of county A 404 for B’s reports, and none of B’s elders in their own', async () => {
    // This month, China time.
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const urls = (region: string) => [
      `/api/reports/monthly-statistics?region=${region}&month=${month}`,
      `/api/reports/monthly-statistics.xlsx?region=${region}&month=${month}`,
      `/api/reports/ledger-completeness?region=${region}`,
      `/api/reports/ledger-completeness.xlsx?region=${region}`,
    ];
    for (const [client, region] of [
      [a, VILLAGE_B],
      [a, TOWNSHIP_B],
      [auditorA, '210681'],
      [auditorA, '2106'],
    ] as const) {
      for (const url of urls(region)) {
        const res = await client.get(url);
        expect(res.statusCode, url).toBe(404);
        expect(res.body).not.toContain('东港');
      }
    }
    const own = await a.get('/api/reports/ledger-completeness');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('东港');
    for (const r of own.json().rows as { region: { code: string } }[])
      expect(r.region.code).toBe(VILLAGE_A);
    const county = await auditorA.get('/api/reports/ledger-completeness.xlsx');
    expect(county.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(county.rawPayload);
    for (const sheet of workbook.worksheets)
      sheet.eachRow((row) =>
        row.eachCell((cell) => expect(String(cell.value)).not.toMatch(/东港|210681/)),
      );
  });

  it('gives users of county A 404 for county B’s policies and campaigns, and changes nothing', async () => {
    // The China (UTC+8) date `n` days from now.
    const day = (n: number) =>
      new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
    const content = {
      name: '东港每月探访',
      cadence: { kind: 'monthly' },
      countedMethods: ['in_person', 'phone'],
      templateKey: 'dandong-2023',
      effectiveFrom: day(1),
    };
    const countyB = await env().signIn('county', '210681');
    const policyB = await countyB.post('/api/policies', { ...content, regionCode: '210681' });
    expect(policyB.statusCode, policyB.body).toBe(201);
    const campaign = {
      regionCode: TOWNSHIP_B,
      name: '东港汛期专项',
      kind: 'flood_season',
      startsAt: new Date().toISOString(),
      endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      within: { value: 48, unit: 'hours' },
    };
    const campaignB = await countyB.post('/api/campaigns', campaign);
    expect(campaignB.statusCode, campaignB.body).toBe(201);
    const pid = policyB.json().id as string;
    const cid = campaignB.json().id as string;
    const countyA = await env().signIn('county', '210624');
    const townshipA = await env().signIn('township', '210624101');
    const attempts = [
      a.get(`/api/policies/${pid}`),
      countyA.get(`/api/policies/${pid}`),
      countyA.post(`/api/policies/${pid}/versions`, { ...content, effectiveFrom: day(5) }),
      countyA.post(`/api/policies/${pid}/retire`, { effectiveFrom: day(5) }),
      a.get(`/api/campaigns/${cid}`),
      townshipA.get(`/api/campaigns/${cid}`),
      countyA.post(`/api/campaigns/${cid}/cancel`),
      a.get(`/api/policies?region=210681`),
      townshipA.get(`/api/campaigns?region=${TOWNSHIP_B}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    for (const url of ['/api/policies', '/api/campaigns']) {
      const res = await a.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('东港');
    }
    // Nor can they set rules or campaigns for B.
    const writes = [
      countyA.post('/api/policies', { ...content, regionCode: '210681' }),
      countyA.post('/api/policies/presets/dandong-2023/apply', {
        regionCode: TOWNSHIP_B,
        effectiveFrom: day(1),
      }),
      townshipA.post('/api/campaigns', campaign),
    ];
    for (const res of await Promise.all(writes)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toContain('不在您的辖区内');
    }
    const db = env().database.db;
    expect(
      await db
        .selectFrom('visit_policies')
        .select('id')
        .where('region_code', 'like', '210681%')
        .execute(),
    ).toHaveLength(1);
    expect(
      await db
        .selectFrom('visit_policy_versions')
        .select('version')
        .where('policy_id', '=', pid)
        .execute(),
    ).toEqual([{ version: 1 }]);
    expect(
      (
        await db
          .selectFrom('campaigns')
          .select('status')
          .where('id', '=', cid)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('active');
  });

  it('gives village A 404 for village B’s schedule, worklist and counts', async () => {
    expect((await a.get(`/api/elders/${elderB.id}/schedule`)).statusCode).toBe(404);
    expect((await a.get(`/api/worklist?region=${VILLAGE_B}`)).statusCode).toBe(404);
    expect((await a.get(`/api/visitors/accounts?region=${VILLAGE_B}`)).statusCode).toBe(404);
    expect((await a.get(`/api/worklist?region=${TOWNSHIP_B}`)).statusCode).toBe(404);
    expect((await a.get(`/api/schedule/summary?region=${TOWNSHIP_B}`)).statusCode).toBe(404);
    // A's own counts never include B's elder.
    const own = await a.get('/api/schedule/summary');
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('东港');
    const month = new Date().toISOString().slice(0, 7);
    expect((await a.get(`/api/visit-rate?region=${TOWNSHIP_B}&period=${month}`)).statusCode).toBe(
      404,
    );
    expect(
      (await a.get(`/api/visit-rate/unvisited?region=${VILLAGE_B}&period=${month}`)).statusCode,
    ).toBe(404);
    const rate = await a.get(`/api/visit-rate?period=${month}`);
    expect(rate.statusCode, rate.body).toBe(200);
    expect(rate.body).not.toContain('东港');
  });

  it('gives village A 404 for village B’s visitors and assignments, and writes nothing', async () => {
    const villageB = await env().signIn('village', VILLAGE_B);
    const visitorB = await villageB.post(
      '/api/visitors',
      buildVisitor({ name: '东港探访员', regionCode: VILLAGE_B }),
    );
    expect(visitorB.statusCode, visitorB.body).toBe(201);
    const vB = visitorB.json().id as string;
    const assigned = await villageB.post('/api/assignments', {
      elderIds: [elderB.id],
      visitorId: vB,
      role: 'primary',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    const assignmentB = assigned.json().created[0].id as string;
    const visitorA = (
      await a.post('/api/visitors', buildVisitor({ name: '东岔探访员', regionCode: VILLAGE_A }))
    ).json().id as string;
    const db = env().database.db;
    const snapshot = async () => ({
      visitors: await db.selectFrom('visitors').selectAll().where('id', '=', vB).execute(),
      assignments: await db
        .selectFrom('assignments')
        .selectAll()
        .where('elder_id', '=', elderB.id)
        .execute(),
    });
    const before = await snapshot();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const attempts = [
      a.get(`/api/visitors/${vB}`),
      a.patch(`/api/visitors/${vB}`, { version: 1, name: '篡改' }),
      a.post(`/api/visitors/${vB}/leave`, { leftOn: today }),
      a.get(`/api/elders/${elderB.id}/assignments`),
      a.post(`/api/assignments/${assignmentB}/end`, { endDate: today, reason: '越权' }),
      a.post('/api/assignments', { elderIds: [elderB.id], visitorId: visitorA, role: 'backup' }),
      a.post('/api/assignments/reassign/preview', {
        scope: { kind: 'elder', elderId: elderB.id },
        toVisitorId: visitorA,
        reason: '越权',
      }),
      a.post('/api/assignments/reassign', {
        scope: { kind: 'visitor', visitorId: vB },
        toVisitorId: visitorA,
        reason: '越权',
      }),
      a.post('/api/assignments/reassign', {
        scope: { kind: 'village', villageCode: VILLAGE_B },
        toVisitorId: visitorA,
        reason: '越权',
      }),
      a.get(`/api/visitors?region=${VILLAGE_B}`),
      a.get(`/api/assignments?region=${VILLAGE_B}`),
      a.get(`/api/assignments?visitorId=${vB}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    for (const url of ['/api/visitors?pageSize=200', '/api/assignments?pageSize=200']) {
      const res = await a.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('东港');
    }
    const outside = await a.post('/api/visitors', buildVisitor({ regionCode: VILLAGE_B }));
    expect(outside.json().error).toMatchObject({ field: 'regionCode' });
    expect(await snapshot()).toEqual(before);
  });

  it('gives village A 404 for village B’s visits, findings, photos and city templates, and writes nothing', async () => {
    const villageB = await env().signIn('village', VILLAGE_B);
    const visitorB = (
      await villageB.post(
        '/api/visitors',
        buildVisitor({ name: '东港记录员', regionCode: VILLAGE_B }),
      )
    ).json().id as string;
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const photoId = uuidv7();
    const photo = await villageB.inject({
      method: 'PUT',
      url: `/api/attachments/${photoId}?elderId=${elderB.id}&kind=photo`,
      payload: png,
      headers: { 'content-type': 'image/png' },
    });
    expect(photo.statusCode, photo.body).toBe(201);
    const visit = await villageB.post(
      '/api/visits',
      buildVisit(elderB.id, {
        visitorId: visitorB,
        attachmentIds: [photoId],
        answers: { ...prefilledAnswers(DANDONG_2023), gas_safety: { value: 'unsafe' } },
      }),
    );
    expect(visit.statusCode, visit.body).toBe(201);
    const cityB = await env().signIn('city', '2106');
    const db = env().database.db;
    const count = async (table: 'visits' | 'findings' | 'attachments') =>
      (await db.selectFrom(table).select('id').execute()).length;
    const before = [await count('visits'), await count('findings'), await count('attachments')];
    const visitRowB = () =>
      db
        .selectFrom('visits')
        .selectAll()
        .where('id', '=', visit.json().id)
        .executeTakeFirstOrThrow();
    const storedB = await visitRowB();
    const otherCity = await env().signIn('city', '2103');
    const template = { ...DANDONG_2023, key: 'anshan-city', version: 1, name: '鞍山市探访表' };
    expect((await otherCity.post('/api/templates', template)).statusCode).toBe(201);
    const attempts = [
      a.get(`/api/visits/${visit.json().id}`),
      a.get(`/api/elders/${elderB.id}/visits`),
      a.get(`/api/elders/${elderB.id}/findings`),
      a.get(`/api/attachments/${photoId}`),
      a.inject({
        method: 'PUT',
        url: `/api/attachments/${uuidv7()}?elderId=${elderB.id}&kind=photo`,
        payload: png,
        headers: { 'content-type': 'image/png' },
      }),
      a.post('/api/visits', buildVisit(elderB.id, { visitorId: visitorB })),
      a.post(`/api/visits/${visit.json().id}/amendments`, {
        revision: 1,
        visitedAt: visit.json().visitedAt,
        method: 'phone',
        answers: prefilledAnswers(DANDONG_2023),
        reason: '越权更正',
      }),
      a.get(`/api/visits/${visit.json().id}/revisions`),
      a.get(`/api/findings?region=${VILLAGE_B}`),
      cityB.get('/api/templates/anshan-city/1'),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    const own = await a.get('/api/findings');
    expect(own.statusCode).toBe(200);
    expect(own.json().total).toBe(0);
    // What one may still correct is only ever one's own entries: B's author sees the visit, A and
    // another officer of village B do not.
    const amendable = async (client: Client) =>
      ((await client.get('/api/visits/amendable')).json().items as { id: string }[]).map(
        (v) => v.id,
      );
    expect(await amendable(villageB)).toEqual([visit.json().id]);
    expect(await amendable(a)).toEqual([]);
    expect(await amendable(await env().signIn('village', VILLAGE_B))).toEqual([]);
    expect((await cityB.get('/api/templates')).body).not.toContain('鞍山市探访表');
    expect([await count('visits'), await count('findings'), await count('attachments')]).toEqual(
      before,
    );
    // B's visit is as it was: still its first version, with no earlier ones kept.
    expect(await visitRowB()).toEqual(storedB);
    expect(await db.selectFrom('visit_revisions').select('visit_id').execute()).toEqual([]);
  });

  it('gives village A 404 for village B’s providers, referrals, care services and entitlement hints, and writes nothing', async () => {
    const countyB = await env().signIn('county', '210681');
    const villageB = await env().signIn('village', VILLAGE_B);
    const providerB = await countyB.post('/api/providers', {
      name: '东港市居家养老服务中心',
      kinds: ['daily_care'],
      regionCode: '210681',
    });
    expect(providerB.statusCode, providerB.body).toBe(201);
    const pB = providerB.json().id as string;
    const referral = await villageB.post('/api/referrals', {
      id: uuidv7(),
      elderId: elderB.id,
      providerId: pB,
      kind: 'daily_care',
      need: '东港助餐',
    });
    expect(referral.statusCode, referral.body).toBe(201);
    const rB = referral.json().id as string;
    const service = await villageB.post('/api/care-services', {
      id: uuidv7(),
      elderId: elderB.id,
      servedOn: '2026-11-20',
      content: '东港上门服务',
      providerId: pB,
      satisfaction: 'satisfied',
    });
    expect(service.statusCode, service.body).toBe(201);
    const countyA = await env().signIn('county', '210624');
    const db = env().database.db;
    const snapshot = async () => ({
      providers: await db
        .selectFrom('service_providers')
        .selectAll()
        .where('id', '=', pB)
        .execute(),
      referrals: await db
        .selectFrom('referrals')
        .selectAll()
        .where('elder_id', '=', elderB.id)
        .execute(),
      events: await db.selectFrom('referral_events').select('id').execute(),
      services: await db.selectFrom('care_services').selectAll().execute(),
      dismissals: await db.selectFrom('entitlement_dismissals').selectAll().execute(),
    });
    const before = await snapshot();
    const attempts = [
      a.get(`/api/providers/${pB}`),
      countyA.get(`/api/providers/${pB}`),
      countyA.patch(`/api/providers/${pB}`, { name: '篡改' }),
      a.get(`/api/referrals/${rB}`),
      a.post(`/api/referrals/${rB}/transitions`, { to: 'cancelled', note: '越权撤回' }),
      a.get(`/api/elders/${elderB.id}/referrals`),
      a.get(`/api/elders/${elderB.id}/care-services`),
      a.get(`/api/elders/${elderB.id}/entitlement-hints`),
      a.post(`/api/elders/${elderB.id}/entitlement-hints/dismissals`, {
        rule: 'old_age_allowance',
        reason: '越权',
      }),
      a.post('/api/referrals', {
        id: uuidv7(),
        elderId: elderB.id,
        providerId: pB,
        kind: 'daily_care',
        need: '越权转介',
      }),
      a.post('/api/care-services', {
        id: uuidv7(),
        elderId: elderB.id,
        servedOn: '2026-11-20',
        content: '越权记录',
        providerName: '某人',
        satisfaction: 'satisfied',
      }),
      a.get(`/api/referrals?region=${VILLAGE_B}`),
      a.get(`/api/care-services?region=${VILLAGE_B}`),
      countyA.get(`/api/providers?region=210681`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    for (const url of ['/api/referrals', '/api/care-services', '/api/providers']) {
      const res = await countyA.get(url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('东港');
    }
    // A provider of A cannot be given B's elder either.
    const providerA = (
      await countyA.post('/api/providers', {
        name: '宽甸助餐点',
        kinds: ['daily_care'],
        regionCode: '210624',
      })
    ).json().id as string;
    const crossed = await villageB.post('/api/referrals', {
      id: uuidv7(),
      elderId: elderB.id,
      providerId: providerA,
      kind: 'daily_care',
      need: '跨县转介',
    });
    expect(crossed.json().error.field).toBe('providerId');
    expect(await snapshot()).toEqual(before);
  });

  it('gives village A 404 for village B’s findings, emergencies and deadlines, and writes nothing', async () => {
    const villageB = await env().signIn('village', VILLAGE_B);
    const emergency = await villageB.post('/api/emergencies', {
      id: uuidv7(),
      elderId: elderB.id,
      title: '东港老人摔倒',
      description: '家属来电',
    });
    expect(emergency.statusCode, emergency.body).toBe(201);
    const id = emergency.json().id as string;
    const countyA = await env().signIn('county', '210624');
    const db = env().database.db;
    const snapshot = async () => ({
      finding: await db.selectFrom('findings').selectAll().where('id', '=', id).execute(),
      events: (await db.selectFrom('finding_events').select('id').execute()).length,
      disposals: (await db.selectFrom('finding_disposals').select('id').execute()).length,
      deadlines: await db.selectFrom('follow_up_deadlines').selectAll().execute(),
      findings: (await db.selectFrom('findings').select('id').execute()).length,
    });
    const before = await snapshot();
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const attempts = [
      a.get(`/api/findings/${id}`),
      a.post(`/api/findings/${id}/transitions`, { to: 'in_progress' }),
      a.post(`/api/findings/${id}/disposals`, {
        kind: 'other',
        description: '越权',
        handledOn: today,
      }),
      a.inject({ method: 'PUT', url: `/api/findings/${id}/owner`, payload: { ownerId: null } }),
      a.post(`/api/findings/${id}/notes`, { note: '越权' }),
      a.post(`/api/emergencies/${id}/acknowledge`),
      a.inject({
        method: 'PUT',
        url: `/api/emergencies/${id}/checklist`,
        payload: { emergencyNumber: '110' },
      }),
      a.post('/api/emergencies', {
        id: uuidv7(),
        elderId: elderB.id,
        title: '越权',
        description: '越权',
      }),
      a.get(`/api/emergencies?region=${VILLAGE_B}`),
      a.get(`/api/emergencies/summary?region=${VILLAGE_B}`),
      a.get(`/api/follow-up/deadlines?region=${VILLAGE_B}`),
      countyA.inject({
        method: 'PUT',
        url: '/api/follow-up/deadlines?region=210681',
        payload: { rules: [] },
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    for (const url of ['/api/emergencies', '/api/emergencies/summary', '/api/findings']) {
      const own = await a.get(url);
      expect(own.statusCode).toBe(200);
      expect(own.body).not.toContain('东港');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('gives county A 404 for county B’s notification channels and alerts, and none of B’s emergencies', async () => {
    const adminB = await env().signIn('admin', '210681');
    const created = await adminB.post('/api/notification-channels', {
      regionCode: '210681',
      kind: 'webhook',
      name: '东港应急平台',
      config: { url: 'https://donggang.example.cn/hook', secret: 'donggang-secret-0001' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const before = await env()
      .database.db.selectFrom('notification_channels')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    for (const res of await Promise.all([
      adminA.patch(`/api/notification-channels/${id}`, { name: '改名', active: false }),
      adminA.post(`/api/notification-channels/${id}/test`),
      adminA.get(`/api/alerts?channel=${id}`),
    ])) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    expect(
      await env()
        .database.db.selectFrom('notification_channels')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    ).toEqual(before);
    const channels = await adminA.get('/api/notification-channels');
    expect(channels.body).not.toContain('东港');
    expect((await adminB.post(`/api/notification-channels/${id}/test`)).statusCode).toBe(202);
    expect((await adminA.get('/api/alerts')).body).not.toContain('东港');
    // An emergency in B is in no queue of A.
    await env()
      .database.db.insertInto('findings')
      .values({
        id: uuidv7(),
        visit_id: null,
        elder_id: elderB.id,
        county_code: '210681',
        village_code: VILLAGE_B,
        type: 'emergency',
        severity: 'emergency',
        title: '东港紧急情况',
        source: 'staff',
      })
      .execute();
    for (const client of [a, adminA, auditorA]) {
      const queue = await client.get('/api/alerts/queue');
      expect(queue.statusCode).toBe(200);
      expect(queue.body).not.toContain('东港');
    }
  });

  it('gives county and township A 404 for county B’s spot checks, and writes nothing', async () => {
    const countyB = await env().signIn('county', '210681');
    const visitB = await env()
      .database.db.selectFrom('visits')
      .select('visited_at')
      .where('elder_id', '=', elderB.id)
      .executeTakeFirstOrThrow();
    const month = localDateOf(visitB.visited_at.getTime()).slice(0, 7);
    const drawn = await countyB.post('/api/spot-checks', {
      townshipCode: TOWNSHIP_B,
      month,
      ratePercent: 100,
    });
    expect(drawn.statusCode, drawn.body).toBe(201);
    const sampleId = drawn.json().id as string;
    const itemId = drawn.json().items[0].id as string;
    const countyA = await env().signIn('county', '210624');
    const townshipA = await env().signIn('township', VILLAGE_A.slice(0, 9));
    const db = env().database.db;
    const snapshot = async () => [
      await db.selectFrom('spot_check_samples').selectAll().execute(),
      await db.selectFrom('spot_check_items').selectAll().execute(),
      await db.selectFrom('spot_check_events').selectAll().execute(),
      await db.selectFrom('visits').select(['id', 'unverified']).orderBy('id').execute(),
    ];
    const before = await snapshot();
    for (const client of [countyA, townshipA]) {
      for (const res of await Promise.all([
        client.get(`/api/spot-checks/${sampleId}`),
        client.get(`/api/spot-checks/${sampleId}/reproduce`),
        client.get(`/api/spot-checks/${sampleId}/checkers`),
        client.post(`/api/spot-checks/${sampleId}/assignments`, {
          checkerId: client.user.id,
          itemIds: [itemId],
        }),
        client.post(`/api/spot-check-items/${itemId}/result`, {
          result: 'not_verified',
          note: '未能核实',
        }),
        client.get(`/api/spot-check-items/${itemId}/events`),
        client.post(`/api/spot-check-items/${itemId}/phone`, { reason: '核实' }),
        client.get(`/api/spot-checks?region=${TOWNSHIP_B}`),
        client.get(`/api/spot-checks/pass-rate?region=210681&period=${month}`),
        client.post('/api/spot-checks', { townshipCode: TOWNSHIP_B, month, ratePercent: 50 }),
      ])) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.body).not.toContain('东港');
      }
      for (const url of ['/api/spot-checks', `/api/spot-checks/pass-rate?period=${month}`]) {
        const own = await client.get(url);
        expect(own.statusCode, own.body).toBe(200);
        expect(own.body).not.toContain('东港');
        expect(own.body).not.toContain(TOWNSHIP_B);
      }
    }
    // A village account does not spot-check at all.
    expect((await a.get('/api/spot-checks')).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('gives county A 404 for county B’s dashboard and scorecards, and none of B’s in its own', async () => {
    const countyA = await env().signIn('county', '210624');
    const db = env().database.db;
    const configs = () => db.selectFrom('scorecard_configs').selectAll().execute();
    const before = await configs();
    for (const res of await Promise.all([
      countyA.get('/api/dashboard/rate-trend?region=210681'),
      countyA.get(`/api/dashboard/findings?region=${TOWNSHIP_B}`),
      countyA.get(`/api/dashboard/emergencies?region=${VILLAGE_B}`),
      countyA.get('/api/dashboard/needs?region=210681'),
      countyA.get(`/api/dashboard/campaigns?region=${TOWNSHIP_B}`),
      countyA.get('/api/scorecards?region=210681'),
      countyA.get(`/api/scorecards?region=${TOWNSHIP_B}`),
      countyA.get('/api/scorecards/export?region=210681'),
      countyA.get('/api/scorecards/config?region=210681'),
      countyA.inject({
        method: 'PUT',
        url: '/api/scorecards/config?region=210681',
        payload: { indicators: [{ key: 'visit_rate', weight: 100 }] },
      }),
    ])) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.body).not.toContain('东港');
    }
    for (const url of [
      '/api/dashboard/rate-trend?months=2',
      '/api/dashboard/findings',
      '/api/dashboard/needs',
      '/api/dashboard/campaigns',
      '/api/scorecards',
    ]) {
      const own = await countyA.get(url);
      expect(own.statusCode, own.body).toBe(200);
      expect(own.body).not.toContain('东港');
      expect(own.body).not.toContain(TOWNSHIP_B);
    }
    expect(await configs()).toEqual(before);
  });

  it('covers every API endpoint that exists', () => {
    const uncovered = env().app.apiRoutes.filter((r) => !COVERED.has(r));
    expect(uncovered).toEqual([]);
  });
});
