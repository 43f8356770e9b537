/**
 * Every demo role signs in at desktop and at phone size, lands on its home screen, sees its role
 * and jurisdiction, and a screenshot of each is kept.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot, VIEWPORTS } from '../lib/browser.js';

const ACCOUNTS = [
  { username: 'demo-city', role: '市民政局', place: '辽宁省丹东市' },
  { username: 'demo-county', role: '县(区)民政局', place: '辽宁省丹东市宽甸满族自治县' },
  {
    username: 'demo-township',
    role: '乡镇(街道)民政办',
    place: '辽宁省丹东市宽甸满族自治县灌水镇',
  },
  {
    username: 'demo-village',
    role: '村(居)委会',
    place: '辽宁省丹东市宽甸满族自治县灌水镇东岔村委会',
  },
  {
    username: 'demo-visitor',
    role: '探访人员',
    place: '辽宁省丹东市宽甸满族自治县灌水镇东岔村委会',
  },
  { username: 'demo-provider', role: '服务机构', place: '辽宁省丹东市宽甸满族自治县' },
  { username: 'demo-auditor', role: '审计人员', place: '辽宁省丹东市' },
  { username: 'demo-admin', role: '系统管理员', place: '辽宁省丹东市' },
] as const;

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

for (const size of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
  describe(`each demo role at ${size} size`, () => {
    for (const account of ACCOUNTS) {
      it(`signs ${account.username} in to their home screen`, async () => {
        const context = await newContext(browser, size);
        const page = await context.newPage();
        try {
          await login(page, account.username);
          if (account.username === 'demo-visitor') {
            await page.waitForURL(/\/m$/);
            // The top bar names the account; the greeting, the linked 探访人员 and the village.
            await expect.poll(() => page.getByTestId('field-user').innerText()).toContain('王桂兰');
            await expect
              .poll(() => page.getByTestId('field-greeting').innerText())
              .toContain('东岔村委会');
            await expect.poll(() => page.getByTestId('field-worklist').isVisible()).toBe(true);
          } else {
            // 首页; a provider account's home is 转介给本机构 (it has no 首页).
            const home = account.username === 'demo-provider' ? '/referrals' : '/';
            await page.waitForURL((url) => url.pathname === home);
            const header = page.getByTestId('current-user');
            await expect.poll(() => header.innerText()).toContain(account.role);
            // 首页 shows the jurisdiction's path; the provider's home its referrals by status.
            if (account.username === 'demo-provider') {
              await expect.poll(() => page.getByTestId('referral-tabs').isVisible()).toBe(true);
              await expect.poll(() => page.locator('body').innerText()).toContain('转介给本机构');
            } else {
              await expect
                .poll(() => page.getByTestId('jurisdiction-path').innerText())
                .toContain('丹东市');
            }
            await expect
              .poll(() => page.locator('body').innerText())
              .toContain(account.place.replace(/^辽宁省/, ''));
          }
          await page.waitForLoadState('networkidle');
          await shot(page, `home-${account.username}-${size}`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
