/**
 * 统计报表 in Chromium: the demo county opens 统计报表 from the menu, previews this month's
 * 探访关爱工作统计表 (its townships, 灌水镇 with the demo's visits, the 合计) and downloads it; the
 * file's cells are those of the preview and its 合计 is the visit rate's total. Then 台账完整性:
 * the preview per village and the downloaded workbook (summary, incomplete records, required
 * fields) agree. A village's own report fits a phone.
 */
import fs from 'node:fs';
import type { LedgerCompletenessDto, MonthlyStatisticsDto, VisitRateDto } from '@tanfang/domain';
import ExcelJS from 'exceljs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const COUNTY = '210624';
const GUANSHUI = '210624101';

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

/** This month, China time. */
const thisMonth = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);

/** A JSON answer of the API, as the signed-in page would get it. */
async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok(), url).toBe(true);
  return (await response.json()) as T;
}

/** The downloaded file opened with exceljs. */
async function workbookOf(download: Download): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fs.readFileSync((await download.path())!) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The row of a sheet whose cell in `column` is `label`. */
function rowOf(sheet: ExcelJS.Worksheet, label: string, column = 1): ExcelJS.Row {
  for (let r = 1; r <= sheet.rowCount; r++)
    if (sheet.getRow(r).getCell(column).value === label) return sheet.getRow(r);
  throw new Error(`no row ${label} in ${sheet.name}`);
}

describe('统计报表 (reports)', () => {
  it('previews and downloads the county’s monthly 探访关爱工作统计表', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.getByRole('menuitem', { name: '统计报表' }).click();
      await page.waitForURL('**/reports');
      const table = page.getByTestId('monthly-statistics-table');
      await table.locator('tbody tr').filter({ hasText: '灌水镇' }).waitFor();
      const month = thisMonth();
      const dto = await getJson<MonthlyStatisticsDto>(
        page,
        `/api/reports/monthly-statistics?month=${month}`,
      );
      const rate = await getJson<VisitRateDto>(
        page,
        `/api/visit-rate?region=${COUNTY}&period=${month}`,
      );
      expect(dto.total.visits.due).toBe(rate.total.due);
      const guanshui = dto.rows.find((r) => r.region.code === GUANSHUI)!;
      // The demo visits 灌水镇's elders: something is due and something done this month.
      expect(guanshui.visits.due).toBeGreaterThan(0);
      expect(guanshui.registered).toBeGreaterThan(0);
      await expect
        .poll(async () => (await page.locator('h4').first().textContent()) ?? '')
        .toContain('探访关爱工作统计表');
      const totalRow = table.locator('tr[data-row-key="total"]');
      expect(await totalRow.textContent()).toContain(String(dto.total.visits.due));
      await shot(page, 'reports-monthly');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-monthly').click(),
      ]);
      expect(download.suggestedFilename()).toContain('探访关爱工作统计表');
      const sheet = (await workbookOf(download)).worksheets[0]!;
      expect(sheet.getCell('A1').value).toBe(dto.title);
      expect(String(sheet.getCell('A2').value)).toContain('宽甸满族自治县');
      expect(sheet.getCell('A3').value).toBe('区域');
      expect(sheet.getCell('C3').value).toBe('探访情况（人次）');
      expect(sheet.getCell('C4').value).toBe('应访');
      const row = rowOf(sheet, '灌水镇');
      expect([2, 3, 4].map((c) => row.getCell(c).value)).toEqual([
        guanshui.registered,
        guanshui.visits.due,
        guanshui.visits.onTime,
      ]);
      const total = rowOf(sheet, '合计');
      expect(total.getCell(3).value).toBe(rate.total.due);
      expect(total.getCell(7).value).toBe(rate.total.rate ?? '—');
      if (rate.total.rate !== null) expect(total.getCell(7).numFmt).toBe('0.0%');
    });
  });

  it('previews and downloads the ledger completeness of the county, village by village', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/reports?tab=completeness');
      const table = page.getByTestId('ledger-completeness-table');
      await table.locator('tr[data-row-key="total"]').waitFor();
      const dto = await getJson<LedgerCompletenessDto>(page, '/api/reports/ledger-completeness');
      expect(dto.total.elders).toBeGreaterThan(0);
      expect(await table.locator('tbody tr.ant-table-row').count()).toBe(
        Math.min(dto.rows.length + 1, 50),
      );
      await shot(page, 'reports-completeness');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('download-completeness').click(),
      ]);
      expect(download.suggestedFilename()).toContain('台账完整性');
      const workbook = await workbookOf(download);
      expect(workbook.worksheets.map((s) => s.name)).toEqual([
        '台账完整性',
        '不完整记录',
        '必填项说明',
      ]);
      const summary = workbook.worksheets[0]!;
      const first = dto.rows[0]!;
      const village = rowOf(summary, first.region.name, 2);
      expect([3, 4].map((c) => village.getCell(c).value)).toEqual([first.elders, first.complete]);
      expect(rowOf(summary, '合计').getCell(3).value).toBe(dto.total.elders);
      // One line per incomplete record, under the header.
      expect(workbook.worksheets[1]!.rowCount - 1).toBe(dto.total.elders - dto.total.complete);
    });
  });

  it('fits a village’s own report on a phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/reports');
      await page
        .getByTestId('monthly-statistics-table')
        .locator('tr[data-row-key="total"]')
        .waitFor();
      await shot(page, 'reports-monthly-phone');
    });
  });
});
