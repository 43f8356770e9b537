import {
  DANDONG_2023,
  prefilledAnswers,
  startOfLocalDate,
  todayIso,
  uuidv7,
  type LedgerCompletenessDto,
  type MonthlyStatisticsDto,
  type VisitRateDto,
} from '@tanfang/domain';
import ExcelJS from 'exceljs';
import { beforeAll, expect, it } from 'vitest';
import { DONGCHA, buildElder, buildVisitor, idNumber } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';
import { insertVisitRecords, type VisitRecord } from '../visits/visits.repository.js';
import {
  COMPLETENESS_SHEET,
  INCOMPLETE_SHEET,
  REQUIRED_FIELDS_SHEET,
  STATISTICS_FIRST_ROW,
  STATISTICS_SHEET,
} from './reports.sheets.js';

const TOWNSHIP = DONGCHA.slice(0, 9);
const COUNTY = DONGCHA.slice(0, 6);
const NEIGHBOUR = '210624101202';
const MINUTE = 60_000;

/** The downloaded file, opened as a user's spreadsheet program would. */
async function workbookOf(body: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The row of a sheet whose first cell (or `column`) is `label`. */
function rowOf(sheet: ExcelJS.Worksheet, label: string, column = 1): ExcelJS.Row {
  for (let r = 1; r <= sheet.rowCount; r++)
    if (sheet.getRow(r).getCell(column).value === label) return sheet.getRow(r);
  throw new Error(`no row ${label} in ${sheet.name}`);
}

/** The column (1-based) of a statistics header: a group's name in row 3 or 4, then a leaf below. */
function columnOf(sheet: ExcelJS.Worksheet, ...path: string[]): number {
  const last = sheet.getRow(STATISTICS_FIRST_ROW - 1).cellCount;
  for (let c = 1; c <= last; c++) {
    const heads = [3, 4, 5].map((r) => sheet.getRow(r).getCell(c).value);
    // A merged cell reads as its master's value in every cell it covers.
    if (path.every((p, i) => heads[i] === p)) return c;
  }
  throw new Error(`no column ${path.join(' / ')}`);
}

describeEachDatabase('reports (统计报表)', (env) => {
  let county: Client;
  let township: Client;
  let village: Client;
  let visitorId: string;
  let visitorUser: string;
  const month = todayIso().slice(0, 7);
  const ids: Record<string, string> = {};

  /** Writes a visit made and entered now, through the recording path's statement. */
  async function visitNow(elderId: string, villageCode: string) {
    const id = uuidv7();
    const now = new Date();
    const record: VisitRecord = {
      visit: {
        id,
        elder_id: elderId,
        county_code: COUNTY,
        village_code: villageCode,
        visitor_id: visitorId,
        visited_at: now,
        entered_at: now,
        method: 'in_person',
        template_key: DANDONG_2023.key,
        template_version: DANDONG_2023.version,
        answers: prefilledAnswers(DANDONG_2023),
        entered_by: visitorUser,
        device_time: null,
        location: null,
        emergency: false,
        emergency_note: null,
        checklist: [],
        recorded_by_role: 'visitor',
      },
      findings: [],
      audit: {
        actorId: visitorUser,
        actorUsername: 'test',
        action: 'visit.create',
        entity: 'visit',
        entityId: id,
        regionCode: villageCode,
        requestId: null,
        ip: null,
        detail: null,
      },
      attachmentIds: [],
    };
    await insertVisitRecords(env().database.db, [record]);
  }

  beforeAll(async () => {
    county = await env().signIn('county', COUNTY);
    township = await env().signIn('township', TOWNSHIP);
    village = await env().signIn('village', DONGCHA);
    const applied = await county.post('/api/policies/presets/dandong-2023/apply', {
      regionCode: COUNTY,
      effectiveFrom: todayIso(),
    });
    expect(applied.statusCode, applied.body).toBe(201);
    // The factory's elder has one child away since 2020 (so 留守): a caregiver completes the record.
    const register = async (key: string, input: ReturnType<typeof buildElder>) => {
      const r = await township.post('/api/elders', {
        caregiver: { name: '张芳', relation: '邻居', phone: '13904150003' },
        ...input,
        idNumber: idNumber(),
      });
      expect(r.statusCode, r.body).toBe(201);
      ids[key] = r.json().id;
    };
    // 东岔村: a complete record, one without 民族 and 紧急联系人, one living alone (complete).
    await register('complete', buildElder({ name: '完整甲' }));
    await register(
      'gaps',
      buildElder({ name: '缺项乙', ethnicity: undefined, emergencyContact: undefined }),
    );
    await register('alone', buildElder({ name: '独居丙', categories: ['living_alone'] }));
    // The next village: an elder without a phone.
    await register(
      'neighbour',
      buildElder({ name: '邻村丁', villageCode: NEIGHBOUR, phone: undefined }),
    );
    const user = await env().createUser('visitor', DONGCHA);
    visitorUser = user.id;
    const v = await village.post('/api/visitors', buildVisitor({ userId: user.id }));
    expect(v.statusCode, v.body).toBe(201);
    visitorId = v.json().id;
    await visitNow(ids['complete']!, DONGCHA);
    await visitNow(ids['alone']!, DONGCHA);
    // A hazard, and an emergency responded to in 10 minutes, this month in 东岔村.
    const t0 = Math.max(startOfLocalDate(`${month}-01`) + MINUTE, Date.now() - 20 * MINUTE);
    const db = env().database.db;
    const finding = (type: string, severity: string, extra: object = {}) =>
      db
        .insertInto('findings')
        .values({
          id: uuidv7(),
          visit_id: null,
          elder_id: ids['gaps']!,
          county_code: COUNTY,
          village_code: DONGCHA,
          type,
          severity,
          title: type,
          source: 'staff',
          created_at: new Date(t0),
          ...extra,
        })
        .execute();
    await finding('safety_hazard', 'medium');
    await finding('emergency', 'emergency', { acknowledged_at: new Date(t0 + 10 * MINUTE) });
    // Care services: one 满意, one 不满意.
    for (const satisfaction of ['satisfied', 'unsatisfied'] as const) {
      const r = await village.post('/api/care-services', {
        id: uuidv7(),
        elderId: ids['alone'],
        servedOn: todayIso(),
        content: '上门助洁',
        providerName: '东岔村志愿服务队',
        satisfaction,
      });
      expect(r.statusCode, r.body).toBe(201);
    }
  });

  it('gives a county its townships’ month: the rollup’s visits, the elders in the ledger and what was found', async () => {
    const res = await county.get(`/api/reports/monthly-statistics?region=${COUNTY}&month=${month}`);
    expect(res.statusCode, res.body).toBe(200);
    const dto: MonthlyStatisticsDto = res.json();
    const rate: VisitRateDto = (
      await county.get(`/api/visit-rate?region=${COUNTY}&period=${month}`)
    ).json();
    expect(dto.title).toBe(`${month.slice(0, 4)}年${Number(month.slice(5))}月探访关爱工作统计表`);
    expect(dto.total.visits).toEqual(rate.total);
    expect(dto.total.visits).toMatchObject({
      due: 4,
      onTime: 2,
      late: 0,
      notVisited: 2,
      rate: 0.5,
    });
    const guanshui = dto.rows.find((r) => r.region.code === TOWNSHIP)!;
    expect(guanshui.region.name).toBe('灌水镇');
    expect(guanshui).toMatchObject({
      registered: 4,
      byCategory: { living_alone: { due: 1, visited: 1 } },
      findings: { total: 2, byType: { safety_hazard: 1, emergency: 1 } },
      emergencies: { count: 1, responded: 1, meanResponseMinutes: 10 },
      careServices: { count: 2, satisfied: 1, satisfactionRate: 0.5 },
    });
    // Every township of the county is listed, with zeros where nothing happened.
    expect(dto.rows.length).toBeGreaterThan(10);
    expect(dto.rows.find((r) => r.region.code !== TOWNSHIP)!.visits.due).toBe(0);
  });

  it('downloads the table as .xlsx with the title, the header, a village’s numbers and the 合计 equal to the rollup', async () => {
    const res = await township.get(
      `/api/reports/monthly-statistics.xlsx?region=${TOWNSHIP}&month=${month}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(res.headers['content-disposition']))).toContain(
      '探访关爱工作统计表',
    );
    const sheet = (await workbookOf(res.rawPayload)).getWorksheet(STATISTICS_SHEET)!;
    expect(sheet.getCell('A1').value).toBe(
      `${month.slice(0, 4)}年${Number(month.slice(5))}月探访关爱工作统计表`,
    );
    expect(String(sheet.getCell('A2').value)).toMatch(
      /统计区域：.*灌水镇.*制表日期：\d{4}-\d{2}-\d{2}/,
    );
    expect(sheet.getCell('A3').value).toBe('区域');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: STATISTICS_FIRST_ROW - 1 });
    const due = columnOf(sheet, '探访情况（人次）', '应访');
    const onTime = columnOf(sheet, '探访情况（人次）', '按时探访');
    const rateCol = columnOf(sheet, '探访情况（人次）', '月探访率');
    const aloneDue = columnOf(sheet, '其中：分类别探访（人次）', '独居', '应访');
    const aloneDone = columnOf(sheet, '其中：分类别探访（人次）', '独居', '已访');
    const registered = columnOf(sheet, '在册老年人数（人）');
    const satisfaction = columnOf(sheet, '关爱服务', '满意率');
    const dongcha = rowOf(sheet, '东岔村委会');
    expect(
      [registered, due, onTime, rateCol, aloneDue, aloneDone].map((c) => dongcha.getCell(c).value),
    ).toEqual([3, 3, 2, 2 / 3, 1, 1]);
    expect(dongcha.getCell(rateCol).numFmt).toBe('0.0%');
    expect(dongcha.getCell(satisfaction).value).toBe(0.5);
    const rate: VisitRateDto = (
      await township.get(`/api/visit-rate?region=${TOWNSHIP}&period=${month}`)
    ).json();
    const total = rowOf(sheet, '合计');
    expect([due, onTime, rateCol].map((c) => total.getCell(c).value)).toEqual([
      rate.total.due,
      rate.total.onTime,
      rate.total.rate,
    ]);
    expect(total.getCell(registered).value).toBe(4);
    expect(total.getCell(rateCol).numFmt).toBe('0.0%');
  });

  it('counts a missing field per village and lists the incomplete record by name, without numbers', async () => {
    // An elder who has died is no longer asked for a complete record.
    const gone = await township.post(
      '/api/elders',
      buildElder({
        name: '已故戊',
        villageCode: NEIGHBOUR,
        idNumber: idNumber(),
        ethnicity: undefined,
      }),
    );
    expect(gone.statusCode, gone.body).toBe(201);
    const died = await township.post(`/api/elders/${gone.json().id}/status`, {
      status: 'deceased',
      effectiveDate: todayIso(),
    });
    expect(died.statusCode, died.body).toBe(200);
    const res = await township.get(`/api/reports/ledger-completeness?region=${TOWNSHIP}`);
    expect(res.statusCode, res.body).toBe(200);
    const dto: LedgerCompletenessDto = res.json();
    const dongcha = dto.rows.find((r) => r.region.code === DONGCHA)!;
    expect(dongcha).toMatchObject({ elders: 3, complete: 2, completeRate: 2 / 3 });
    expect(dongcha.missing).toMatchObject({ ethnicity: 1, emergencyContact: 1, phone: 0 });
    expect(dto.rows.find((r) => r.region.code === NEIGHBOUR)).toMatchObject({
      elders: 1,
      missing: { phone: 1, ethnicity: 0 },
    });
    expect(dto.total).toMatchObject({ elders: 4, complete: 2 });

    const file = await township.get(`/api/reports/ledger-completeness.xlsx?region=${TOWNSHIP}`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers['x-record-count']).toBe('4');
    const workbook = await workbookOf(file.rawPayload);
    const summary = workbook.getWorksheet(COMPLETENESS_SHEET)!;
    expect(summary.getCell('A1').value).toBe('老年人台账完整性统计表');
    const row = rowOf(summary, '东岔村委会', 2);
    const header = summary.getRow(4);
    const col = (label: string) => {
      for (let c = 1; c <= header.cellCount; c++) if (header.getCell(c).value === label) return c;
      throw new Error(label);
    };
    expect([3, 4, 5].map((c) => row.getCell(c).value)).toEqual([3, 2, 2 / 3]);
    expect(row.getCell(5).numFmt).toBe('0.0%');
    expect(row.getCell(col('民族')).value).toBe(1);
    expect(row.getCell(col('紧急联系人及电话')).value).toBe(1);
    expect(rowOf(summary, '合计').getCell(3).value).toBe(4);
    const list = workbook.getWorksheet(INCOMPLETE_SHEET)!;
    expect(list.getRow(1).values).toEqual([
      undefined,
      '序号',
      '姓名',
      '所属乡镇(街道)',
      '村(居)',
      '缺项数',
      '缺少的必填项',
    ]);
    const gaps = rowOf(list, '缺项乙', 2);
    expect(gaps.getCell(3).value).toBe('灌水镇');
    expect(gaps.getCell(4).value).toBe('东岔村委会');
    expect(gaps.getCell(6).value).toBe('民族、紧急联系人及电话');
    expect(rowOf(list, '邻村丁', 2).getCell(6).value).toBe('联系电话');
    expect(list.rowCount).toBe(3);
    expect(workbook.getWorksheet(REQUIRED_FIELDS_SHEET)!.getCell('A2').value).toBe('民族');
    // No ID or phone number (clear or masked) in any text of the file.
    for (const ws of workbook.worksheets)
      ws.eachRow((r) =>
        r.eachCell((c) => {
          if (typeof c.value === 'string') expect(c.value).not.toMatch(/\d{11}|\d{6}\*+|\*{4}\d/);
        }),
      );
  });

  it('keeps a village to its own village, and another county out (404)', async () => {
    const own = await village.get(`/api/reports/monthly-statistics?month=${month}`);
    expect(own.statusCode, own.body).toBe(200);
    expect((own.json() as MonthlyStatisticsDto).rows.map((r) => r.region.code)).toEqual([DONGCHA]);
    expect((own.json() as MonthlyStatisticsDto).total.registered).toBe(3);
    const mine = await village.get('/api/reports/ledger-completeness');
    expect((mine.json() as LedgerCompletenessDto).rows.map((r) => r.region.code)).toEqual([
      DONGCHA,
    ]);
    const other = await env().signIn('county', '210681');
    for (const url of [
      `/api/reports/monthly-statistics?region=${COUNTY}&month=${month}`,
      `/api/reports/monthly-statistics.xlsx?region=${COUNTY}&month=${month}`,
      `/api/reports/ledger-completeness?region=${TOWNSHIP}`,
      `/api/reports/ledger-completeness.xlsx?region=${DONGCHA}`,
    ]) {
      const res = await other.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain('东岔');
    }
    expect(
      (await village.get(`/api/reports/ledger-completeness.xlsx?region=${NEIGHBOUR}`)).statusCode,
    ).toBe(404);
    const visitor = await env().signIn('visitor', DONGCHA);
    expect((await visitor.get('/api/reports/ledger-completeness')).statusCode).toBe(403);
  });

  it('refuses a bad or future month, naming month', async () => {
    for (const q of ['month=2026-13', 'month=202611', '', 'month=2999-01']) {
      const res = await county.get(`/api/reports/monthly-statistics.xlsx?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.field).toBe('month');
    }
  });

  it('writes each download in the audit log, with the report and region', async () => {
    await county.get(`/api/reports/ledger-completeness.xlsx?region=${COUNTY}`);
    const res = await county.get('/api/audit?action=report.download');
    expect(res.statusCode, res.body).toBe(200);
    const entries = res.json().items as { regionCode: string; detail: Record<string, unknown> }[];
    expect(entries).toContainEqual(
      expect.objectContaining({
        regionCode: COUNTY,
        detail: expect.objectContaining({
          report: 'ledger-completeness',
          elders: 4,
          incomplete: 2,
        }),
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        regionCode: TOWNSHIP,
        detail: expect.objectContaining({ report: 'monthly-statistics', month }),
      }),
    );
  });
});
