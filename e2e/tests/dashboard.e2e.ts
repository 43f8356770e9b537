/**
 * 数据看板 and 绩效考评 in Chromium: the county's dashboard draws its six charts (a canvas each,
 * titled) with figures equal to the API's; a township head's dashboard on a 390×844 phone fits the
 * screen, lists its villages under the trend, and its charts follow the width when the phone is
 * turned; the county's scorecard shows how each score was computed, exports to .xlsx (opened with
 * exceljs), and refuses weights that do not add up to 100 before saving its own.
 */
import {
  percentText,
  type EmergencyStatsDto,
  type FindingsBreakdownDto,
  type RateTrendDto,
  type ScorecardsDto,
} from '@tanfang/domain';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const COUNTY = '210624';
const TOWNSHIP = '210624101';
const TITLES = [
  '月探访率走势',
  '重点对象探访覆盖',
  '发现问题（按类型和状态）',
  '紧急情况与响应时间',
  '服务需求分布',
  '专项探访进度',
];

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function withPage<T>(size: 'desktop' | 'phone', fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, size);
  const page = await context.newPage();
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** An API answer read with the page's session. */
async function api<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.ok(), url).toBe(true);
  return (await res.json()) as T;
}

/** Waits until every chart has drawn (or shown that it has nothing to draw). */
async function rendered(page: Page): Promise<void> {
  await page.locator('[data-testid=dashboard][data-charts-rendered=true]').waitFor({
    timeout: 30_000,
  });
}

const text = (page: Page, testId: string) => page.getByTestId(testId).innerText();

describe('数据看板', () => {
  it('draws the county’s six charts with the figures the API gives', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.getByRole('menuitem', { name: '数据看板' }).click();
      await page.waitForURL(/\/dashboard/);
      await rendered(page);
      for (const title of TITLES)
        expect(await page.getByText(title, { exact: true }).count(), title).toBe(1);
      // A canvas in every chart: the trend, coverage, findings, emergencies, needs, campaigns.
      for (const chart of ['trend', 'coverage', 'findings', 'emergencies', 'needs', 'campaigns'])
        expect(await page.getByTestId(`chart-${chart}`).locator('canvas').count(), chart).toBe(1);

      const trend = await api<RateTrendDto>(page, `/api/dashboard/rate-trend?region=${COUNTY}`);
      expect(trend.months).toHaveLength(12);
      expect(trend.target?.rate).toBe(1);
      // The demo's year of history: twelve months with elders due.
      expect(trend.total.every((c) => c.due > 0)).toBe(true);
      expect(await text(page, 'kpi-rate-value')).toBe(percentText(trend.total.at(-1)!.rate));
      expect(await text(page, 'kpi-last-rate-value')).toBe(percentText(trend.total.at(-2)!.rate));
      const trendLabel = await page.getByTestId('chart-trend').getAttribute('aria-label');
      expect(trendLabel).toContain(
        `${trend.months[0]!.label} ${percentText(trend.total[0]!.rate)}`,
      );

      const findings = await api<FindingsBreakdownDto>(
        page,
        `/api/dashboard/findings?region=${COUNTY}`,
      );
      expect(findings.total).toBeGreaterThan(20);
      expect(await text(page, 'kpi-findings-value')).toBe(String(findings.total));
      expect(await text(page, 'kpi-findings')).toContain(`逾期未办 ${findings.overdue}`);
      const emergencies = await api<EmergencyStatsDto>(
        page,
        `/api/dashboard/emergencies?region=${COUNTY}`,
      );
      expect(emergencies.count).toBeGreaterThan(3);
      expect(await text(page, 'kpi-emergencies-value')).toBe(String(emergencies.count));
      expect(await text(page, 'emergency-share')).toBe(
        percentText(emergencies.withinDeadlineShare),
      );
      // The campaigns in force, each with its progress in words.
      expect(await page.getByTestId('campaign-progress').count()).toBe(2);
      expect(await page.getByTestId('campaign-progress').first().innerText()).toMatch(
        /已访 \d+ \/ 应访 \d+，完成率/,
      );
      await shot(page, 'dashboard-county-desktop');

      // A township picked from the county: its villages' lines.
      await page.goto(`/dashboard?region=${TOWNSHIP}`);
      await rendered(page);
      expect(await text(page, 'dashboard-region')).toContain('灌水镇');
    });
  });

  it('fits a township head’s phone, lists the villages, and follows the width when turned', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/dashboard');
      await rendered(page);
      // Nothing wider than the screen; every chart as wide as its card.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      const width = async () =>
        (await page.getByTestId('chart-trend').locator('canvas').boundingBox())!.width;
      expect(await width()).toBeLessThanOrEqual(370);
      expect(await width()).toBeGreaterThan(300);
      const trend = await api<RateTrendDto>(page, `/api/dashboard/rate-trend?months=6`);
      expect(trend.region.name).toBe('灌水镇');
      expect(await page.getByTestId('child-rates').innerText()).toContain('东岔村委会');
      expect(await text(page, 'kpi-rate-value')).toBe(percentText(trend.total.at(-1)!.rate));
      await shot(page, 'dashboard-township-phone');

      await page.setViewportSize({ width: 844, height: 390 });
      await expect.poll(width).toBeGreaterThan(600);
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(width).toBeLessThanOrEqual(370);
    });
  });
});

describe('绩效考评', () => {
  it('shows how each of the county’s scores was computed and exports them to .xlsx', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.getByRole('menuitem', { name: '绩效考评' }).click();
      await page.waitForURL(/\/scorecards/);
      await page.getByTestId('scorecard').waitFor();
      const dto = await api<ScorecardsDto>(page, '/api/scorecards');
      const own = dto.own!;
      const rate = own.indicators.find((i) => i.key === 'visit_rate')!;
      const card = page.getByTestId('scorecard');
      expect(await card.getByTestId('indicator-visit_rate').innerText()).toContain(
        `已探访 ${rate.numerator} ÷ 应访 ${rate.denominator} = ${percentText(rate.value)}`,
      );
      expect(await card.getByTestId('indicator-visit_rate').innerText()).toContain(
        rate.points!.toFixed(2),
      );
      // No spot check checked in the demo: 暂无数据, left out of the total.
      expect(await card.getByTestId('indicator-spot_check_pass').innerText()).toContain('暂无数据');
      expect(await text(page, 'scorecard-total')).toContain(own.total!.toFixed(1));
      expect(await text(page, 'scorecard-config-source')).toContain('丹东市设置');
      // The townships with data ranked; the others named once.
      const ranked = dto.children.filter((c) => c.total !== null);
      expect(ranked.length).toBe(4);
      expect(
        await page.getByTestId('scorecard-ranking').locator('tbody tr.ant-table-row').count(),
      ).toBe(4);
      expect(await text(page, 'scorecard-no-data')).toContain('暂无数据');
      await shot(page, 'scorecards-county-desktop');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('scorecard-export').click(),
      ]);
      expect(download.suggestedFilename()).toBe(`绩效考评-宽甸满族自治县-${dto.year}.xlsx`);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile((await download.path())!);
      const sheet = book.getWorksheet('绩效考评')!;
      expect(String(sheet.getRow(1).getCell(1).value)).toContain(
        `${dto.year} 年度探访关爱绩效考评`,
      );
      const header = sheet.getRow(3).values as unknown[];
      expect(header.slice(1, 5)).toEqual(['区域', '级别', '探访率·已探访', '探访率·应访']);
      const county = sheet.getRow(4).values as unknown[];
      expect(county.slice(1, 5)).toEqual([
        '辽宁省丹东市宽甸满族自治县',
        '县(区)',
        rate.numerator,
        rate.denominator,
      ]);
      expect(county.at(-1)).toBe(own.total);
      expect(String(sheet.getRow(5).getCell(1).value)).toContain(ranked[0]!.region.name);
      expect(book.getWorksheet('计分说明')!.getRow(2).getCell(1).value).toBe('探访率');
    });
  });

  it('refuses weights that do not add up to 100, then saves the county’s own', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/scorecards');
      await page.getByTestId('scorecard').waitFor();
      await page.getByTestId('scorecard-config-open').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('scorecard-config').waitFor();
      await dialog.getByLabel('探访率权重', { exact: true }).fill('30');
      expect(await dialog.getByTestId('weight-sum').innerText()).toContain(
        '权重合计 90（须为 100）',
      );
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await expect
        .poll(() => dialog.getByTestId('scorecard-config-error').innerText())
        .toContain('各项指标的权重合计应为 100，现为 90');
      expect(await dialog.getByTestId('scorecard-config-error').innerText()).toContain(
        '字段：indicators',
      );
      await shot(page, 'scorecards-config-refused');
      await dialog.getByLabel('探访率权重', { exact: true }).fill('40');
      await dialog.getByLabel('抽查核实率权重', { exact: true }).fill('15');
      await dialog.getByLabel('问题按期处置率权重', { exact: true }).fill('25');
      expect(await dialog.getByTestId('weight-sum').innerText()).toBe('权重合计 100');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await expect
        .poll(() => text(page, 'scorecard-config-source'))
        .toContain('宽甸满族自治县设置');
    });
  });

  it('shows a township head their own scorecard on the phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/scorecards');
      await page.getByTestId('scorecard').waitFor();
      expect(await text(page, 'scorecard')).toContain('灌水镇');
      expect(await page.getByTestId('scorecard-config-open').count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await shot(page, 'scorecards-township-phone');
    });
  });
});
