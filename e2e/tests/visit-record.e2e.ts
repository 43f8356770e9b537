/**
 * Recording a visit on the phone: a visitor opens an elder from the worklist, records a no-change
 * visit in a few taps and the elder leaves the worklist; a visit made without signal waits in the
 * outbox (待上传 1 条) and is sent once when the signal returns; a visit refused by a failing
 * server survives a reload and is sent exactly once on 立即重试, with its photo and signature.
 */
import type { VisitDto, VisitorWorklistDto, WorklistItemDto } from '@tanfang/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

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

/** The elders of the worklist, each with all of their open tasks. */
function eldersOf(list: VisitorWorklistDto): WorklistItemDto[][] {
  const by = new Map<string, WorklistItemDto[]>();
  for (const item of list.items) by.set(item.elder.id, [...(by.get(item.elder.id) ?? []), item]);
  return [...by.values()];
}

/** Opens an elder from the home list, then the visit form (开始探访). */
async function openVisitForm(page: Page, name: string): Promise<void> {
  await page.getByTestId('worklist-card').filter({ hasText: name }).first().click();
  await page.getByTestId('start-visit').click();
  await page.getByTestId('visit-form').waitFor();
}

/** 上门探访, then 已检查，无问题 on every campaign check. */
async function answerInPersonNoChange(page: Page): Promise<number> {
  await page
    .getByTestId('visit-method')
    .getByRole('radio', { name: /上门探访/ })
    .click();
  const checks = page
    .getByTestId('section-checklist')
    .getByRole('radio', { name: /已检查，无问题/ });
  const n = await checks.count();
  for (let i = 0; i < n; i++) await checks.nth(i).click();
  return n + 1;
}

async function elderVisits(page: Page, elderId: string): Promise<VisitDto[]> {
  return (await getJson<{ items: VisitDto[] }>(page, `/api/elders/${elderId}/visits`)).items;
}

describe('recording a visit on the phone', () => {
  it('records an unchanged elder in a few taps, and the elder leaves the worklist', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const tasks = eldersOf(list)[0]!;
      const elder = tasks[0]!.elder;
      const posted = postedVisitIds(page);

      await openVisitForm(page, elder.name);
      await expect
        .poll(() => page.getByTestId('visit-position').innerText())
        .toMatch(/已定位（±18 米）/);
      // Prefilled for no change: every 丹东 item already reads 无变化 / 安全.
      expect(
        await page
          .getByTestId('section-health')
          .getByRole('radio', { checked: true })
          .allInnerTexts(),
      ).toEqual(['无变化', '无变化', '无变化']);
      expect(await page.getByTestId('visit-summary').innerText()).toContain('各项均为无变化');
      await shot(page, 'visit-form-phone');
      await screen(page, 'visit-form-screen');

      // Submitting without a method says so on the method.
      await page.getByTestId('visit-submit').click();
      await expect
        .poll(() => page.getByTestId('visit-method').innerText())
        .toContain('请选择探访方式');
      await shot(page, 'visit-form-errors-phone');

      const taps = await answerInPersonNoChange(page);
      expect(taps).toBeLessThanOrEqual(
        1 + tasks.flatMap((t) => t.obligation.campaign?.checklist ?? []).length,
      );
      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);

      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');
      await expect
        .poll(() => page.getByTestId('worklist-card').filter({ hasText: elder.name }).count(), {
          timeout: 20_000,
        })
        .toBe(0);
      await screen(page, 'visit-outbox-sent-screen');

      const after = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      expect(after.items.some((i) => i.elder.id === elder.id)).toBe(false);
      expect(posted).toHaveLength(1);
      const visits = await elderVisits(page, elder.id);
      const mine = visits.filter((v) => v.id === posted[0]);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.method).toBe('in_person');
      expect(mine[0]!.answers.illness).toEqual({ value: 'unchanged' });
      expect(mine[0]!.location?.accuracy).toBe(18);
      expect(mine[0]!.findings).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows the last visit’s answers as 上次 hints when the elder is visited again', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      // An elder with a regular and a campaign task: 其他 counts only for the regular one.
      const tasks = eldersOf(list).find(
        (t) =>
          t.some((i) => i.obligation.campaign) &&
          t.some((i) => !i.obligation.campaign && i.obligation.countedMethods.includes('other')) &&
          !t.find((i) => i.obligation.campaign)!.obligation.countedMethods.includes('other'),
      )!;
      const elder = tasks[0]!.elder;

      await openVisitForm(page, elder.name);
      await answerInPersonNoChange(page);
      await page.getByTestId('visit-method').getByRole('radio', { name: /其他/ }).click();
      expect(await page.getByTestId('visit-method').innerText()).toContain('不计入专项探访');
      const household = page.getByTestId('item-household_size');
      await household.getByRole('radio', { name: /增加/ }).click();
      await household.getByLabel('增加人数').fill('2');
      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');

      // Still on the worklist for the campaign: the form shows what was found last time.
      await expect
        .poll(() => page.getByTestId('worklist-card').filter({ hasText: elder.name }).count(), {
          timeout: 20_000,
        })
        .toBeGreaterThan(0);
      await openVisitForm(page, elder.name);
      await expect.poll(() => household.innerText()).toContain('上次：增加 2 人');
      expect(await page.getByTestId('item-illness').innerText()).toContain('上次：无变化');
      await household.scrollIntoViewIfNeeded();
      await screen(page, 'visit-form-previous-screen');
    } finally {
      await context.close();
    }
  });

  it('keeps a visit made without signal in the outbox and sends it once when the signal returns', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[0]![0]!.elder;
      const posted = postedVisitIds(page);

      await openVisitForm(page, elder.name);
      await answerInPersonNoChange(page);
      await context.setOffline(true);
      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);
      await expect.poll(() => page.getByTestId('outbox-status').innerText()).toBe('待上传 1 条');
      expect(await page.getByTestId('outbox-bar').innerText()).toContain('手机没有网络');
      await shot(page, 'visit-outbox-waiting-phone');
      await screen(page, 'visit-outbox-waiting-screen');
      expect(posted).toHaveLength(0);

      await context.setOffline(false);
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');
      expect(new Set(posted).size).toBe(1);
      const visits = await elderVisits(page, elder.id);
      expect(visits.filter((v) => v.id === posted[0])).toHaveLength(1);
    } finally {
      await context.close();
    }
  });

  it('keeps a visit the server failed to take across a reload, and sends it with its photo and signature exactly once', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[0]![0]!.elder;
      const posted = postedVisitIds(page);
      await page.route('**/api/visits', (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 503,
              contentType: 'application/json',
              body: JSON.stringify({
                error: { code: 'unavailable', message: '服务器暂时无法处理' },
              }),
            })
          : route.continue(),
      );

      await openVisitForm(page, elder.name);
      await answerInPersonNoChange(page);
      // 严重疾病 asks for the disease's name, on the item.
      const illness = page.getByTestId('item-illness');
      await illness.getByRole('radio', { name: /严重疾病/ }).click();
      await page.getByTestId('visit-submit').click();
      await expect.poll(() => illness.innerText()).toContain('请填写疾病名称');
      await illness.getByLabel('疾病名称').fill('脑梗');
      await expect.poll(() => illness.innerText()).not.toContain('请填写疾病名称');

      // A 2400×1800 photo is compressed on the phone.
      const jpeg = await page.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 2400;
        c.height = 1800;
        const ctx = c.getContext('2d')!;
        const g = ctx.createLinearGradient(0, 0, 2400, 1800);
        g.addColorStop(0, '#8fbf6a');
        g.addColorStop(1, '#3a6ea5');
        ctx.fillStyle = g;
        ctx.fillRect(0, 0, 2400, 1800);
        return c.toDataURL('image/jpeg', 0.95).split(',')[1]!;
      });
      await page.getByTestId('photo-input').setInputFiles({
        name: 'room.jpg',
        mimeType: 'image/jpeg',
        buffer: Buffer.from(jpeg, 'base64'),
      });
      await expect.poll(() => page.getByTestId('visit-photo').count()).toBe(1);
      expect(await page.getByTestId('visit-photo').innerText()).toMatch(/\d+ KB/);

      // The elder signs with a finger.
      const sign = page.getByTestId('item-elder_signature');
      await sign.getByRole('button', { name: /签字/ }).click();
      const box = (await sign.locator('canvas').boundingBox())!;
      await page.mouse.move(box.x + 40, box.y + 120);
      await page.mouse.down();
      await page.mouse.move(box.x + 120, box.y + 60, { steps: 8 });
      await page.mouse.move(box.x + 220, box.y + 140, { steps: 8 });
      await page.mouse.up();
      await sign.getByTestId('signature-done').click();
      await expect.poll(() => sign.locator('img').count()).toBe(1);
      await shot(page, 'visit-form-filled-phone');
      await illness.scrollIntoViewIfNeeded();
      await screen(page, 'visit-form-filled-illness-screen');
      await page.getByTestId('visit-photos').scrollIntoViewIfNeeded();
      await screen(page, 'visit-form-filled-photo-screen');

      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('待上传 1 条');
      expect(await page.getByTestId('outbox-bar').innerText()).toContain('服务器暂时无法处理');

      await page.reload();
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('待上传 1 条');
      await screen(page, 'visit-outbox-after-reload-screen');

      await page.unroute('**/api/visits');
      await page.getByTestId('outbox-retry').click();
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');
      expect(posted.length).toBeGreaterThanOrEqual(2);
      expect(new Set(posted).size).toBe(1);
      const mine = (await elderVisits(page, elder.id)).filter((v) => v.id === posted[0]);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.answers.illness).toEqual({ value: 'serious', text: '脑梗' });
      expect(mine[0]!.attachments.map((a) => a.kind).sort()).toEqual(['photo', 'signature']);
      expect(mine[0]!.findings.map((f) => f.title)).toContain('患严重疾病');
    } finally {
      await context.close();
    }
  });
});
