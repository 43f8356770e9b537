/**
 * 探访规则 and 专项探访 in Chromium: a village sees the city's 丹东 monthly rule as read-only; a
 * county creates a rule (a missing cadence and a past date are refused on their fields), adds a
 * version and reads the history, and adopts the national 2022 preset; a township launches a 汛期
 * campaign with its default checklist (an end before the start is refused), then cancels it.
 */
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

/** A full-page screenshot from the top (the console's header is sticky). */
async function snap(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A date in China time, n days from today. */
function chinaDate(daysFromToday = 0): string {
  return new Date(Date.now() + CHINA_OFFSET_MS + daysFromToday * DAY_MS).toISOString().slice(0, 10);
}

/** The first day of next month in China time. */
function firstOfNextMonth(): string {
  const [y, m] = chinaDate().split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1));
  return next.toISOString().slice(0, 10);
}

/** The day after a date. */
function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** The form item holding a control (its label, control and error). */
function formItem(scope: Page | Locator, id: string): Locator {
  return scope.locator(`.ant-form-item:has(#${id})`).last();
}

/** Types a date (or date and time) into an antd DatePicker. */
async function typeDate(page: Page, id: string, value: string): Promise<void> {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(value);
  // Leaving the field commits the typed value (Enter would submit the form).
  await input.press('Tab');
}

/** Picks an option of an antd Select by its exact text. */
async function pick(page: Page, id: string, option: string): Promise<void> {
  await page.locator(`#${id}`).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: new RegExp(`^${option.replace(/[()（）]/g, '.')}$`) })
    .first()
    .click();
}

const CITY_POLICY = '特殊困难老年人每月探访';

describe('visit policies (探访规则)', () => {
  for (const size of ['desktop', 'phone'] as const) {
    it(`shows a village the city’s 丹东 monthly policy as read-only, with no way to create one (${size})`, async () => {
      await withPage(size, async (page) => {
        await login(page, 'demo-village');
        if (size === 'desktop') {
          await page.getByRole('menuitem', { name: '探访规则' }).click();
        } else {
          await page.getByRole('button', { name: '展开菜单' }).click();
          await page.getByRole('menuitem', { name: '探访规则' }).click();
        }
        await page.waitForURL(/\/policies/);
        await expect
          .poll(() => page.getByTestId('policy-precedence').innerText())
          .toContain('适用区域最具体、对象范围最具体的规则优先');
        const card = page.getByTestId('policy-card').filter({ hasText: CITY_POLICY });
        await expect.poll(() => card.count()).toBe(1);
        const text = await card.innerText();
        expect(text).toContain('上级规则（只读）');
        expect(text).toContain('辽宁省丹东市');
        expect(text).toContain('每月');
        expect(text).toContain('全部对象');
        expect(text).toContain('丹东 2023 探访关爱服务记录表');
        expect(await page.getByRole('button', { name: /新建规则/ }).count()).toBe(0);
        expect(await page.getByRole('button', { name: /套用预设/ }).count()).toBe(0);
        expect(await page.getByTestId('policy-new-version').count()).toBe(0);
        await snap(page, `policies-village-${size}`);
      });
    });
  }

  const NAME = '独居老人每十天探访';

  it('lets a county create a policy, refusing a missing cadence and a past date on their fields, then add a version', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.getByRole('menuitem', { name: '探访规则' }).click();
      await page.waitForURL(/\/policies/);
      await expect.poll(() => page.getByTestId('policy-card').count()).toBeGreaterThan(0);
      await snap(page, 'policies-county-desktop');

      await page.getByRole('button', { name: /新建规则/ }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#name').fill(NAME);
      await page.locator('#categories').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '独居' })
        .first()
        .click();
      await page.keyboard.press('Escape');

      // No cadence yet: refused on the cadence field.
      await dialog.getByRole('button', { name: /创建规则/ }).click();
      await expect
        .poll(() => formItem(dialog, 'cadenceKind').innerText())
        .toContain('请选择探访频次');

      await pick(page, 'cadenceKind', '每 N 天');
      await dialog.locator('#cadenceDays').fill('10');

      // A date before today: the server refuses it, on the date field.
      await typeDate(page, 'effectiveFrom', chinaDate(-3));
      await dialog.getByRole('button', { name: /创建规则/ }).click();
      await expect
        .poll(() => formItem(dialog, 'effectiveFrom').innerText())
        .toContain('生效日期不能早于今天');
      await snap(page, 'policies-create-past-date-desktop');

      const from = firstOfNextMonth();
      await typeDate(page, 'effectiveFrom', from);
      await dialog.getByRole('button', { name: /创建规则/ }).click();
      await dialog.waitFor({ state: 'hidden' });

      const card = page.getByTestId('policy-card').filter({ hasText: NAME });
      await expect.poll(() => card.count()).toBe(1);
      await expect.poll(() => card.innerText()).toContain(`将于 ${from} 起生效`);
      expect(await card.innerText()).toContain('每 10 天');
      expect(await card.innerText()).toContain('独居');

      // A new version from the day after: weekly instead of every 10 days.
      await card.getByRole('button', { name: /新版本/ }).click();
      const versionDialog = page.getByRole('dialog');
      await expect.poll(() => versionDialog.locator('#name').inputValue()).toBe(NAME);
      expect(await versionDialog.locator('#effectiveFrom').inputValue()).toBe(dayAfter(from));
      await pick(page, 'cadenceKind', '每周');
      await versionDialog.locator('#note').fill('汛期前加密探访');
      await versionDialog.getByRole('button', { name: /保存新版本/ }).click();
      await versionDialog.waitFor({ state: 'hidden' });

      await expect
        .poll(() => card.innerText())
        .toContain(`第 2 版将于 ${dayAfter(from)} 起生效：探访频次：每 10 天 → 每周`);
      await card.getByText(/版本记录/).click();
      const history = card.getByTestId('policy-versions');
      await expect.poll(() => history.innerText()).toContain('第 2 版');
      const historyText = await history.innerText();
      expect(historyText).toContain('第 1 版');
      expect(historyText).toContain('探访频次：每 10 天 → 每周');
      expect(historyText).toContain('说明：汛期前加密探访');
      expect(historyText).toContain('制定规则');
      await snap(page, 'policies-version-history-desktop');
    });
  });

  it('adopts the national 2022 preset for 宽甸县 from next month, one policy per tier', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/policies');
      await page.getByRole('button', { name: /套用预设/ }).click();
      const dialog = page.getByRole('dialog');
      const choice = dialog.getByTestId('preset-choice').filter({ hasText: '全国 2022 指导意见' });
      await expect.poll(() => choice.count()).toBe(1);
      expect(await choice.innerText()).toContain('高风险对象每周探访');
      await choice.click();
      expect(await formItem(dialog, 'regionCode').innerText()).toContain('宽甸满族自治县');
      expect(await dialog.locator('#effectiveFrom').inputValue()).toBe(firstOfNextMonth());
      await snap(page, 'policies-preset-desktop');

      const answered = page.waitForResponse((r) =>
        r.url().includes('/api/policies/presets/national-2022/apply'),
      );
      await dialog.getByRole('button', { name: /套\s*用/ }).click();
      const response = await answered;
      if (response.status() === 201) {
        await dialog.waitFor({ state: 'hidden' });
        const adopted = page.getByTestId('policy-card').filter({ hasText: '预设：全国 2022' });
        await expect.poll(() => adopted.count()).toBe(3);
        const texts = await adopted.allInnerTexts();
        const tiers: [string, string, string][] = [
          ['高风险对象每周探访', '高风险', '每周'],
          ['重点对象每月探访', '重点', '每月'],
          ['一般对象每季度探访', '一般', '每季度'],
        ];
        for (const [name, tier, cadence] of tiers) {
          const text = texts.find((t) => t.includes(name)) ?? '';
          expect(text).toContain('辽宁省丹东市宽甸满族自治县');
          expect(text).toMatch(new RegExp(`适用对象[：:]?\\s*${tier}`));
          expect(text).toMatch(new RegExp(`探访频次[：:]?\\s*${cadence}`));
          expect(text).toContain(`将于 ${firstOfNextMonth()} 起生效`);
        }
        await snap(page, 'policies-preset-applied-desktop');
      } else {
        // Something the demo set already conflicts: the server's message is shown.
        const body = (await response.json()) as { error: { message: string } };
        await expect.poll(() => dialog.innerText()).toContain(body.error.message);
        await snap(page, 'policies-preset-refused-desktop');
      }
    });
  });

  it('shows a county its policies and the new-policy form on a phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/policies');
      const card = page.getByTestId('policy-card').filter({ hasText: NAME });
      await expect.poll(() => card.count()).toBe(1);
      await card.getByText(/版本记录/).click();
      await expect.poll(() => card.getByTestId('policy-versions').innerText()).toContain('第 2 版');
      await snap(page, 'policies-county-phone');
      await page.getByRole('button', { name: /新建规则/ }).click();
      await expect.poll(() => page.getByRole('dialog').innerText()).toContain('计入的探访方式');
      await snap(page, 'policies-create-phone');
    });
  });
});

describe('campaigns (专项探访)', () => {
  const NAME = '汛期入户走访（e2e）';

  it('lets a township launch a 汛期 campaign with its default checklist, refusing an end before the start, then cancel it', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-township');
      await page.getByRole('menuitem', { name: '专项探访' }).click();
      await page.waitForURL(/\/campaigns/);
      const list = page.getByTestId('campaign-list');
      await expect.poll(() => list.innerText()).toContain('供暖季入户走访');
      expect(await list.innerText()).toContain('开始后 14 天内探访一次');
      await snap(page, 'campaigns-township-desktop');

      await page.getByRole('button', { name: /发起专项探访/ }).click();
      const dialog = page.getByRole('dialog');
      await pick(page, 'kind', '汛期');
      const labels = dialog.getByLabel('检查项名称');
      await expect.poll(() => labels.count()).toBe(2);
      expect(await labels.nth(0).inputValue()).toBe('电线线路安全');
      expect(await labels.nth(1).inputValue()).toMatch(/^防汛安全/);
      await dialog.locator('#name').fill(NAME);
      await dialog.locator('#withinValue').fill('48');
      await pick(page, 'withinUnit', '小时');

      // An end before the start is refused on 结束时间.
      const start = await dialog.locator('#startsAt').inputValue();
      expect(start).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      await typeDate(page, 'endsAt', `${chinaDate(-1)} 08:00`);
      await dialog.getByRole('button', { name: /发\s*起/ }).click();
      await expect
        .poll(() => formItem(dialog, 'endsAt').innerText())
        .toContain('结束时间必须晚于开始时间');
      await snap(page, 'campaigns-end-before-start-desktop');

      await typeDate(page, 'endsAt', `${chinaDate(30)} 18:00`);
      const answered = page.waitForResponse(
        (r) => r.url().endsWith('/api/campaigns') && r.request().method() === 'POST',
      );
      await dialog.getByRole('button', { name: /发\s*起/ }).click();
      expect((await answered).status()).toBe(201);
      await dialog.waitFor({ state: 'hidden' });

      const card = page.getByTestId('campaign-card').filter({ hasText: NAME });
      await expect.poll(() => card.count()).toBe(1);
      const text = await card.innerText();
      expect(text).toContain('汛期');
      expect(text).toContain('进行中');
      expect(text).toContain('开始后 48 小时内探访一次');
      expect(text).toContain('电线线路安全');
      expect(text).toContain('防汛安全（房屋、低洼处、转移预案）');
      expect(text).toContain(`${chinaDate(30)} 18:00`);
      await snap(page, 'campaigns-launched-desktop');

      await card.getByRole('button', { name: /取\s*消/ }).click();
      const confirm = page.getByRole('dialog');
      await expect.poll(() => confirm.innerText()).toContain('取消后不能恢复');
      await confirm.getByTestId('campaign-cancel-note').fill('预警解除');
      await confirm.getByRole('button', { name: /确认取消/ }).click();
      await confirm.waitFor({ state: 'hidden' });
      await expect.poll(() => card.count()).toBe(0);

      await page.getByRole('tab', { name: '已取消' }).click();
      const cancelled = page.getByTestId('campaign-card').filter({ hasText: NAME });
      await expect.poll(() => cancelled.count()).toBe(1);
      expect(await cancelled.innerText()).toContain('已取消');
      expect(await cancelled.getByRole('button', { name: /取\s*消/ }).count()).toBe(0);
      await snap(page, 'campaigns-cancelled-desktop');
    });
  });

  it('shows a township the campaigns and the launch form on a phone, 供暖季 bringing its checks', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/campaigns');
      await expect
        .poll(() => page.getByTestId('campaign-list').innerText())
        .toContain('供暖季入户走访');
      await snap(page, 'campaigns-township-phone');
      await page.getByRole('button', { name: /发起专项探访/ }).click();
      const dialog = page.getByRole('dialog');
      await pick(page, 'kind', '供暖季');
      const labels = dialog.getByLabel('检查项名称');
      await expect.poll(() => labels.count()).toBe(2);
      expect(await labels.nth(0).inputValue()).toBe('室内温度是否适宜');
      await snap(page, 'campaigns-create-phone');
    });
  });

  it('shows a village the campaigns set above it, without launch or cancel', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/campaigns');
      const card = page.getByTestId('campaign-card').filter({ hasText: '供暖季入户走访' });
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.innerText()).toContain('上级部署');
      expect(await page.getByRole('button', { name: /发起专项探访/ }).count()).toBe(0);
      expect(await card.getByRole('button', { name: /取\s*消/ }).count()).toBe(0);
    });
  });
});
