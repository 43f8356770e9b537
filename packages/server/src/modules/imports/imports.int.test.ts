import { ElderFields, type ElderInput } from '@tanfang/domain';
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { Vault } from '../../crypto.js';
import { DONGCHA, GUJIATUN, buildElder, idNumber } from '../../test/factories.js';
import { TEST_KEY, describeEachDatabase, type Client } from '../../test/harness.js';
import { COLUMNS, LEDGER_SHEET, XLSX_TYPE, rowOf } from './ledger-sheet.js';
import { DEFAULT_IMPORT_LIMITS, ImportsService, type ImportDto } from './imports.service.js';
import { headerCells, rowXml, sheetXml, workbookOf } from './xlsx-fixtures.js';

type Cells = (string | number | null | { formula: string; result?: string })[];

/** The template with rows filled in by exceljs, as a user would in Excel. */
async function fillTemplate(template: Buffer, rows: Cells[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template);
  const sheet = workbook.getWorksheet(LEDGER_SHEET)!;
  rows.forEach((cells, i) => {
    const row = sheet.getRow(i + 2);
    cells.forEach((v, j) => {
      if (v !== null) row.getCell(j + 1).value = v as ExcelJS.CellValue;
    });
    row.commit();
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A record as its sheet row (Chinese labels, like a user types them). */
const cellsOf = (input: ElderInput): Cells => rowOf(ElderFields.parse(input));
const col = (header: string) => COLUMNS.findIndex((c) => c.header === header);
const withCell = (cells: Cells, header: string, value: Cells[number]): Cells => {
  const copy = [...cells];
  copy[col(header)] = value;
  return copy;
};

async function readSheet(file: Buffer, name: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file);
  const sheet = workbook.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}`);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

const upload = (client: Client, file: Buffer, query = '') =>
  client.inject({
    method: 'POST',
    url: `/api/imports/elders${query}`,
    payload: file,
    headers: { 'content-type': XLSX_TYPE },
  });

async function waitFor(client: Client, id: string): Promise<ImportDto> {
  for (let i = 0; i < 1200; i++) {
    const res = await client.get(`/api/imports/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const dto = res.json() as ImportDto;
    if (dto.status !== 'running') return dto;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`import ${id} did not finish`);
}

async function importFile(
  client: Client,
  file: Buffer,
  mode: 'all_or_nothing' | 'valid_only' = 'all_or_nothing',
): Promise<ImportDto> {
  const res = await upload(
    client,
    file,
    `?mode=${mode}&fileName=${encodeURIComponent('东岔村摸底.xlsx')}`,
  );
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json().status).toBe('running');
  return waitFor(client, res.json().id);
}

const body = (res: { rawPayload: Buffer }) => res.rawPayload;

describeEachDatabase('census import and ledger export', (env) => {
  let template: Buffer;
  const countElders = async () =>
    Number(
      (
        await env()
          .database.db.selectFrom('elders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('offers a template with the 摸底登记 header and a 填写说明 sheet documenting every column', async () => {
    const village = await env().signIn('village', DONGCHA);
    const res = await village.get('/api/imports/elders/template');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX_TYPE);
    expect(String(res.headers['content-disposition'])).toContain(
      encodeURIComponent('摸底登记模板.xlsx'),
    );
    template = body(res);
    const [header] = await readSheet(template, LEDGER_SHEET);
    expect(header!.slice(0, 8)).toEqual([
      '姓名',
      '身份证号',
      '民族',
      '户籍所在地',
      '居住村(居)代码',
      '详细地址',
      '是否居住在户籍所在地（是/否）',
      '联系电话',
    ]);
    expect(header).toContain('残疾等级（1-4）');
    expect(header).toContain('健康状况（健康/部分失能/失能）');
    expect(header).toContain('子女3回家频率');
    expect(header).toContain('临时照料人与老人关系');
    expect(header![header!.length - 1]).toBe('摸底日期（YYYY-MM-DD）');
    const guide = (await readSheet(template, '填写说明')).map((r) => r.join(' ')).join('\n');
    expect(guide).toContain('家庭成员、已享受帮扶情况、补贴领取情况等多条记录的内容，请在控制台');
    for (const c of COLUMNS) expect(guide).toContain(c.header);
    expect(guide).toContain('健康、部分失能、失能');
    expect(guide).toContain(
      '独居、空巢、留守、失能、重残、计划生育特殊家庭、特困、低保、高龄、其他',
    );
  });

  it('imports a filled-in template: the elders appear with derived categories, tier and history', async () => {
    const village = await env().signIn('village', DONGCHA);
    const before = await countElders();
    const frail = buildElder({
      name: '赵桂兰',
      idNumber: idNumber('19400102'),
      disability: { disabled: true, certificateNumber: '21062419400102002X41', grade: 1 },
      health: 'disabled',
      caregiver: { name: '孙红', relation: '邻居', phone: '13904150009' },
    });
    const plain = buildElder({ name: '钱淑芬', idNumber: idNumber('19560710'), supporters: [] });
    const file = await fillTemplate(template, [cellsOf(frail), cellsOf(plain)]);
    const result = await importFile(village, file);
    expect(result).toMatchObject({
      status: 'done',
      mode: 'all_or_nothing',
      fileName: '东岔村摸底.xlsx',
      progress: { rowsRead: 2, valid: 2, invalid: 0 },
      summary: { created: 2, updated: 0, unchanged: 0, skipped: 0 },
      errors: [],
      reportAvailable: false,
    });
    expect(await countElders()).toBe(before + 2);
    const list = await village.get(`/api/elders?q=${encodeURIComponent('赵桂兰')}`);
    const [found] = list.json().items;
    expect(found.categories).toEqual(
      expect.arrayContaining(['left_behind', 'incapacitated', 'severely_disabled', 'very_old']),
    );
    expect(found.tier).toBe('high_risk');
    expect(found.idNumberMasked).toMatch(/^210624\*{8}/);
    const elder = (await village.get(`/api/elders/${found.id}`)).json();
    expect(elder.data.caregiver).toMatchObject({
      name: '孙红',
      relation: '邻居',
      phone: '139****0009',
    });
    expect(elder.data.supporters[0]).toMatchObject({ name: '李明', awaySince: '2020-03' });
    expect(elder.statusHistory).toEqual([
      expect.objectContaining({ status: 'active', effectiveDate: '2026-11-01', note: '摸底导入' }),
    ]);
    expect(elder.changes.map((c: { action: string }) => c.action)).toEqual(['elder.import']);
  });

  it('reports every bad row with its row and column; all-or-nothing then writes nothing', async () => {
    const township = await env().signIn('township', '210624101');
    const before = await countElders();
    const good = cellsOf(buildElder({ name: '周玉珍', idNumber: idNumber('19450301') }));
    const valid = idNumber('19440301');
    const rows: Cells[] = [
      good,
      withCell(good, '身份证号', valid.slice(0, 17) + (valid[17] === '1' ? '2' : '1')),
      withCell(good, '身份证号', idNumber('20300101')),
      withCell(good, '身份证号', idNumber('19670601')),
      withCell(withCell(good, '身份证号', idNumber('19430301')), '居住村(居)代码', GUJIATUN),
      withCell(withCell(good, '身份证号', idNumber('19420301')), '居住村(居)代码', '210624101999'),
      withCell(withCell(good, '身份证号', idNumber('19410301')), '姓名', {
        formula: 'UPPER("x")',
        result: 'X',
      }),
      withCell(
        withCell(good, '身份证号', idNumber('19400301')),
        '健康状况（健康/部分失能/失能）',
        '很好',
      ),
    ];
    const file = await fillTemplate(template, rows);
    const result = await importFile(township, file, 'all_or_nothing');
    expect(result.status).toBe('done');
    expect(result.progress).toEqual({ rowsRead: 8, valid: 1, invalid: 7 });
    expect(result.summary).toMatchObject({ created: 0, updated: 0, unchanged: 0, skipped: 8 });
    expect(await countElders()).toBe(before);
    const at = (row: number) => result.errors.filter((e) => e.row === row);
    expect(at(3)[0]).toMatchObject({ column: '身份证号' });
    expect(at(3)[0]!.message).toMatch(/^第 3 行“身份证号”：身份证号校验码错误/);
    expect(at(4)[0]).toMatchObject({ column: '身份证号' });
    expect(at(4)[0]!.message).toContain('晚于今天');
    expect(at(5)[0]!.message).toContain('为 59 周岁，未满 60 周岁');
    expect(at(6)[0]).toMatchObject({ column: '居住村(居)代码' });
    expect(at(6)[0]!.message).toContain('居住地不在您的辖区内');
    expect(at(7)[0]).toMatchObject({ column: '居住村(居)代码' });
    expect(at(7)[0]!.message).toContain('村(居)代码 210624101999 不存在');
    expect(at(8)[0]).toMatchObject({ column: '姓名' });
    expect(at(8)[0]!.message).toContain('不允许使用公式');
    expect(at(9)[0]).toMatchObject({ column: '健康状况（健康/部分失能/失能）' });
    expect(at(9)[0]!.message).toContain('“很好”不是可选值；可选：健康、部分失能、失能');
    expect(at(2)).toEqual([]);
    expect(result.errorCount).toBe(7);
    expect(result.reportAvailable).toBe(true);

    const report = await township.get(`/api/imports/${result.id}/report`);
    expect(report.statusCode).toBe(200);
    const lines = await readSheet(body(report), '错误');
    expect(lines[0]).toEqual(['行号', '列', '说明']);
    expect(lines).toContainEqual([3, '身份证号', expect.stringContaining('身份证号校验码错误')]);
    expect(lines).toContainEqual([8, '姓名', expect.stringContaining('不允许使用公式')]);

    const partial = await importFile(township, file, 'valid_only');
    expect(partial.progress).toEqual({ rowsRead: 8, valid: 1, invalid: 7 });
    expect(partial.summary).toMatchObject({ created: 1, skipped: 7 });
    expect(await countElders()).toBe(before + 1);
  });

  it('updates on re-import instead of duplicating, counting unchanged rows and saying what changed', async () => {
    const village = await env().signIn('village', DONGCHA);
    const a = buildElder({ name: '吴凤英', idNumber: idNumber('19380505') });
    const b = buildElder({ name: '郑秀云', idNumber: idNumber('19470808'), supporters: [] });
    const first = await importFile(village, await fillTemplate(template, [cellsOf(a), cellsOf(b)]));
    expect(first.summary).toMatchObject({ created: 2 });
    const id = (await village.get(`/api/elders?q=${encodeURIComponent('吴凤英')}`)).json().items[0]
      .id as string;
    // Household members are entered in the console; an import leaves them.
    const patched = await village.patch(`/api/elders/${id}`, {
      version: 1,
      householdMembers: [{ name: '吴大军', relation: '儿子', livesWithElder: false }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const before = await countElders();

    const again = await importFile(village, await fillTemplate(template, [cellsOf(a), cellsOf(b)]));
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 2, skipped: 0 });

    const changed = withCell(
      withCell(cellsOf(a), '健康状况（健康/部分失能/失能）', '失能'),
      '患病类型',
      '脑梗后遗症',
    );
    const third = await importFile(village, await fillTemplate(template, [changed, cellsOf(b)]));
    expect(third.summary).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    expect(third.summary.changedFields).toEqual(
      expect.arrayContaining([
        { field: 'health', label: '健康状况', count: 1 },
        { field: 'diseases', label: '患病类型', count: 1 },
      ]),
    );
    expect(await countElders()).toBe(before);
    const elder = (await village.get(`/api/elders/${id}`)).json();
    expect(elder.version).toBe(3);
    expect(elder.data).toMatchObject({ health: 'disabled', diseases: '脑梗后遗症' });
    expect(elder.data.householdMembers).toEqual([
      { name: '吴大军', relation: '儿子', livesWithElder: false },
    ]);
    expect(elder.categories).toContain('incapacitated');
    expect(elder.changes.map((c: { action: string }) => c.action)).toEqual([
      'elder.import',
      'elder.update',
      'elder.import',
    ]);
    expect(elder.changes[2].fields).toEqual(expect.arrayContaining(['health', 'diseases']));
    const report = await village.get(`/api/imports/${third.id}/report`);
    const updates = await readSheet(body(report), '更新明细');
    expect(updates).toContainEqual([2, '已更新：健康状况、患病类型']);
  });

  it('refuses a row whose person is registered elsewhere or in another village, and a repeated row', async () => {
    const township = await env().signIn('township', '210624101');
    const other = await env().signIn('admin', '210681');
    const elsewhere = buildElder({
      name: '冯淑华',
      idNumber: idNumber('19391111'),
      villageCode: GUJIATUN,
    });
    expect((await other.post('/api/elders', elsewhere)).statusCode).toBe(201);
    const here = buildElder({ name: '陈桂芝', idNumber: idNumber('19391212') });
    expect((await township.post('/api/elders', here)).statusCode).toBe(201);
    const twice = cellsOf(buildElder({ name: '褚玉兰', idNumber: idNumber('19391010') }));
    const file = await fillTemplate(template, [
      cellsOf({ ...elsewhere, villageCode: DONGCHA }),
      cellsOf({ ...here, villageCode: '210624101202' }),
      twice,
      twice,
    ]);
    const result = await importFile(township, file, 'valid_only');
    expect(result.summary).toMatchObject({ created: 1, skipped: 3 });
    expect(result.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: '身份证号',
        message: expect.stringContaining('辖区以外登记'),
      }),
      expect.objectContaining({
        row: 3,
        column: '居住村(居)代码',
        message: expect.stringContaining('迁出'),
      }),
      expect.objectContaining({
        row: 5,
        column: '身份证号',
        message: expect.stringContaining('与第 4 行的身份证号相同'),
      }),
    ]);
  });

  it('exports the ledger masked by default and in full only on request, logging who, why and how many', async () => {
    const village = await env().signIn('village', DONGCHA);
    const input = buildElder({ name: '蒋秀珍', idNumber: idNumber('19410203') });
    expect((await village.post('/api/elders', input)).statusCode).toBe(201);
    const count = (await village.get('/api/elders?pageSize=1')).json().total as number;

    const noReason = await village.get('/api/exports/elders');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    expect(noReason.json().error.message).toContain('请填写导出原因');

    const masked = await village.get(
      `/api/exports/elders?reason=${encodeURIComponent('季度核查')}`,
    );
    expect(masked.statusCode).toBe(200);
    expect(masked.headers['content-type']).toBe(XLSX_TYPE);
    const rows = await readSheet(body(masked), LEDGER_SHEET);
    expect(rows.length - 1).toBe(count);
    const mine = rows.find((r) => r[0] === '蒋秀珍')!;
    expect(mine[1]).toBe(`${input.idNumber!.slice(0, 6)}********${input.idNumber!.slice(14)}`);
    expect(mine[col('联系电话')]).toBe('139****0001');
    expect(rows[0]).toContain('分级（仅导出）');
    expect(JSON.stringify(rows)).not.toContain(input.idNumber!);
    expect(JSON.stringify(rows)).not.toContain('13904150001');

    const full = await village.get(
      `/api/exports/elders?full=true&reason=${encodeURIComponent('补录社保信息')}&status=active`,
    );
    expect(full.statusCode).toBe(200);
    const fullRows = await readSheet(body(full), LEDGER_SHEET);
    expect(fullRows.find((r) => r[0] === '蒋秀珍')![1]).toBe(input.idNumber);

    const admin = await env().signIn('admin', '2106');
    const log = (await admin.get('/api/audit?action=elder.export&pageSize=10')).json().items;
    expect(log[0]).toMatchObject({
      actor: { username: village.user.username },
      regionCode: DONGCHA,
      detail: { reason: '补录社保信息', full: true, count, status: 'active' },
    });
    expect(log[1].detail).toMatchObject({ reason: '季度核查', full: false, numbers: 'masked' });

    const city = await env().signIn('city', '2106');
    expect((await city.get('/api/exports/elders?reason=x')).statusCode).toBe(200);
    const cityFull = await city.get('/api/exports/elders?reason=x&full=true');
    expect(cityFull.statusCode).toBe(403);
    const visitor = await env().signIn('visitor', DONGCHA);
    expect((await visitor.get('/api/exports/elders?reason=x')).statusCode).toBe(403);
    expect((await village.get(`/api/exports/elders?reason=x&region=${GUJIATUN}`)).statusCode).toBe(
      404,
    );
  });

  it('takes a full export back unchanged, and refuses the masked numbers of a masked export', async () => {
    const village = await env().signIn('village', DONGCHA);
    const full = await village.get(
      `/api/exports/elders?full=true&reason=${encodeURIComponent('年度复核')}`,
    );
    const total = (await village.get('/api/elders?pageSize=1')).json().total as number;
    const back = await importFile(village, body(full));
    expect(back.summary).toMatchObject({ created: 0, updated: 0, unchanged: total });
    const masked = await village.get(
      `/api/exports/elders?reason=${encodeURIComponent('年度复核')}`,
    );
    const refused = await importFile(village, body(masked), 'valid_only');
    expect(refused.summary.unchanged).toBe(0);
    expect(refused.errors[0]).toMatchObject({ row: 2, column: '身份证号' });
    expect(refused.errors[0]!.message).toContain('身份证号已遮盖');
  });

  it('refuses hostile files with a clear error, writes nothing and stays up', async () => {
    const village = await env().signIn('village', DONGCHA);
    const before = await countElders();
    const imports = async () =>
      (await env().database.db.selectFrom('imports').select('id').execute()).length;
    const importsBefore = await imports();

    const huge = Buffer.alloc(51 * 1024 * 1024, 1);
    const tooBig = await upload(village, huge);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().error.message).toBe('文件过大，上限为 50 MB，请拆分后分批导入');

    const text = await upload(village, Buffer.from('姓名,身份证号\n王秀英,210624194803150020\n'));
    expect(text.statusCode).toBe(400);
    expect(text.json().error).toMatchObject({ code: 'not_xlsx', field: 'file' });

    const header = rowXml(1, headerCells());
    const bomb = workbookOf(sheetXml(header), { declaredSize: 2_000_000_000 });
    const bombed = await upload(village, bomb);
    expect(bombed.statusCode).toBe(400);
    expect(bombed.json().error.code).toBe('zip_bomb');
    expect(bombed.json().error.message).toContain('压缩炸弹');

    // An entry that lies small: 20 MB of rows declared as 4 KB.
    const filler = rowXml(2, ['x']).repeat(1).concat('<row r="3"/>'.repeat(1_000_000));
    const liar = workbookOf(sheetXml(header + filler), { declaredSize: 4096 });
    const lied = await upload(village, liar);
    expect(lied.statusCode).toBe(400);
    expect(lied.json().error.code).toBe('zip_bomb');

    const formula = await fillTemplate(template, [
      withCell(cellsOf(buildElder({ name: '公式' })), '联系电话', { formula: '"139"&"04150001"' }),
    ]);
    const refused = await importFile(village, formula);
    expect(refused.errors).toEqual([
      expect.objectContaining({
        row: 2,
        column: '联系电话',
        message: expect.stringContaining('不允许使用公式'),
      }),
    ]);

    const wrongSheet = workbookOf(sheetXml(header), { sheetName: 'Sheet1' });
    const noSheet = await upload(village, wrongSheet);
    expect(noSheet.statusCode).toBe(400);
    expect(noSheet.json().error.message).toBe(
      '找不到名为“摸底登记”的工作表（文件中的工作表：Sheet1）。请使用下载的模板，不要修改工作表名称',
    );

    const cells = headerCells();
    cells[1] = '证件号码';
    const badHeader = await upload(village, workbookOf(sheetXml(rowXml(1, cells))));
    expect(badHeader.statusCode).toBe(400);
    expect(badHeader.json().error.code).toBe('bad_header');
    expect(badHeader.json().error.message).toContain('缺少列：“身份证号”');

    // One data row, then a row at 1,000,000: reading stops after 1,000 empty rows.
    const row = cellsOf(buildElder({ name: '孤行', idNumber: idNumber('19391001') })) as string[];
    const sparse = workbookOf(
      sheetXml(header + rowXml(2, row) + rowXml(1_000_000, ['远处的一行'])),
    );
    const far = await importFile(village, sparse);
    expect(far.progress.rowsRead).toBe(1);
    expect(far.summary.created).toBe(1);
    // A million empty rows: the same.
    const empties = Array.from({ length: 1_000_000 }, (_, i) => `<row r="${i + 3}"/>`).join('');
    const emptyRows = workbookOf(sheetXml(header + rowXml(2, row) + empties));
    const quiet = await importFile(village, emptyRows);
    expect(quiet.progress.rowsRead).toBe(1);
    expect(quiet.summary.unchanged).toBe(1);

    expect(await countElders()).toBe(before + 1);
    expect(await imports()).toBe(importsBefore + 3);
    expect((await village.get('/api/health')).statusCode).toBe(200);
  });

  it('refuses a file with more rows than the cap, writing nothing', async () => {
    const user = await env().createUser('village', DONGCHA);
    const ctx = {
      actor: {
        userId: user.id,
        username: user.username,
        role: user.role as 'village',
        jurisdiction: DONGCHA,
      },
      requestId: 'test',
      ip: '127.0.0.1',
    };
    const service = new ImportsService(
      env().database.db,
      env().kind,
      env().services.elders,
      new Vault(TEST_KEY),
      { ...DEFAULT_IMPORT_LIMITS, maxRows: 3, batchSize: 2 },
    );
    const before = await countElders();
    const rows = [19300101, 19300201, 19300301, 19300401].map((b, i) =>
      cellsOf(buildElder({ name: `上限${i}`, idNumber: idNumber(String(b)) })),
    );
    const result = await service.run(ctx, {
      body: await fillTemplate(template, rows),
      mode: 'valid_only',
    });
    expect(result.status).toBe('failed');
    expect(result.failure).toEqual({
      code: 'too_many_rows',
      message: '文件超过 3 行的上限（不含表头），请拆分后分批导入；未写入任何数据',
    });
    expect(result.summary.created).toBe(0);
    expect(await countElders()).toBe(before);
  });

  it('lets only village, township, county and admin users import, and shows an import only within the uploader’s jurisdiction', async () => {
    const village = await env().signIn('village', DONGCHA);
    for (const role of ['visitor', 'city', 'auditor', 'provider'] as const) {
      const user = await env().signIn(
        role,
        role === 'city' || role === 'auditor' ? '2106' : DONGCHA,
      );
      const res = await upload(user, template);
      expect(res.statusCode, role).toBe(403);
      expect(res.json().error.message).toContain('可以导入摸底数据');
      expect((await user.get('/api/imports/elders/template')).statusCode).toBe(403);
    }
    const done = await importFile(
      village,
      await fillTemplate(template, [
        cellsOf(buildElder({ name: '可见性', idNumber: idNumber('19380101') })),
      ]),
    );
    const neighbour = await env().signIn('village', '210624101202');
    expect((await neighbour.get(`/api/imports/${done.id}`)).statusCode).toBe(404);
    expect((await neighbour.get(`/api/imports/${done.id}/report`)).statusCode).toBe(404);
    const township = await env().signIn('township', '210624101');
    expect((await township.get(`/api/imports/${done.id}`)).json().summary.created).toBe(1);
    expect((await village.get('/api/imports/not-a-uuid')).statusCode).toBe(404);
    const wrongType = await village.inject({
      method: 'POST',
      url: '/api/imports/elders',
      payload: 'a,b',
      headers: { 'content-type': 'text/csv' },
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.message).toContain('请以 .xlsx 文件上传');
    const badMode = await upload(village, template, '?mode=half');
    expect(badMode.statusCode).toBe(400);
    expect(badMode.json().error.field).toBe('mode');
  });

  it('reads labels, dates and numbers the way users type them', async () => {
    const village = await env().signIn('village', DONGCHA);
    const id = idNumber('19391225', '210624', 'male');
    const cells = cellsOf(buildElder({ name: '书写习惯', idNumber: id }));
    let row = withCell(cells, '摸底日期（YYYY-MM-DD）', '2026年10月8日');
    row = withCell(row, '子女1外出时间（YYYY-MM）', '2019/7');
    row = withCell(row, '残疾等级（1-4）', '二级');
    row = withCell(row, '是否残疾（是/否）', '是');
    row = withCell(row, '残疾人证号', `${id}42`);
    row = withCell(row, '家庭每月收入（元）', '1,500');
    row = withCell(row, '经济来源（多项用、分隔）', '养老金，子女赡养');
    row = withCell(row, '类别（多项用、分隔）', '空巢');
    row = withCell(row, '居住村(居)代码', Number(DONGCHA));
    const result = await importFile(village, await fillTemplate(template, [row]));
    expect(result.errors).toEqual([]);
    const found = (await village.get(`/api/elders?q=${encodeURIComponent('书写习惯')}`)).json()
      .items[0];
    const elder = (await village.get(`/api/elders/${found.id}`)).json();
    expect(elder.data).toMatchObject({
      recordDate: '2026-10-08',
      disability: { disabled: true, grade: 2 },
      monthlyHouseholdIncome: 1500,
      incomeSources: ['pension', 'children'],
      categories: ['empty_nest'],
      villageCode: DONGCHA,
    });
    expect(elder.data.supporters[0].awaySince).toBe('2019-07');
    expect(elder.gender).toBe('male');
    expect(elder.categories).toContain('severely_disabled');
    // 空巢 entered without a spouse living in: flagged, not refused.
    expect(elder.contradictions.map((c: { code: string }) => c.code)).toContain(
      'empty_nest_without_spouse',
    );
  });
});
