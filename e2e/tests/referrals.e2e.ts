/**
 * Referrals and care services in Chromium: 东岔村 staff refer an elder's need to 宽甸县居家养老服务中心
 * from the elder's page; demo-provider, on a phone, accepts it and completes it with the outcome
 * and the care service given (满意); staff then see the completed referral, its history and the
 * care service on the elder's page, and the 记录表 六 printout saved as an A4 PDF carries the
 * service and 满意. The elder's page shows 权益提示, and 服务机构 lists the demo's providers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElderSummaryDto, Page as ApiPage, ReferralDto } from '@tanfang/domain';
import type { Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DONGCHA = '210624101201';
const NEED = '独居，冬季取暖困难，需每周上门生活照料两次（打扫卫生、添煤）';
const OUTCOME = '已连续四周每周上门两次，室内温度保持在 18℃ 以上';
const SERVICE = '上门打扫卫生 8 次、添煤 8 次，检查取暖炉烟道';

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

/** A screenshot of the screen as the user sees it (modals and drawers scroll inside it). */
async function screen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Text of a PDF as one line: NFKC, radicals folded, no whitespace (see visit-print.e2e.ts). */
async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(doc, { mergePages: true });
  const radicals: Record<string, string> = {
    '⻔': '门',
    '⺠': '民',
    '⻓': '长',
    '⻅': '见',
    '⻚': '页',
  };
  return text
    .normalize('NFKC')
    .replace(/[⻔⺠⻓⻅⻚]/g, (c) => radicals[c] ?? c)
    .replace(/\s+/g, '');
}

/** Picks an option of the antd select in the form item labelled `label`. */
async function choose(page: Page, scope: string, label: string, option: string): Promise<void> {
  const item = page.getByTestId(scope).locator('.ant-form-item').filter({ hasText: label }).first();
  await item.locator('.ant-select').click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: option })
    .first()
    .click();
}

/** Presses the primary button of the open modal (转介, 接收, 完成服务…). */
async function confirm(page: Page): Promise<void> {
  await page.locator('.ant-modal-footer:visible .ant-btn-primary').click();
}

const elder = { id: '', name: '' };

describe('需求转介 and 关爱服务', () => {
  it('lets 东岔村 staff refer an elder’s need to a provider from the elder’s page', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const res = await page.request.get('/api/elders', {
        params: { region: DONGCHA, status: 'active', pageSize: 20 },
      });
      const { items } = (await res.json()) as ApiPage<ElderSummaryDto>;
      // The demo refers the first four; the sixth has nothing yet.
      Object.assign(elder, items[5]!);

      await page.goto(`/elders/${elder.id}`);
      const hints = page.getByTestId('entitlement-hints');
      await hints.waitFor();
      await hints.scrollIntoViewIfNeeded();
      await screen(page, 'referrals-elder-hints');

      await page.goto(`/elders/${elder.id}?tab=followup`);
      await page.getByTestId('elder-refer').click();
      const modal = page.getByTestId('refer-modal');
      await modal.waitFor();
      await choose(page, 'refer-modal', '服务类别', '生活照料');
      await choose(page, 'refer-modal', '服务机构', '宽甸县居家养老服务中心');
      await modal.getByTestId('refer-need').fill(NEED);
      await screen(page, 'referrals-refer-modal');
      await confirm(page);
      await modal.waitFor({ state: 'detached' });

      const row = page
        .getByTestId('elder-referrals')
        .locator('tr')
        .filter({ hasText: NEED.slice(0, 8) });
      await row.waitFor();
      expect(await row.textContent()).toContain('已转介');
      expect(await row.textContent()).toContain('宽甸县居家养老服务中心');
      await screen(page, 'referrals-elder-referred');
    });
  });

  it('lets demo-provider, on a phone, accept it and complete it with the outcome and a care service rated 满意', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-provider');
      // A provider account opens on 转介给本机构.
      await page.waitForURL((url) => url.pathname === '/referrals');
      const card = page.getByTestId('referral-card').filter({ hasText: NEED.slice(0, 8) });
      await card.waitFor();
      const text = (await card.textContent()) ?? '';
      expect(text).toContain(elder.name);
      expect(text).toContain('待接收');
      // Minimal personal data: a masked phone only.
      expect(text).not.toMatch(/1\d{10}/);
      await screen(page, 'referrals-provider-list');

      await card.getByTestId('referral-action-accepted').click();
      const accept = page.getByTestId('transition-modal');
      await accept.waitFor();
      await accept.getByTestId('transition-note').fill('已安排护理员孙丽本周三上门');
      await screen(page, 'referrals-provider-accept');
      await confirm(page);
      await accept.waitFor({ state: 'detached' });
      await expect.poll(() => card.textContent()).toContain('已接收');

      await card.getByTestId('referral-action-completed').click();
      const done = page.getByTestId('transition-modal');
      await done.waitFor();
      await done.getByTestId('transition-outcome').fill(OUTCOME);
      await done.getByTestId('care-content').fill(SERVICE);
      await done.getByText('满意', { exact: true }).click();
      await done.getByTestId('care-content').scrollIntoViewIfNeeded();
      await screen(page, 'referrals-provider-complete');
      await confirm(page);
      await done.waitFor({ state: 'detached' });
      await expect.poll(() => card.textContent()).toContain('已完成');
      expect(await card.textContent()).toContain(OUTCOME);
      await screen(page, 'referrals-provider-completed');

      // The ledger is not theirs.
      const ledger = await page.request.get('/api/elders');
      expect(ledger.status()).toBe(403);
    });
  });

  it('shows staff the completed referral with its history, and the care service on the elder’s page', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/elders/${elder.id}?tab=followup`);
      const row = page
        .getByTestId('elder-referrals')
        .locator('tr')
        .filter({ hasText: NEED.slice(0, 8) });
      await row.waitFor();
      await expect.poll(() => row.textContent()).toContain('已完成');
      const services = page.getByTestId('elder-care-services');
      await services.waitFor();
      const serviceText = (await services.textContent()) ?? '';
      expect(serviceText).toContain(SERVICE);
      expect(serviceText).toContain('满意');
      expect(serviceText).toContain('宽甸县居家养老服务中心');

      await row.click();
      const detail = page.getByTestId('referral-detail');
      await detail.waitFor();
      const steps = await detail.getByTestId('referral-event').allTextContents();
      expect(steps.map((s) => s.slice(0, 3))).toEqual(['已转介', '已接收', '已完成']);
      expect(steps[1]).toContain('已安排护理员孙丽本周三上门');
      expect(steps[2]).toContain(OUTCOME);
      await screen(page, 'referrals-staff-detail');

      // 需求转介 lists it under 已完成.
      await page.goto('/referrals?status=completed');
      const listed = page.getByTestId('referral-row').filter({ hasText: elder.name });
      await listed.first().waitFor();
      await screen(page, 'referrals-staff-list');
      const api = await page.request.get('/api/referrals', { params: { status: 'completed' } });
      const completed = (await api.json()) as { items: ReferralDto[] };
      expect(completed.items.some((r) => r.need === NEED && r.outcome === OUTCOME)).toBe(true);
    });
  });

  it('prints the elder’s care services as 记录表 六 on A4, with the service and 满意 ticked', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/elders/${elder.id}/care-services/print`);
      await page.locator('[data-testid="visit-print"][data-ready="true"]').waitFor();
      await page.waitForLoadState('networkidle');
      await shot(page, 'referrals-print-screen');
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 680, height: 1009 });
      await shot(page, 'referrals-print-media');
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      fs.writeFileSync(path.join(ARTIFACTS, 'referrals-care-services.pdf'), pdf);
      const text = await pdfText(pdf);
      expect(text).toContain('特殊困难老年人探访关爱服务记录表');
      expect(text).toContain('六、关爱服务情况');
      expect(text).toContain(elder.name);
      expect(text).toContain('第1次开展关爱');
      expect(text).toContain(SERVICE.normalize('NFKC').replace(/\s+/g, ''));
      expect(text).toContain('服务人员签字(盖章)');
      expect(text).toContain('老年人服务满意度评价:☑满意☐基本满意☐不满意');
    });
  });

  it('lists the demo’s service providers with their kinds, and the care services rated 不满意, for the county', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/providers');
      const table = page.getByTestId('providers-table');
      await table.waitFor();
      const text = (await table.textContent()) ?? '';
      for (const name of ['宽甸县居家养老服务中心', '灌水镇卫生院', '宽甸县阳光社会工作服务中心'])
        expect(text).toContain(name);
      expect(text).toContain('适老化改造');
      await screen(page, 'referrals-providers');

      // 关爱服务 lists the county's services with the elders' satisfaction.
      await page.goto('/care-services?satisfaction=unsatisfied');
      const services = page.getByTestId('care-services-table');
      await services.waitFor();
      expect(await services.textContent()).toContain('不满意');
      await screen(page, 'referrals-care-services-list');
    });
  });
});
