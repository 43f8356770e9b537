/**
 * The console's main flows in Chromium: an admin creates a village account with the region
 * picker (weak password refused with the rule), the new account signs in; wrong passwords and
 * the lock get their own messages and the admin unlocks; the auditor reads the audit log; a
 * township head uses the menu on a phone.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const NEW_USER = 'e2e-dongcha';
const NEW_PASSWORD = 'Dongcha-2026-ok';

async function withPage<T>(size: 'desktop' | 'phone', fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, size);
  const page = await context.newPage();
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

async function tryLogin(page: Page, username: string, password: string): Promise<string> {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
  await page.getByRole('button', { name: /登\s*录/ }).click();
  const body = (await (await answered).json()) as { error: { message: string } };
  // The page must show the server's message for this attempt.
  await expect
    .poll(() => page.getByTestId('login-error').innerText())
    .toContain(body.error.message);
  return page.getByTestId('login-error').innerText();
}

describe('the console', () => {
  it('lets the admin create a village account with the region picker', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-admin');
      await page.getByRole('menuitem', { name: '用户管理' }).click();
      await page.waitForURL(/\/users/);
      await expect
        .poll(() => page.locator('.ant-table-tbody').innerText())
        .toContain('demo-village');
      await shot(page, 'users-list-desktop');

      await page.getByRole('button', { name: /新建用户/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#username').fill(NEW_USER);
      await dialog.locator('#displayName').fill('东岔村文书');
      await dialog.locator('#role').click();
      await page.locator('.ant-select-item-option', { hasText: '村(居)委会' }).click();
      await dialog.locator('#jurisdiction').click();
      for (const name of ['丹东市', '宽甸满族自治县', '灌水镇', '东岔村委会']) {
        await page.locator('.ant-cascader-menu-item', { hasText: name }).first().click();
      }
      await expect.poll(() => dialog.innerText()).toContain('东岔村委会');

      // A weak password is refused with the rule, before anything is sent.
      await dialog.locator('#password').fill('abc');
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      await expect
        .poll(() => dialog.innerText())
        .toContain('密码须为 10–128 个字符，且同时包含字母和数字');
      await shot(page, 'users-create-invalid-desktop');

      await dialog.locator('#password').fill(NEW_PASSWORD);
      await dialog.getByRole('button', { name: /创\s*建/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect.poll(() => page.locator('.ant-table-tbody').innerText()).toContain(NEW_USER);
    });

    await withPage('phone', async (page) => {
      await login(page, NEW_USER, NEW_PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');
      await expect.poll(() => page.getByTestId('current-user').innerText()).toContain('村(居)委会');
      await expect
        .poll(() => page.getByTestId('jurisdiction-path').innerText())
        .toContain('东岔村委会');
    });
  });

  it('tells a wrong password from a locked account, and the admin unlocks it', async () => {
    await withPage('desktop', async (page) => {
      expect(await tryLogin(page, NEW_USER, 'Wrong-pass-0000')).toBe('用户名或密码错误');
      await shot(page, 'login-wrong-password-desktop');
      for (let i = 0; i < 3; i++) {
        const res = await page.request.post('/api/auth/login', {
          data: { username: NEW_USER, password: 'Wrong-pass-0000' },
        });
        expect(res.status()).toBe(401);
      }
      // The fifth failure locks the account; even the right password then gets the lock message.
      expect(await tryLogin(page, NEW_USER, 'Wrong-pass-0000')).toContain('已被锁定');
      expect(await tryLogin(page, NEW_USER, NEW_PASSWORD)).toContain('已被锁定');
      await expect.poll(() => page.getByTestId('login-error').innerText()).toContain('已被锁定');
      await shot(page, 'login-locked-desktop');
    });

    await withPage('desktop', async (page) => {
      await login(page, 'demo-admin');
      await page.goto('/users');
      const row = page.locator('.ant-table-row', { hasText: NEW_USER });
      await expect.poll(() => row.innerText()).toContain('已锁定');
      await row.getByRole('button', { name: /解\s*锁/ }).click();
      await expect.poll(() => row.innerText()).toContain('正常');
    });

    await withPage('desktop', async (page) => {
      await login(page, NEW_USER, NEW_PASSWORD);
      await page.waitForURL((url) => url.pathname === '/');
    });
  });

  it('shows the auditor the audit log of their jurisdiction, with details', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-auditor');
      await page.getByRole('menuitem', { name: '审计日志' }).click();
      await page.waitForURL(/\/audit/);
      const body = page.locator('.ant-table-tbody');
      await expect.poll(() => body.innerText()).toContain('demo-admin');
      await page
        .locator('.ant-table-row-expand-icon:not(.ant-table-row-expand-icon-spaced)')
        .first()
        .click();
      await expect.poll(() => page.getByTestId('audit-detail').first().isVisible()).toBe(true);
      await shot(page, 'audit-desktop');
    });
  });

  it('gives a township head the menu on a phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.waitForURL((url) => url.pathname === '/');
      await page.getByRole('button', { name: '展开菜单' }).click();
      await expect.poll(() => page.getByRole('menuitem', { name: '首页' }).isVisible()).toBe(true);
      await shot(page, 'menu-demo-township-phone');
    });
  });
});
