/**
 * 更正 in Chromium: a visit 王桂兰 made yesterday is recorded through the API; village staff open
 * it on the elder's 探访记录, correct 燃气安全 from 安全 to 不安全 with a reason, and see 已更正（第 2 版）,
 * the new finding, and a 修改记录 that shows who corrected it, why, and 燃气安全 安全 → 不安全.
 */
import { fileURLToPath } from 'node:url';
import {
  DANDONG_2023,
  prefilledAnswers,
  uuidv7,
  type ElderSummaryDto,
  type Page as ApiPage,
  type SessionDto,
  type VisitDto,
} from '@tanfang/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext } from '../lib/browser.js';

const DONGCHA = '210624101201';
const DAY = 86_400_000;
const REASON = '核对纸质记录表，燃气安全应为不安全';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A screenshot of the screen as the user sees it (a modal scrolls inside the window). */
async function screen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({
    path: fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url)),
  });
}

/** Records a 丹东 visit of yesterday, everything 无变化, made by 王桂兰, through the API. */
async function recordVisit(
  page: Page,
): Promise<{ elder: ElderSummaryDto; visit: VisitDto; me: SessionDto }> {
  const me = (await (await page.request.get('/api/auth/me')).json()) as SessionDto;
  const elders = (await (
    await page.request.get('/api/elders', {
      params: { region: DONGCHA, status: 'active', pageSize: 5 },
    })
  ).json()) as ApiPage<ElderSummaryDto>;
  const elder = elders.items[0]!;
  const visitors = (await (
    await page.request.get('/api/visitors', { params: { q: '王桂兰' } })
  ).json()) as { items: { id: string; name: string }[] };
  const visitorId = visitors.items.find((v) => v.name === '王桂兰')!.id;
  const res = await page.request.post('/api/visits', {
    headers: { 'x-csrf-token': me.csrfToken },
    data: {
      id: uuidv7(),
      elderId: elder.id,
      visitorId,
      visitedAt: new Date(Date.now() - DAY).toISOString(),
      method: 'in_person',
      template: { key: DANDONG_2023.key, version: DANDONG_2023.version },
      answers: prefilledAnswers(DANDONG_2023),
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { elder, visit: (await res.json()) as VisitDto, me };
}

describe('更正 (correcting a visit)', () => {
  it('lets village staff correct an answer with a reason, then shows 已更正 and the 修改记录 with old → new', async () => {
    const context = await newContext(browser, 'desktop');
    const page = await context.newPage();
    try {
      await login(page, 'demo-village');
      const { elder, visit, me } = await recordVisit(page);
      await page.goto(`/elders/${elder.id}?tab=visits&visit=${visit.id}`);
      const card = page.locator(`#visit-${visit.id}`);
      await card.getByTestId('visit-answers').waitFor();
      expect(await card.getByTestId('visit-amended').count()).toBe(0);

      // 更正 opens the visit's own form with its answers.
      await card.getByTestId('visit-amend').click();
      const modal = page.getByTestId('amend-visit');
      await modal.getByTestId('visit-form').waitFor();
      const gas = modal.getByTestId('item-gas_safety');
      await expect.poll(() => gas.locator('[aria-checked="true"]').textContent()).toBe('安全');
      expect(await page.getByTestId('amend-submit').isDisabled()).toBe(true);

      await gas.getByRole('radio', { name: '不安全' }).click();
      // Saving without a reason is stopped on the reason.
      await page.getByTestId('amend-submit').click();
      await expect
        .poll(() => modal.getByTestId('amend-reason').textContent())
        .toContain('请填写更正原因');
      await modal.getByLabel('更正原因').fill(REASON);
      await page
        .locator('.ant-message-notice')
        .filter({ hasText: '需要填写或修改' })
        .waitFor({ state: 'detached' });
      const preview = modal.getByTestId('amend-changes');
      await expect.poll(() => preview.textContent()).toContain('燃气安全');
      expect(await preview.textContent()).toMatch(/燃气安全安全→不安全/);
      await preview.scrollIntoViewIfNeeded();
      await screen(page, 'visit-amend-form');

      await page.getByTestId('amend-submit').click();
      await modal.waitFor({ state: 'detached' });

      // The card is the corrected visit: 第 2 版, its new finding, the new answer.
      const amended = card.getByTestId('visit-amended');
      await expect.poll(() => amended.textContent()).toBe('已更正（第 2 版）');
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('燃气不安全');

      // 修改记录: who, when, why, and 燃气安全 安全 → 不安全.
      await card.getByTestId('visit-history').click();
      const history = page.getByTestId('visit-revisions');
      const revision = history.getByTestId('visit-revision');
      await revision.waitFor();
      expect(await revision.count()).toBe(1);
      const entry = (await revision.textContent()) ?? '';
      expect(entry).toContain('第 1 版 → 第 2 版');
      expect(entry).toContain(`${me.user.displayName} 更正`);
      expect(entry).toContain(`更正原因：${REASON}`);
      const row = revision.locator('tbody tr').filter({ hasText: '燃气安全' });
      expect(await row.locator('td').allTextContents()).toEqual([
        '燃气安全',
        '安全',
        '→',
        '不安全',
      ]);
      expect(await history.textContent()).toContain('第 1 版');
      await screen(page, 'visit-amend-history');
      await page.getByTestId('revisions-close').click();
      await history.waitFor({ state: 'detached' });
      // The card's head (date, 已更正) just below the fixed header.
      await card.evaluate((el) => {
        el.scrollIntoView({ block: 'start' });
        window.scrollBy(0, -96);
      });
      await screen(page, 'visit-amend-listed');
    } finally {
      await context.close();
    }
  });
});
