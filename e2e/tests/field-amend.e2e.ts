/**
 * 更正 on the phone: demo-visitor records a visit, finds it under 最近提交 (the elder has left the
 * worklist), corrects 燃气安全 with a reason and sees 已更正（第 2 版） and the 修改记录; village staff
 * see the same revision in the console. Without signal the 更正 page says so (请在有网络时更正) and
 * keeps what was typed, and a refusal of the server is shown on the field it names.
 */
import type { SessionDto, VisitDto, VisitorWorklistDto } from '@tanfang/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const REASON = '老人家里燃气灶胶管老化，录入时点错';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

/** A phone in 灌水镇 that has allowed the app to locate it. */
async function phone(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, 'phone');
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 40.73, longitude: 124.78, accuracy: 18 });
  const page = await context.newPage();
  return { context, page };
}

/** A screenshot of what the phone's screen shows (the top of the page, or where it is scrolled). */
async function screen(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({
    path: fileURLToPath(new URL(`../artifacts/${name}.png`, import.meta.url)),
  });
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok()).toBe(true);
  return (await response.json()) as T;
}

/** The ids of the visits the page posted. */
function postedVisitIds(page: Page): string[] {
  const ids: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/visits') {
      ids.push((JSON.parse(r.postData() ?? '{}') as { id: string }).id);
    }
  });
  return ids;
}

/** How many corrections the page sent. */
function amendmentPosts(page: Page): { count: number } {
  const sent = { count: 0 };
  page.on('request', (r) => {
    if (r.method() === 'POST' && /\/api\/visits\/[^/]+\/amendments$/.test(r.url())) sent.count++;
  });
  return sent;
}

/** Records a no-change 上门探访 of the first elder of the worklist; returns the elder and visit id. */
async function recordFirstElder(
  page: Page,
): Promise<{ elderId: string; name: string; id: string }> {
  const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
  const elder = list.items[0]!.elder;
  const posted = postedVisitIds(page);
  await page.getByTestId('worklist-card').filter({ hasText: elder.name }).first().click();
  await page.getByTestId('start-visit').click();
  await page.getByTestId('visit-form').waitFor();
  await page
    .getByTestId('visit-method')
    .getByRole('radio', { name: /上门探访/ })
    .click();
  const checks = page
    .getByTestId('section-checklist')
    .getByRole('radio', { name: /已检查，无问题/ });
  for (let i = 0, n = await checks.count(); i < n; i++) await checks.nth(i).click();
  await page.getByTestId('visit-submit').click();
  await page.waitForURL(/\/m$/);
  await expect
    .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
    .toBe('全部已上传');
  expect(posted).toHaveLength(1);
  return { elderId: elder.id, name: elder.name, id: posted[0]! };
}

describe('更正 on the phone', () => {
  let recorded: { elderId: string; name: string; id: string };

  it('lets a visitor correct an answer of a visit just submitted, with a reason, and village staff see the revision', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      recorded = await recordFirstElder(page);
      const me = await getJson<SessionDto>(page, '/api/auth/me');

      // 最近提交, from the home: the visit just made comes first.
      await screen(page, 'field-amend-home');
      await page.getByTestId('recent-entry').click();
      await page.waitForURL(/\/m\/recent$/);
      const cards = page.getByTestId('recent-visit');
      await cards.first().waitFor();
      expect(await cards.first().getAttribute('data-visit-id')).toBe(recorded.id);
      const card = page.locator(`[data-visit-id="${recorded.id}"]`);
      const text = await card.innerText();
      expect(text).toContain(recorded.name);
      expect(text).toContain('上门探访');
      expect(text).toContain('可更正至');
      expect(await card.getByTestId('visit-amended').count()).toBe(0);
      await screen(page, 'field-amend-list');

      // 更正 opens the visit's own form with its answers.
      await card.getByTestId('recent-visit-amend').click();
      await page.waitForURL(/\/m\/visits\/[^/]+\/amend$/);
      await page.getByTestId('visit-form').waitFor();
      const gas = page.getByTestId('item-gas_safety');
      await expect.poll(() => gas.locator('[aria-checked="true"]').innerText()).toBe('安全');
      expect(
        await page.getByTestId('visit-method').getByRole('radio', { checked: true }).innerText(),
      ).toContain('上门探访');
      expect(await page.getByTestId('amend-submit').isDisabled()).toBe(true);
      await screen(page, 'field-amend-top');

      await gas.getByRole('radio', { name: '不安全' }).click();
      const changes = page.getByTestId('amend-changes');
      await expect.poll(() => changes.innerText()).toContain('燃气安全');
      expect((await changes.getByTestId('visit-change').innerText()).split('\n')).toEqual([
        '燃气安全',
        '安全',
        '→',
        '不安全',
      ]);
      // Without a reason, it is asked for on the reason.
      await page.getByTestId('amend-submit').click();
      const reason = page.getByTestId('amend-reason');
      await expect.poll(() => reason.innerText()).toContain('请填写更正原因');
      await reason.getByLabel('更正原因').fill(REASON);
      await expect.poll(() => reason.innerText()).not.toContain('请填写更正原因');
      await changes.scrollIntoViewIfNeeded();
      await screen(page, 'field-amend-changes');
      await shot(page, 'field-amend-page');

      await page.getByTestId('amend-submit').click();
      await page.waitForURL(/\/m\/recent$/);
      await expect
        .poll(() =>
          card
            .getByTestId('visit-amended')
            .innerText()
            .catch(() => ''),
        )
        .toBe('已更正（第 2 版）');
      await screen(page, 'field-amend-list-amended');

      const stored = await getJson<VisitDto>(page, `/api/visits/${recorded.id}`);
      expect(stored).toMatchObject({ revision: 2, answers: { gas_safety: { value: 'unsafe' } } });
      expect(stored.findings.map((f) => f.title)).toContain('燃气不安全');

      // 修改记录: who, why, and 燃气安全 安全 → 不安全.
      await card.getByTestId('recent-visit-history').click();
      const revision = page.getByTestId('visit-revision');
      await revision.waitFor();
      const entry = await revision.innerText();
      expect(entry).toContain('第 1 版 → 第 2 版');
      expect(entry).toContain(`${me.user.displayName} 更正`);
      expect(entry).toContain(`更正原因：${REASON}`);
      expect(entry).toMatch(/燃气安全\s+安全\s+→\s+不安全/);
      await screen(page, 'field-amend-history');

      // The elder's page leads to the visit too, once the elder has left the worklist.
      await page.goto(`/m/elders/${recorded.elderId}`);
      const onElder = page.getByTestId('elder-recent-visits');
      await onElder.waitFor();
      const elderCard = onElder.locator(`[data-visit-id="${recorded.id}"]`);
      expect(await elderCard.getByTestId('visit-amended').innerText()).toBe('已更正（第 2 版）');
      await onElder.scrollIntoViewIfNeeded();
      await screen(page, 'field-amend-elder');
    } finally {
      await context.close();
    }

    // The console shows the same revision to the village's staff.
    const desk = await newContext(browser, 'desktop');
    const staff = await desk.newPage();
    try {
      await login(staff, 'demo-village');
      await staff.goto(`/elders/${recorded.elderId}?tab=visits&visit=${recorded.id}`);
      const visitCard = staff.locator(`#visit-${recorded.id}`);
      await expect
        .poll(() => visitCard.getByTestId('visit-amended').textContent(), { timeout: 15_000 })
        .toBe('已更正（第 2 版）');
      await visitCard.getByTestId('visit-history').click();
      const revision = staff.getByTestId('visit-revisions').getByTestId('visit-revision');
      await revision.waitFor();
      expect(await revision.textContent()).toContain(`更正原因：${REASON}`);
      const row = revision.locator('tbody tr').filter({ hasText: '燃气安全' });
      expect(await row.locator('td').allTextContents()).toEqual([
        '燃气安全',
        '安全',
        '→',
        '不安全',
      ]);
    } finally {
      await desk.close();
    }
  });

  it('says to correct when online and keeps the typed reason when the phone has no signal, and shows the server’s refusal on its field', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const sent = amendmentPosts(page);
      await page.getByTestId('recent-entry').click();
      const card = page.locator(`[data-visit-id="${recorded.id}"]`);
      await card.getByTestId('recent-visit-amend').click();
      await page.getByTestId('visit-form').waitFor();

      await page.getByTestId('item-mood').getByRole('radio', { name: '较差' }).click();
      const reasonText = '情绪状态应为较差，老人近来睡不好';
      await page.getByTestId('amend-reason').getByLabel('更正原因').fill(reasonText);

      await context.setOffline(true);
      await page.getByTestId('amend-offline').waitFor();
      expect(await page.getByTestId('amend-offline').innerText()).toContain('请在有网络时更正');
      await page.getByTestId('amend-submit').click();
      const error = page.getByTestId('amend-error');
      await expect.poll(() => error.innerText()).toContain('请在有网络时更正');
      expect(await page.getByTestId('amend-reason').getByLabel('更正原因').inputValue()).toBe(
        reasonText,
      );
      expect(await page.getByTestId('amend-changes').innerText()).toContain('情绪状态');
      expect(sent.count).toBe(0);
      // The page brings the message into view, above 提交更正.
      await screen(page, 'field-amend-offline');

      // Back online: a refusal naming a field is shown on that field, in the server's words.
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('amend-offline').count()).toBe(0);
      await page.route('**/api/visits/*/amendments', (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: {
              code: 'invalid_input',
              message: '探访时间早于该老年人登记入册的日期 2026-11-01，请核对探访日期',
              field: 'visitedAt',
            },
          }),
        }),
      );
      await page.getByTestId('amend-submit').click();
      await expect
        .poll(() => page.getByTestId('amend-visited-at').innerText())
        .toContain('早于该老年人登记入册的日期');
      await page.unroute('**/api/visits/*/amendments');

      // Then it goes through, with the reason typed before the signal went.
      await page.getByTestId('amend-submit').click();
      await page.waitForURL(/\/m\/recent$/);
      await expect
        .poll(() =>
          card
            .getByTestId('visit-amended')
            .innerText()
            .catch(() => ''),
        )
        .toBe('已更正（第 3 版）');
      const history = await getJson<{ items: { reason: string }[] }>(
        page,
        `/api/visits/${recorded.id}/revisions`,
      );
      expect(history.items.map((r) => r.reason)).toEqual([REASON, reasonText]);
    } finally {
      await context.close();
    }
  });
});
