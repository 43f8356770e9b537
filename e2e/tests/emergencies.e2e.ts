/**
 * Emergencies and the findings workflow in Chromium: village staff report an emergency (a call
 * from the family) and see it 待响应 with its timeline; the township head, on a phone, sees every
 * open emergency of 灌水镇 with its state, responds and fills in the checklist; a finding moves
 * 受理 → 办结 → 关闭, refused until a 处置情况记录 is written; the county sets a deadline; a visitor
 * who reports an emergency on a visit is shown what to do at once.
 */
import type { ElderSummaryDto, Page as ApiPage } from '@tanfang/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const DONGCHA = '210624101201';
const TITLE = '老人突发晕倒';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function withPage<T>(
  size: 'desktop' | 'phone',
  fn: (page: Page, context: BrowserContext) => Promise<T>,
): Promise<T> {
  const context = await newContext(browser, size);
  if (size === 'phone') {
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: 40.73, longitude: 124.78, accuracy: 18 });
  }
  const page = await context.newPage();
  try {
    return await fn(page, context);
  } catch (e) {
    await page.screenshot({ path: '/tmp/fail.png', fullPage: true }).catch(() => undefined);
    throw e;
  } finally {
    await context.close();
  }
}

/** What the screen shows (the viewport, not the whole page). */
async function screen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({
    path: fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url)),
  });
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok(), url).toBe(true);
  return (await response.json()) as T;
}

/** Picks an option of an open antd Select by its text. */
async function pick(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

describe('emergencies (紧急情况)', () => {
  it('lets village staff report an emergency, alerting at once, with its timeline', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const { items } = await getJson<ApiPage<ElderSummaryDto>>(
        page,
        `/api/elders?region=${DONGCHA}&status=active&pageSize=5`,
      );
      const elder = items[2]!;
      await page.getByRole('menuitem', { name: /紧急情况/ }).click();
      await page.waitForURL(/\/emergencies/);
      const list = page.getByTestId('emergency-list');
      // The demo's emergency of 东岔村, acknowledged within minutes.
      await expect.poll(() => list.innerText()).toContain('老人突发胸闷气短');
      expect(await list.innerText()).toContain('用时 8 分钟');
      await expect
        .poll(() => page.getByTestId('response-stats').innerText())
        .toContain('响应时间中位数');
      await shot(page, 'emergencies-desktop');

      await page.getByTestId('emergency-raise-open').click();
      const modal = page.getByTestId('emergency-raise');
      await modal.locator('.ant-select').first().click();
      await page.keyboard.type(elder.name);
      await pick(page, elder.name);
      await modal.locator('#title').fill(TITLE);
      await modal
        .locator('#description')
        .fill('老人女儿来电：老人早饭后晕倒在厨房，已清醒但站不起来');
      await modal.getByTestId('checklist-number').getByText('120 急救').click();
      await screen(page, 'emergency-raise-desktop');
      await modal.getByRole('button', { name: /上报并通知值班人员/ }).click();

      const detail = page.getByTestId('finding-detail');
      await expect.poll(() => detail.innerText()).toContain(TITLE);
      const text = await detail.innerText();
      expect(text).toContain('待响应');
      expect(text).toContain('尚未响应：当前通知村（社区）');
      expect(text).toContain(elder.name);
      expect(await detail.getByTestId('finding-timeline').innerText()).toContain('发现问题');
      await shot(page, 'emergency-detail-desktop');
    });
  });

  it('shows the township head every open emergency of 灌水镇 on a phone, to respond and fill in the checklist', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/m');
      const board = page.getByTestId('field-emergencies');
      await expect.poll(() => board.innerText()).toContain(TITLE);
      const text = await board.innerText();
      // The demo's emergency in another village, and the one just reported in 东岔村.
      expect(text).toContain('老人在家中摔倒');
      expect(text).toContain('老人突发胸闷气短');
      expect(text).toMatch(/未办结 \d+ 条，其中 \d+ 条待响应/);
      const ours = board.getByTestId('field-emergency').filter({ hasText: TITLE });
      expect(await ours.getByTestId('field-emergency-state').innerText()).toBe('待响应');
      await screen(page, 'emergency-board-phone');

      await ours.click();
      await page.getByTestId('field-emergency-page').waitFor();
      await page.getByTestId('field-emergency-acknowledge').click();
      await expect
        .poll(() => page.getByTestId('field-emergency-response').innerText())
        .toContain('已响应');
      expect(await page.getByTestId('field-emergency-state').innerText()).toBe('已响应');

      const form = page.getByTestId('field-emergency-checklist');
      await form.getByTestId('checklist-family').getByText('已联系到').click();
      await form.locator('#familyContact').fill('女儿 王丽');
      await form.locator('.ant-select').click();
      await pick(page, '已送医');
      await form.locator('#situationNote').fill('120 已送宽甸县中心医院，女儿陪同');
      await page.getByTestId('field-emergency-save').click();
      await expect
        .poll(() => page.getByTestId('field-emergency-page').innerText())
        .toContain('老年人目前情况：未填 → 已送医');
      await shot(page, 'emergency-field-phone');

      await page.getByRole('button', { name: /返\s*回/ }).click();
      const row = page.getByTestId('field-emergency').filter({ hasText: TITLE });
      await expect.poll(() => row.innerText()).toContain('已响应');
      expect(await row.innerText()).toContain('已联系到家属（女儿 王丽）');
    });
  });

  it('shows the township its emergencies in the console on a phone too', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/emergencies');
      const list = page.getByTestId('emergency-list');
      await expect.poll(() => list.innerText()).toContain('老人在家中摔倒');
      expect(await list.innerText()).toContain(TITLE);
      await screen(page, 'emergencies-phone');
    });
  });
});

describe('the findings workflow (发现问题)', () => {
  it('moves a finding through 受理 → 办结 → 关闭, refusing to close without a 处置情况记录', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto('/findings');
      await page.getByTestId('finding-status-tabs').getByRole('tab', { name: '已逾期' }).click();
      const list = page.getByTestId('finding-list');
      await expect.poll(() => list.innerText()).toContain('提出服务需求');
      expect(await list.innerText()).toContain('已逾期');
      await shot(page, 'findings-overdue-desktop');

      await list.getByTestId('finding-open').filter({ hasText: '提出服务需求' }).first().click();
      const detail = page.getByTestId('finding-detail');
      await expect.poll(() => detail.innerText()).toContain('转介期限');
      const act = async (to: string, label: RegExp) => {
        await detail.getByTestId(`finding-action-${to}`).click();
        const ok = page
          .getByTestId('transition-modal')
          .locator('.ant-modal-footer .ant-btn-primary');
        expect(await ok.innerText()).toMatch(label);
        await ok.click();
      };
      await act('in_progress', /受\s*理/);
      await expect.poll(() => detail.innerText()).toContain('处理中');
      await act('resolved', /办\s*结/);
      await expect.poll(() => detail.innerText()).toContain('已解决');
      await act('closed', /关\s*闭/);
      await expect
        .poll(() => detail.getByTestId('finding-action-error').innerText())
        .toContain('请先填写处置情况记录');
      await screen(page, 'finding-close-refused-desktop');

      await detail.getByTestId('finding-add-disposal').click();
      const modal = page.getByTestId('disposal-modal');
      await modal.locator('.ant-select').click();
      await pick(page, '告知其依法申请');
      await modal
        .locator('#description')
        .fill('已告知老人可申请居家养老服务补贴，并协助联系村卫生室每周送药');
      await modal.getByRole('button', { name: /保存处置记录/ }).click();
      await expect
        .poll(() => detail.getByTestId('finding-disposals').innerText())
        .toContain('告知其依法申请');
      await act('closed', /关\s*闭/);
      await expect.poll(() => detail.innerText()).toContain('已关闭');
      const timeline = await detail.getByTestId('finding-timeline').innerText();
      for (const step of ['发现问题', '受理', '办结', '处置情况记录', '关闭'])
        expect(timeline).toContain(step);
      expect(timeline).toContain('东岔村委会');
      await shot(page, 'finding-detail-desktop');
    });
  });

  it('lets the county set a region’s deadlines (期限设置)', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.getByRole('menuitem', { name: /期限设置/ }).click();
      await page.waitForURL(/\/deadlines/);
      const table = page.getByTestId('deadlines-table');
      await expect.poll(() => table.innerText()).toContain('安全隐患');
      await table.getByTestId('deadline-amount-type:safety_hazard').fill('5');
      await page.getByTestId('deadlines-save').click();
      await expect.poll(() => table.innerText()).toContain('本级设置');
      const config = await getJson<{ rules: { key: string; minutes: number; own: boolean }[] }>(
        page,
        '/api/follow-up/deadlines',
      );
      expect(config.rules.find((r) => r.key === 'type:safety_hazard')).toMatchObject({
        minutes: 5 * 24 * 60,
        own: true,
      });
      await shot(page, 'deadlines-desktop');
    });
  });

  it('tells a visitor who reports an emergency on a visit what to do at once', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      await page.getByTestId('worklist-card').first().click();
      await page.getByTestId('start-visit').click();
      await page.getByTestId('visit-form').waitFor();
      await page
        .getByTestId('visit-method')
        .getByRole('radio', { name: /上门探访/ })
        .click();
      const checks = page
        .getByTestId('section-checklist')
        .getByRole('radio', { name: /已检查，无问题/ });
      for (let i = 0; i < (await checks.count()); i++) await checks.nth(i).click();
      await page.getByRole('switch', { name: '紧急情况' }).click();
      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);
      const prompt = page.getByTestId('rescue-prompt');
      await expect.poll(() => prompt.innerText()).toContain('已报告紧急情况');
      expect(await prompt.innerText()).toContain('120');
      await screen(page, 'rescue-prompt-phone');
    });
  });
});
