import { todayIso, uuidv7, type ScorecardDto, type ScorecardsDto } from '@tanfang/domain';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import {
  COUNTY,
  TOWNSHIP,
  loadDashboardFixture,
  type DashboardFixture,
} from '../../test/dashboard-fixture.js';
import type { RequestContext } from '../../context.js';
import { DONGCHA } from '../../test/factories.js';
import { describeEachDatabase, type Client } from '../../test/harness.js';
import { SCORECARD_SHEET, scorecardHeader } from './scorecards.export.js';
import { ScorecardsService } from './scorecards.service.js';

const indicator = (card: ScorecardDto, key: string) => card.indicators.find((i) => i.key === key)!;

describeEachDatabase('scorecards (绩效考评)', (env) => {
  let f: DashboardFixture;
  let other: Client;
  let year: number;
  /** The visits counted in the year: the month before last only when it is in the same year. */
  let visited: number;
  let due: number;

  beforeAll(async () => {
    f = await loadDashboardFixture(env());
    other = await env().signIn('county', '210681');
    year = Number(f.months[1].slice(0, 4));
    const sameYear = f.months[0].startsWith(String(year));
    visited = 4 + (sameYear ? 4 : 0);
    due = 6 + (sameYear ? 6 : 0);
  });

  it('scores the township on each indicator, showing numerator, denominator, weight and points', async () => {
    const r = await f.township.get(`/api/scorecards?year=${year}`);
    expect(r.statusCode, r.body).toBe(200);
    const dto = r.json() as ScorecardsDto;
    expect(dto.children).toEqual([]);
    expect(dto.config.from).toBeNull();
    const card = dto.own!;
    expect(card.level).toBe('township');
    expect(indicator(card, 'visit_rate')).toMatchObject({
      label: '探访率',
      numerator: visited,
      denominator: due,
      weight: 40,
    });
    expect(indicator(card, 'visit_rate').points).toBeCloseTo((40 * visited) / due, 2);
    // Three of six records have the caregiver a 留守 elder's record asks for.
    expect(indicator(card, 'ledger_completeness')).toMatchObject({
      numerator: 3,
      denominator: 6,
      points: 10,
    });
    // On time: the emergency answered in 10 minutes, the need referred the next day, the need
    // resolved in two days; of seven whose deadline has passed.
    expect(indicator(card, 'follow_up_on_time')).toMatchObject({ numerator: 3, denominator: 7 });
    expect(indicator(card, 'follow_up_on_time').points).toBeCloseTo((20 * 3) / 7, 2);
    // No spot check yet: 暂无数据, not 0, and left out of the total.
    const spot = indicator(card, 'spot_check_pass');
    expect(spot.points).toBeNull();
    expect(spot.value).toBeNull();
    expect(spot.noData).toMatch(/抽查/);
    expect(card.weightCounted).toBe(80);
    const points = (40 * visited) / due + 10 + (20 * 3) / 7;
    expect(card.points).toBeCloseTo(points, 1);
    expect(card.total).toBeCloseTo((points * 100) / 80, 1);
  });

  it('ranks a county’s townships, the county’s own card summing them', async () => {
    const r = await f.county.get(`/api/scorecards?region=${COUNTY}&year=${year}`);
    expect(r.statusCode, r.body).toBe(200);
    const dto = r.json() as ScorecardsDto;
    expect(dto.own!.level).toBe('county');
    expect(indicator(dto.own!, 'ledger_completeness')).toMatchObject({
      numerator: 3,
      denominator: 6,
    });
    expect(dto.children[0]!.region.name).toBe('灌水镇');
    expect(dto.children[0]!.total).toBe(dto.own!.total);
    // Townships without elders: every indicator 暂无数据, no total, ranked last.
    const empty = dto.children.at(-1)!;
    expect(empty.total).toBeNull();
    expect(empty.indicators.every((i) => i.points === null && i.noData)).toBe(true);
    expect(dto.children.length).toBeGreaterThan(10);
  });

  it('counts spot checks verified (by phone or in person) of those checked, pending ones left out', async () => {
    const db = env().database.db;
    const sample = uuidv7();
    await sql`insert into spot_check_samples (id, township_code, county_code, month, seed,
        rate_percent, min_per_visitor, population, population_size, strata, drawn_by)
      values (${sample}, ${TOWNSHIP}, ${COUNTY}, ${f.months[1]}, 7, 10, 1, '[]'::jsonb, 4, 1,
        ${f.township.user.id})`.execute(db);
    const results = ['verified_phone', 'not_verified', 'pending', 'verified_in_person'];
    for (const [i, result] of results.entries())
      await sql`insert into spot_check_items (id, sample_id, visit_id, elder_id, county_code,
          village_code, result, note)
        values (${uuidv7()}, ${sample}, ${f.visitIds[4 + i]!}, ${f.elders[i]!}, ${COUNTY},
          ${DONGCHA}, ${result}, ${result === 'not_verified' ? '电话核实无此次探访' : null})`.execute(
        db,
      );
    const r = await f.township.get(`/api/scorecards?year=${year}`);
    const spot = indicator((r.json() as ScorecardsDto).own!, 'spot_check_pass');
    expect(spot).toMatchObject({ numerator: 2, denominator: 3, noData: null });
    expect(spot.points).toBeCloseTo((20 * 2) / 3, 2);
  });

  it('lets a county set its indicators and weights, refusing weights that do not add up to 100 on the field', async () => {
    const url = `/api/scorecards/config?region=${COUNTY}&year=${year}`;
    const bad = await f.county.inject({
      method: 'PUT',
      url,
      payload: {
        indicators: [
          { key: 'visit_rate', weight: 50 },
          { key: 'ledger_completeness', weight: 40 },
        ],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('indicators');
    expect(bad.json().error.message).toContain('权重合计应为 100，现为 90');
    const twice = await f.county.inject({
      method: 'PUT',
      url,
      payload: {
        indicators: [
          { key: 'visit_rate', weight: 50 },
          { key: 'visit_rate', weight: 50 },
        ],
      },
    });
    expect(twice.json().error.field).toBe('indicators.1.key');
    const ok = await f.county.inject({
      method: 'PUT',
      url,
      payload: {
        indicators: [
          { key: 'visit_rate', weight: 60, target: 0.9 },
          { key: 'ledger_completeness', weight: 40 },
        ],
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().from.name).toBe('宽甸满族自治县');
    // The township's card follows its county: two indicators, the visit rate against 90%.
    const card = ((await f.township.get(`/api/scorecards?year=${year}`)).json() as ScorecardsDto)
      .own!;
    expect(card.indicators.map((i) => i.key)).toEqual(['visit_rate', 'ledger_completeness']);
    expect(indicator(card, 'visit_rate').points).toBeCloseTo(
      60 * Math.min(1, visited / due / 0.9),
      2,
    );
    const seen = await f.township.get(`/api/scorecards/config?year=${year}`);
    expect(seen.json().from.code).toBe(COUNTY);
    // A township reads but does not set; a village is not scored.
    const refused = await f.township.inject({
      method: 'PUT',
      url: `/api/scorecards/config?region=${TOWNSHIP}`,
      payload: { indicators: [{ key: 'visit_rate', weight: 100 }] },
    });
    expect(refused.statusCode).toBe(403);
    const village = await f.county.get(`/api/scorecards?region=${DONGCHA}`);
    expect(village.statusCode).toBe(400);
    expect(village.json().error.field).toBe('region');
    const future = await f.county.get(`/api/scorecards?year=${Number(todayIso().slice(0, 4)) + 1}`);
    expect(future.json().error.field).toBe('year');
  });

  it('exports the scorecards to .xlsx with each computation', async () => {
    const r = await f.county.get(`/api/scorecards/export?region=${COUNTY}&year=${year}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-disposition']).toContain(encodeURIComponent('绩效考评'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload);
    const sheet = book.getWorksheet(SCORECARD_SHEET)!;
    expect(String(sheet.getRow(1).getCell(1).value)).toContain(`${year} 年度探访关爱绩效考评`);
    expect(sheet.getRow(3).values).toEqual([undefined, ...scorecardHeader()]);
    const county = sheet.getRow(4).values as unknown[];
    expect(county[1]).toBe('辽宁省丹东市宽甸满族自治县');
    expect(county[3]).toBe(visited); // 探访率·已探访
    expect(county[4]).toBe(due); // 探访率·应访
    const township = sheet.getRow(5).values as unknown[];
    expect(township[1]).toBe('辽宁省丹东市宽甸满族自治县灌水镇');
    expect(book.getWorksheet('计分说明')!.getRow(2).getCell(1).value).toBe('探访率');
    const audit = await f.county.get('/api/audit?action=scorecard.export');
    expect(JSON.stringify(audit.json())).toContain('scorecard.export');
  });

  it('says the visit rate is being counted while a year’s months are planned for the first time', async () => {
    const ctx: RequestContext = {
      actor: {
        userId: f.county.user.id,
        username: f.county.user.username,
        role: 'county',
        jurisdiction: COUNTY,
      },
      requestId: 'test',
      ip: '127.0.0.1',
    };
    const { database, services } = env();
    const hurried = new ScorecardsService(database.db, services.regions, services.rollups, 0);
    const lastYear = { year: String(year - 1) };
    const quick = await hurried.scorecards(ctx, lastYear);
    expect(indicator(quick.own!, 'visit_rate')).toMatchObject({ points: null });
    expect(indicator(quick.own!, 'visit_rate').noData).toContain('正在首次统计');
    await expect
      .poll(
        async () =>
          indicator((await services.scorecards.scorecards(ctx, lastYear)).own!, 'visit_rate')
            .noData,
        { timeout: 60_000 },
      )
      .not.toContain('正在首次统计');
  });

  it('hides another county’s scorecards and configuration (404)', async () => {
    for (const path of [
      `/api/scorecards?region=${COUNTY}`,
      `/api/scorecards?region=${TOWNSHIP}`,
      `/api/scorecards/export?region=${COUNTY}`,
      `/api/scorecards/config?region=${COUNTY}`,
    ])
      expect((await other.get(path)).statusCode, path).toBe(404);
    const put = await other.inject({
      method: 'PUT',
      url: `/api/scorecards/config?region=${COUNTY}`,
      payload: { indicators: [{ key: 'visit_rate', weight: 100 }] },
    });
    expect(put.statusCode).toBe(404);
    const own = (await other.get('/api/scorecards')).json() as ScorecardsDto;
    expect(own.own!.region.code).toBe('210681');
    expect(JSON.stringify(own)).not.toContain('灌水镇');
  });
});
