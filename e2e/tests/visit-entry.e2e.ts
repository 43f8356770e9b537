/**
 * Paper entry and form templates in Chromium: village staff enter a visit made on paper (by 王桂兰,
 * yesterday, 燃气 不安全) and it lists in 探访记录 with its finding; a future time and a time before
 * the elder was registered are refused on the time field. The city sees the two built-in forms on
 * 探访表, downloads the 丹东 sample, uploads it as version 2 with an extra item, and an upload with a
 * duplicate item key is refused with the path of the problem.
 */
import fs from 'node:fs';
import type { ElderSummaryDto, FormTemplate, Page as ApiPage } from '@tanfang/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { launch, login, newContext, shot } from '../lib/browser.js';

const DONGCHA = '210624101201';
const DAY = 86_400_000;

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

/** A screenshot of the screen as the user sees it (a modal scrolls inside the window). */
async function screen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({
    path: fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url)),
  });
}

/** A China wall-clock `YYYY-MM-DD HH:mm` some days from now, at the given hour. */
function chinaDay(offsetDays: number, hour: string): string {
  const d = new Date(Date.now() + offsetDays * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${d} ${hour}`;
}

/** An active elder of 东岔村, as the ledger lists them. */
async function dongchaElder(page: Page): Promise<ElderSummaryDto> {
  const response = await page.request.get(`/api/elders?region=${DONGCHA}&status=active&pageSize=5`);
  expect(response.ok()).toBe(true);
  const { items } = (await response.json()) as ApiPage<ElderSummaryDto>;
  expect(items.length).toBeGreaterThan(0);
  return items[0]!;
}

/** Opens 录入探访记录 on the elder's page and waits for the form. */
async function openEntry(page: Page, elderId: string): Promise<void> {
  await page.goto(`/elders/${elderId}`);
  await page.getByTestId('paper-visit-open').click();
  await page.getByTestId('paper-visit').getByTestId('visit-form').waitFor();
}

/** Types a time into the 探访时间 picker and confirms it. */
async function setVisitedAt(page: Page, wallClock: string): Promise<void> {
  const input = page.getByTestId('paper-visited-at').locator('input');
  await input.click();
  await input.fill(wallClock);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(wallClock);
}

async function chooseVisitor(page: Page, name: string): Promise<void> {
  await page.getByTestId('paper-visitor').locator('.ant-select').click();
  await page.locator('.ant-select-item-option').filter({ hasText: name }).first().click();
}

describe('录入探访记录 (paper entry by village staff)', () => {
  it('stores a visit made yesterday by 王桂兰 with 燃气 不安全, listed in 探访记录 with its finding', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const elder = await dongchaElder(page);
      await openEntry(page, elder.id);
      const modal = page.getByTestId('paper-visit');
      // Prefilled as 无变化: 燃气安全 starts at 安全.
      await expect
        .poll(() =>
          modal.getByTestId('item-gas_safety').locator('[aria-checked="true"]').textContent(),
        )
        .toBe('安全');

      await chooseVisitor(page, '王桂兰');
      const when = chinaDay(-1, '10:30');
      await setVisitedAt(page, when);
      await modal.getByTestId('paper-method').getByText('上门探访').click();
      await modal.getByTestId('item-gas_safety').getByRole('radio', { name: '不安全' }).click();
      await modal.getByTestId('item-gas_safety').scrollIntoViewIfNeeded();
      await screen(page, 'visit-entry-form');

      await page.getByTestId('paper-submit').click();
      await page.getByTestId('paper-visit').waitFor({ state: 'detached' });

      const card = page.getByTestId('visit-card').filter({ hasText: when });
      await card.waitFor();
      await expect.poll(() => card.textContent()).toContain('王桂兰');
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('上门探访');
      expect(text).toContain('燃气不安全');
      // Entered the next day: not late enough to be 补录.
      expect(text).not.toContain('补录');
      await card.scrollIntoViewIfNeeded();
      await screen(page, 'visit-entry-listed');
    });
  });

  it('refuses a visit time in the future, and one before the elder was registered, on the time field', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const elder = await dongchaElder(page);
      await openEntry(page, elder.id);
      const modal = page.getByTestId('paper-visit');
      await chooseVisitor(page, '王桂兰');
      await modal.getByTestId('paper-method').getByText('电话问候').click();

      await setVisitedAt(page, chinaDay(1, '09:00'));
      await page.getByTestId('paper-submit').click();
      const field = modal.getByTestId('paper-visited-at');
      await expect.poll(() => field.textContent()).toContain('探访时间不能晚于现在');
      await field.scrollIntoViewIfNeeded();
      await screen(page, 'visit-entry-future');

      // The server's refusal lands on the same field.
      await setVisitedAt(page, '2001-03-01 09:00');
      await page.getByTestId('paper-submit').click();
      await expect.poll(() => field.textContent()).toContain('早于该老年人登记入册的日期');
      expect(await modal.isVisible()).toBe(true);
    });
  });

  it('fits a phone screen', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      const elder = await dongchaElder(page);
      await openEntry(page, elder.id);
      await screen(page, 'visit-entry-phone');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(392);
    });
  });
});

describe('探访表 (form templates)', () => {
  it('lists the two built-ins, and the city uploads version 2 of 丹东 from the downloaded sample', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-city');
      await page.getByRole('menuitem', { name: '探访表' }).click();
      await page.waitForURL('**/templates');
      const rows = page.getByTestId('template-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(2);
      const all = (await page.getByTestId('template-table').textContent()) ?? '';
      expect(all).toContain('anshan-2020');
      expect(all).toContain('dandong-2023');
      expect(all).toContain('12 项');

      // 查看 draws the form read-only.
      await rows.filter({ hasText: 'dandong-2023' }).getByTestId('template-view').click();
      const drawer = page.getByTestId('template-drawer');
      await drawer.getByTestId('item-gas_safety').waitFor();
      expect(await drawer.textContent()).toContain('燃气不安全');
      await screen(page, 'templates-view');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });

      // 下载示例: the 丹东 form under the next free version.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId('template-sample').click(),
      ]);
      const sample = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as FormTemplate;
      expect(sample.key).toBe('dandong-2023');
      expect(sample.version).toBe(2);

      const needs = sample.sections.find((s) => s.key === 'needs')!;
      needs.items.push({
        kind: 'text',
        key: 'neighbour_help',
        label: '邻里互助情况',
        maxLength: 200,
        required: false,
      });
      await page.getByTestId('template-upload-open').click();
      await page.getByTestId('template-file').setInputFiles({
        name: 'dandong-2023-v2.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(sample, null, 2)),
      });
      await page.getByTestId('template-check-ok').waitFor();
      await screen(page, 'templates-upload-ok');
      await page.getByTestId('template-upload-submit').click();
      await page.getByTestId('template-upload').waitFor({ state: 'detached' });

      await expect.poll(() => rows.count()).toBe(3);
      const uploaded = rows.filter({ hasText: '第 2 版' });
      const text = (await uploaded.textContent()) ?? '';
      expect(text).toContain('dandong-2023');
      expect(text).toContain('上传');
      const builtinItems = Number(
        /(\d+) 项/.exec(
          (await rows.filter({ hasText: '第 1 版' }).nth(1).textContent()) ?? '',
        )?.[1],
      );
      expect(text).toContain(`${builtinItems + 1} 项`);
      await shot(page, 'templates-listed');

      // The same version again: the server's 409 is shown.
      await page.getByTestId('template-upload-open').click();
      await page.getByTestId('template-json').fill(JSON.stringify(sample));
      await page.getByTestId('template-upload-submit').click();
      await expect
        .poll(() => page.getByTestId('template-issues').textContent())
        .toContain('第 2 版已存在');
    });
  });

  it('shows the path and message of a duplicate item key, and does not send it', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-city');
      await page.goto('/templates');
      const sampleResponse = await page.request.get('/api/templates/dandong-2023/1');
      const {
        builtin: _b,
        regionCode: _r,
        ...base
      } = (await sampleResponse.json()) as FormTemplate & {
        builtin: boolean;
        regionCode: string | null;
      };
      const broken = structuredClone(base);
      broken.version = 5;
      const needs = broken.sections.findIndex((s) => s.key === 'needs');
      broken.sections[needs]!.items.push({
        kind: 'text',
        key: 'mood',
        label: '情绪补充',
        maxLength: 100,
        required: false,
      });
      const index = broken.sections[needs]!.items.length - 1;

      let posted = 0;
      page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/templates') posted++;
      });
      await page.getByTestId('template-upload-open').click();
      await page.getByTestId('template-json').fill(JSON.stringify(broken, null, 2));
      const issues = page.getByTestId('template-issues');
      await issues.waitFor();
      const text = (await issues.textContent()) ?? '';
      expect(text).toContain(`sections.${needs}.items.${index}.key`);
      expect(text).toContain('项目代码 mood 重复');
      expect(await page.getByTestId('template-upload-submit').isDisabled()).toBe(true);
      await screen(page, 'templates-upload-invalid');
      expect(posted).toBe(0);
    });
  });

  it('fits a phone screen', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-city');
      await page.goto('/templates');
      await page.getByTestId('template-table').locator('tbody tr.ant-table-row').first().waitFor();
      await shot(page, 'templates-phone');
    });
  });
});
