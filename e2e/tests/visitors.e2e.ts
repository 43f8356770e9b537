/**
 * 探访人员 and 探访分配 in Chromium: a village registers a visitor (a wrong phone number is refused
 * on its field), finds the elder still without a visitor (未落实探访人) and assigns them to the new
 * visitor, is refused a second primary visitor with the server's message, previews a whole-village
 * reassignment before anything changes and confirms it with the history kept; on a phone, 离岗 of
 * a visitor who still visits elders is refused and leads to 批量转交 with that visitor chosen.
 * The demo's own visitors are read from the screen, not assumed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

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

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Keeps a screenshot of what the screen shows: drawers are fixed to the viewport, so a full-page
 * shot would show them over a part of the page only.
 */
async function viewShot(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Waits (up to 20 s: the machine is shared) until a value a user sees matches. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 20_000 });

/** The visitor registered by the first test, who takes over the village later. */
const NEW_VISITOR = '孙立新';
const REASON = '村里探访人员调整，全村统一更换主要探访人';

/** Opens an antd Select and picks the option with this text (typing it first when searchable). */
async function pick(page: Page, select: Locator, text: string, search = true): Promise<void> {
  await select.click();
  if (search) await select.locator('input').fill(text);
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', {
    hasText: text,
  });
  await option.first().click();
}

/** The rows of the assignments table, once it has loaded. */
async function assignmentRows(page: Page): Promise<Locator> {
  const rows = page.getByTestId('assignment-table').locator('.ant-table-row');
  await poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
  await poll(() => rows.count()).toBeGreaterThan(0);
  return rows;
}

/** The list's total as its pagination states it (共 N 人). */
async function listTotal(page: Page): Promise<number> {
  const text = await page.locator('.ant-pagination-total-text').innerText();
  return Number(/共 (\d+) 人/.exec(text)?.[1]);
}

/** A row whose elder has a primary visitor other than `not`, with the elder's and visitor's names. */
async function rowWithPrimary(
  rows: Locator,
  not: string,
): Promise<{ row: Locator; elder: string; visitor: string }> {
  const row = rows
    .filter({ has: rows.page().getByTestId('primary-visitor') })
    .filter({ hasNotText: not })
    .first();
  // Fails with the poll's message, instead of waiting out the test, if no such row shows up.
  await poll(() => row.count()).toBe(1);
  const elder = (await row.locator('a').first().innerText()).trim();
  const visitor = (await row.getByTestId('primary-visitor').innerText()).trim();
  return { row: rows.filter({ hasText: elder }).first(), elder, visitor };
}

/** Opens 探访分配 through the menu (on a phone the menu is unfolded first). */
async function openAssignments(page: Page, phone = false): Promise<void> {
  if (phone) await page.getByRole('button', { name: '展开菜单' }).click();
  await page.getByRole('menuitem', { name: '探访分配' }).click();
  await page.waitForURL(/\/assignments/);
}

describe('visitors and household assignments', () => {
  it('registers a visitor, refusing a wrong phone number on its field', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.getByRole('menuitem', { name: '探访人员' }).click();
      await page.waitForURL(/\/visitors/);
      const table = page.getByTestId('visitor-table');
      const rows = table.locator('.ant-table-row');
      await poll(() => rows.count()).toBeGreaterThan(1);
      const body = await table.innerText();
      expect(body).toMatch(/1\d\d\*{4}\d{4}/);
      expect(body).not.toMatch(/1\d{10}/);
      expect(body).toMatch(/主要 \d+ · 备用 \d+/);
      expect(body).toContain('在岗');
      await shot(page, 'visitors-list-desktop');

      await page.getByTestId('visitor-create').click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#name').fill(NEW_VISITOR);
      await pick(
        page,
        dialog.locator('.ant-select', { has: page.locator('#type') }),
        '志愿者',
        false,
      );
      await dialog.locator('#phone').fill('1390415');
      await dialog.locator('#regionCode').click();
      await page.locator('.ant-cascader-menu-item', { hasText: '东岔村委会' }).first().click();
      // Village staff pick the login account themselves: the demo's 探访人员 account is taken.
      await dialog.locator('.ant-select', { has: page.locator('#userId') }).click();
      const taken = page.locator('.ant-select-dropdown:visible .ant-select-item-option', {
        hasText: 'demo-visitor',
      });
      await poll(() => taken.innerText()).toContain('已关联 王桂兰');
      expect(await taken.getAttribute('class')).toContain('ant-select-item-option-disabled');
      await page.keyboard.press('Escape');
      await dialog.getByRole('button', { name: '登记' }).click();
      await poll(() => dialog.innerText()).toContain('电话号码格式不正确');
      await shot(page, 'visitors-form-phone-error-desktop');

      await dialog.locator('#phone').fill('13904151109');
      await dialog.getByRole('button', { name: '登记' }).click();
      await poll(() => dialog.isVisible()).toBe(false);
      const row = table.locator('.ant-table-row', { hasText: NEW_VISITOR });
      await poll(() => row.count()).toBe(1);
      expect(await row.innerText()).toContain('139****1109');
      expect(await row.innerText()).toContain('志愿者');
      expect(await row.innerText()).toContain('主要 0 · 备用 0');
    });
  });

  it('shows the elders without a visitor, and an assigned one leaves that list', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await openAssignments(page, true);
      const tab = page.getByRole('tab', { name: /未落实探访人/ });
      await tab.click();
      await page.waitForURL(/unassigned=true/);
      const rows = await assignmentRows(page);
      // Every row listed is an elder without a primary visitor, and the tab counts them.
      await poll(
        async () => (await rows.count()) === (await rows.filter({ hasText: '未落实' }).count()),
      ).toBe(true);
      const count = await rows.count();
      await poll(() => listTotal(page)).toBe(count);
      await poll(() => tab.innerText()).toContain(String(count));
      const name = (await rows.first().locator('a').first().innerText()).trim();
      await shot(page, 'assignments-unassigned-phone');

      await rows.first().locator('.ant-checkbox-input').check();
      await page.getByTestId('assign-open').click();
      const dialog = page.getByRole('dialog');
      await poll(() => dialog.getByTestId('assign-elders').innerText()).toContain(name);
      await pick(page, dialog.getByTestId('assign-visitor'), NEW_VISITOR);
      await shot(page, 'assignments-assign-phone');
      await dialog.getByRole('button', { name: '确认分配' }).click();
      await poll(() => dialog.isVisible()).toBe(false);

      await poll(async () =>
        (await page.getByTestId('assignment-table').innerText()).includes(name),
      ).toBe(false);
      await poll(() => tab.innerText()).toContain(String(count - 1));
      await shot(page, 'assignments-after-assign-phone');

      await page.getByRole('tab', { name: /全部在册老年人/ }).click();
      await page.getByTestId('assignment-search').locator('input').fill(name);
      await page.getByTestId('assignment-search').locator('input').press('Enter');
      const row = page.getByTestId('assignment-table').locator('.ant-table-row', { hasText: name });
      await poll(() => row.first().innerText()).toContain(NEW_VISITOR);
    });
  });

  it('refuses a second primary visitor with the server’s message naming the elder', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await openAssignments(page);
      const { row, elder, visitor } = await rowWithPrimary(await assignmentRows(page), NEW_VISITOR);
      await row.locator('.ant-checkbox-input').check();
      await page.getByTestId('assign-open').click();
      const dialog = page.getByRole('dialog');
      await pick(page, dialog.getByTestId('assign-visitor'), NEW_VISITOR);
      await dialog.getByRole('button', { name: '确认分配' }).click();
      const error = dialog.getByTestId('assign-error');
      await poll(() => error.innerText()).toContain('已有主要探访人');
      expect(await error.innerText()).toContain(elder);
      await shot(page, 'assignments-overlap-refused-desktop');
      await dialog.getByRole('button', { name: '取消' }).click();
      // Nothing changed: the elder keeps the visitor they had.
      await page.getByRole('button', { name: '刷新' }).click();
      await poll(() => row.getByTestId('primary-visitor').innerText()).toBe(visitor);
    });
  });

  it('previews a whole-village reassignment before anything changes, then keeps the history', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await openAssignments(page);
      const rows = await assignmentRows(page);
      const total = await listTotal(page);
      expect(total).toBeGreaterThan(5);
      const { row, elder, visitor } = await rowWithPrimary(rows, NEW_VISITOR);

      await page.getByTestId('reassign-open').click();
      const drawer = page.getByTestId('reassign-drawer');
      await drawer.getByText('整村', { exact: true }).click();
      await drawer.locator('#villageCode').click();
      await page.locator('.ant-cascader-menu-item', { hasText: '东岔村委会' }).first().click();
      await pick(page, drawer.getByTestId('reassign-to'), NEW_VISITOR);
      await drawer.locator('#reason').fill(REASON);
      await page.getByTestId('reassign-preview').click();

      // Every elder of the village but the one the new visitor already has.
      const preview = drawer.getByTestId('reassign-preview-result');
      await poll(() => preview.innerText()).toContain(`共 ${total - 1} 位老年人`);
      const previewText = await preview.innerText();
      expect(previewText).toContain(elder);
      expect(previewText).toContain(visitor);
      expect(previewText).toContain(NEW_VISITOR);
      await viewShot(page, 'assignments-reassign-preview-desktop');
      // Only a preview: the list still shows the visitors as they were.
      expect(await row.getByTestId('primary-visitor').innerText()).toBe(visitor);

      await page.getByTestId('reassign-commit').click();
      const result = drawer.getByTestId('reassign-result');
      await poll(() => result.innerText()).toContain(`新建 ${total - 1} 项分配`);
      expect(await result.innerText()).toMatch(/结束 \d+ 项分配/);
      await viewShot(page, 'assignments-reassign-done-desktop');
      await drawer.getByRole('button', { name: '完成' }).click();

      await poll(() => row.getByTestId('primary-visitor').innerText()).toBe(NEW_VISITOR);
      await row.getByRole('button', { name: '分配历史' }).click();
      const items = page.getByTestId('history-drawer').getByTestId('history-item');
      const current = items.filter({ hasText: NEW_VISITOR });
      await poll(() => current.count()).toBe(1);
      expect(await current.innerText()).toContain('当前');
      const ended = items.filter({ hasText: visitor }).filter({ hasText: '主要探访人' });
      expect(await ended.innerText()).toContain('已结束');
      expect(await ended.innerText()).toContain(`结束原因：${REASON}`);
      await viewShot(page, 'assignments-history-desktop');
    });
  });

  it('on a phone, 离岗 of a visitor who still visits elders is refused and leads to 批量转交', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/visitors');
      const row = page.getByTestId('visitor-table').locator('.ant-table-row', {
        hasText: NEW_VISITOR,
      });
      await poll(() => row.innerText()).toMatch(/主要 [1-9]/);
      await shot(page, 'visitors-list-phone');
      await row.getByRole('button', { name: '离岗' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: '确认离岗' }).click();
      const refusal = dialog.getByTestId('leave-refusal');
      await poll(() => refusal.innerText()).toContain('仍负责');
      await shot(page, 'visitors-leave-refused-phone');

      await refusal.getByRole('button', { name: '去批量转交' }).click();
      await page.waitForURL(/\/assignments/);
      const drawer = page.getByTestId('reassign-drawer');
      await poll(() => drawer.getByTestId('reassign-from').innerText()).toContain(NEW_VISITOR);
      expect(await drawer.getByTestId('reassign-leaves').isChecked()).toBe(true);
      // Any other visitor of the village takes over (the one leaving is not offered).
      await drawer.getByTestId('reassign-to').click();
      const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
      await poll(() => options.count()).toBeGreaterThan(0);
      expect(await options.allInnerTexts()).not.toContainEqual(
        expect.stringContaining(NEW_VISITOR),
      );
      await options.first().click();
      await drawer.locator('#reason').fill('孙立新离岗，其负责的老年人转交他人');
      await page.getByTestId('reassign-preview').click();
      await poll(() => drawer.getByTestId('reassign-preview-result').innerText()).toMatch(
        /共 \d+ 位老年人/,
      );
      await viewShot(page, 'assignments-transfer-preview-phone');
    });
  });
});
