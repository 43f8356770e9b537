/**
 * The ledger (台账) in Chromium: a village lists its elders, finds one by pinyin initials, opens
 * the record and reveals the full numbers with a reason; registers a new elder while the rules
 * panel explains the derived categories; a 59-year-old is refused on the ID field; and the
 * 信息采集表 prints as an A4 PDF whose text is the elder's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid GB 11643 number from its first 17 digits. */
function withCheck(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
}

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

let createdId = '';

describe('the ledger', () => {
  it('lists the village’s elders, finds one by pinyin initials and reveals the numbers with a reason', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.getByRole('menuitem', { name: /台账/ }).click();
      await page.waitForURL(/\/elders/);
      const table = page.getByTestId('elder-list-table');
      await expect.poll(() => table.locator('.ant-table-row').count()).toBeGreaterThan(5);
      const body = await table.innerText();
      expect(body).toContain('********');
      expect(body).not.toMatch(/\d{17}[\dX]/);
      await shot(page, 'ledger-list-desktop');

      const name = (
        await table.locator('.ant-table-row').first().locator('a').first().innerText()
      ).trim();
      const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('');
      await page.getByTestId('elder-search').locator('input').fill(initials);
      await page.getByTestId('elder-search').locator('input').press('Enter');
      await expect.poll(() => table.innerText()).toContain(name);

      await table.locator('.ant-table-row', { hasText: name }).first().locator('a').first().click();
      await page.waitForURL(/\/elders\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('elder-header').innerText()).toContain(name);
      await expect.poll(() => page.getByTestId('elder-findings').isVisible()).toBe(true);
      await expect
        .poll(() => page.getByTestId('elder-tier').innerText())
        .toMatch(/高风险|重点|一般/);
      await shot(page, 'ledger-elder-desktop');

      await page.getByTestId('reveal-button').first().click();
      await page.getByTestId('reveal-reason').fill('核对高龄津贴申请材料');
      await page
        .getByRole('dialog')
        .getByRole('button', { name: /确\s*定|查\s*看/ })
        .click();
      await expect.poll(() => page.locator('body').innerText()).toMatch(/210624\d{11}[\dX]/);
    });
  });

  it('registers a new elder while the rules panel explains the categories', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/elders/new');
      await page.locator('#name').fill('宋玉芬');
      await page.locator('#idNumber').fill(withCheck('21062419400412104'));
      const panel = page.getByTestId('rules-panel');
      await expect.poll(() => panel.innerText()).toContain('高龄');
      await expect.poll(() => panel.innerText()).toMatch(/8\d\s*岁|8\d\s*周岁/);
      await page.locator('#villageCode').click();
      await page.locator('.ant-cascader-menu-item', { hasText: '东岔村委会' }).first().click();
      await shot(page, 'ledger-form-desktop');
      await page.getByTestId('elder-form-submit').click();
      await page.waitForURL(/\/elders\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('elder-header').innerText()).toContain('宋玉芬');
      createdId = page.url().split('/').pop()!;
    });
  });

  it('refuses a 59-year-old on the ID field, saying why', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/elders/new');
      await page.locator('#name').fill('年轻人');
      await page.locator('#idNumber').fill(withCheck('21062419670101105'));
      await page.locator('#name').click();
      await expect.poll(() => page.locator('body').innerText()).toContain('未满 60 周岁');
      await shot(page, 'ledger-form-under-60-phone');
    });
  });

  it('prints the 信息采集表 as an A4 PDF with the elder’s data', async () => {
    expect(createdId).not.toBe('');
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/elders/${createdId}/print`);
      await page.locator('[data-testid="print-form"][data-ready="true"]').waitFor();
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(path.join(ARTIFACTS, 'ledger-print.pdf'), pdf);
      const doc = await getDocumentProxy(new Uint8Array(pdf));
      const { text, totalPages } = await extractText(doc, { mergePages: true });
      const plain = text.normalize('NFKC').replace(/\s+/g, '');
      expect(totalPages).toBeGreaterThanOrEqual(1);
      expect(plain).toContain('信息采集表');
      expect(plain).toContain('宋玉芬');
      expect(plain).toContain('宽甸满族自治县');
      expect(plain).toContain('210624********');
      await shot(page, 'ledger-print-desktop');
    });
  });
});
