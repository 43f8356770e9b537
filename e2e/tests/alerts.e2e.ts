/**
 * The alert queue (提醒) and outbound channels (通知渠道) in Chromium: village staff watch the bell
 * in the console header while the township reports an emergency in 东岔村 through the API in
 * another browser context — the count rises live (Server-Sent Events, well before the minute's
 * poll), and 提醒 lists the new emergency first. The township head sees the township's
 * emergencies on the phone's 提醒. The county sends a test message through a webhook to a local
 * receiver (已送达) and through one whose receiver is down (重试中, with the error).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { AlertQueueDto, ElderSummaryDto, Page as ApiPage } from '@tanfang/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const DONGCHA = '210624101201';
const TITLE = '家属来电：老人昏倒在院中';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(size: 'desktop' | 'phone', username: string) {
  const context: BrowserContext = await newContext(browser, size);
  const page: Page = await context.newPage();
  await login(page, username);
  return { context, page };
}

async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok(), url).toBe(true);
  return (await response.json()) as T;
}

/** A JSON write through the page's session (cookie and CSRF token), as the app makes them. */
async function send(page: Page, method: 'POST' | 'PATCH', url: string, body?: unknown) {
  const me = await getJson<{ csrfToken: string }>(page, '/api/auth/me');
  const response = await page.request.fetch(url, {
    method,
    headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
    data: body === undefined ? '{}' : JSON.stringify(body),
  });
  expect(response.ok(), `${url}: ${await response.text()}`).toBe(true);
  return response.json() as Promise<Record<string, unknown>>;
}

const bellCount = async (page: Page) =>
  Number(await page.getByTestId('alert-count').getAttribute('data-count'));

describe('提醒 (the alert queue)', () => {
  it('raises the bell’s count live when an emergency is reported elsewhere, and lists it first', async () => {
    const watcher = await signedIn('desktop', 'demo-village');
    const reporter = await signedIn('desktop', 'demo-township');
    try {
      const { page } = watcher;
      await page.getByTestId('alert-bell').waitFor();
      await expect
        .poll(() => page.getByTestId('alert-count').getAttribute('data-count'))
        .not.toBeNull();
      // The stream is connected once the queue has been read.
      const before = (await getJson<AlertQueueDto>(page, '/api/alerts/queue')).total;
      await expect.poll(() => bellCount(page)).toBe(before);
      const open = (
        await getJson<{ counts: { open: number } }>(page, '/api/emergencies?state=open&pageSize=1')
      ).counts.open;

      const { items } = await getJson<ApiPage<ElderSummaryDto>>(
        reporter.page,
        `/api/elders?region=${DONGCHA}&status=active&pageSize=5`,
      );
      const elder = items[1]!;
      await send(reporter.page, 'POST', '/api/emergencies', {
        id: randomUUID(),
        elderId: elder.id,
        title: TITLE,
        description: '女儿来电：老人午饭后昏倒在院中，邻居已扶进屋，已拨打 120',
      });
      // Live: the queue's poll is once a minute, the stream tells within a second.
      await expect.poll(() => bellCount(page), { timeout: 15_000, interval: 250 }).toBe(before + 1);
      // …and the emergency banner above the page follows the same stream (its own poll is every
      // 30 s).
      await expect
        .poll(() => page.getByTestId('emergency-banner').innerText(), {
          timeout: 10_000,
          interval: 250,
        })
        .toContain(`辖区有 ${open + 1} 条紧急情况待响应`);
      await shot(page, 'alerts-bell-desktop');

      await page.getByTestId('alert-bell').click();
      await page.waitForURL(/\/alerts$/);
      const first = page.getByTestId('alert-item').first();
      await expect.poll(() => first.innerText()).toContain(TITLE);
      const text = await first.innerText();
      expect(text).toContain('紧急情况');
      expect(text).toContain(elder.name);
      expect(text).toContain('未响应');
      expect(text).toMatch(/还剩 \d+ 分钟/);
      expect(await page.getByTestId('alert-queue').innerText()).toContain('实时更新');
      await shot(page, 'alerts-queue-desktop');

      await first.getByRole('button', { name: /处\s*理/ }).click();
      await page.waitForURL(/\/findings/);
      await expect.poll(() => page.getByTestId('finding-detail').innerText()).toContain(TITLE);
    } finally {
      await watcher.context.close();
      await reporter.context.close();
    }
  });

  it('shows the township head every open emergency of 灌水镇 on the phone', async () => {
    const { context, page } = await signedIn('phone', 'demo-township');
    try {
      await page.goto('/m');
      await page.getByTestId('alert-bell').click();
      await page.waitForURL(/\/m\/alerts$/);
      const list = page.getByTestId('field-alerts');
      await expect.poll(() => list.innerText()).toContain(TITLE);
      const emergencies = page.getByTestId('field-alert-item').filter({ hasText: /紧急情况/ });
      const texts = await emergencies.allInnerTexts();
      // The one reported above in 东岔村, and the demo's in another village, each with its state.
      expect(texts.some((t) => t.includes(TITLE) && t.includes('未响应'))).toBe(true);
      expect(texts.some((t) => t.includes('老人在家中摔倒'))).toBe(true);
      await page.waitForTimeout(400);
      await page.screenshot({
        path: fileURLToPath(new URL('../artifacts/alerts-phone-screen.png', import.meta.url)),
      });
      await shot(page, 'alerts-phone');
      await emergencies.filter({ hasText: TITLE }).click();
      await page.waitForURL(/\/m\/emergencies\//);
    } finally {
      await context.close();
    }
  });
});

describe('通知渠道 (outbound channels)', () => {
  let receiver: http.Server;
  let received: { key: string; signature: string; body: string }[] = [];
  let url = '';
  /** A port nothing listens on (a receiver that is down). */
  let downUrl = '';

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          key: String(req.headers['idempotency-key']),
          signature: String(req.headers['x-tanfang-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(200).end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', () => r()));
    downUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/hook`;
    await new Promise<void>((r) => gone.close(() => r()));
    received = [];
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
  });

  it('delivers a test message through a webhook, and shows a receiver that is down as 重试中', async () => {
    const { context, page } = await signedIn('desktop', 'demo-county');
    try {
      await send(page, 'POST', '/api/notification-channels', {
        regionCode: '210624',
        kind: 'webhook',
        name: '宽甸县应急值班平台',
        config: { url, secret: 'kuandian-duty-secret-2026' },
      });
      await send(page, 'POST', '/api/notification-channels', {
        regionCode: '210624101',
        kind: 'webhook',
        name: '灌水镇旧平台（已下线）',
        config: { url: downUrl, secret: 'old-platform-secret-2026' },
        alertKinds: ['emergency'],
      });
      await page.getByRole('menuitem', { name: /通知渠道/ }).click();
      await page.waitForURL(/\/notification-channels$/);
      const table = page.getByTestId('channel-table');
      await expect.poll(() => table.innerText()).toContain('宽甸县应急值班平台');
      expect(await table.innerText()).not.toContain('kuandian-duty-secret-2026');

      for (const name of ['宽甸县应急值班平台', '灌水镇旧平台（已下线）']) {
        await table
          .locator('tr')
          .filter({ hasText: name })
          .getByRole('button', { name: /发送测试/ })
          .click();
      }
      const sent = page.getByTestId('outbound-table');
      await expect
        .poll(
          async () =>
            (await sent
              .getByTestId('delivery-state')
              .evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))) as string[],
          { timeout: 30_000 },
        )
        .toEqual(expect.arrayContaining(['delivered', 'retrying']));
      expect(received.length).toBeGreaterThanOrEqual(1);
      expect(received[0]!.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ kind: 'test', title: '测试消息' });
      const row = table.locator('tr').filter({ hasText: '灌水镇旧平台' });
      await expect.poll(() => row.innerText()).toContain('无法连接接收方：ECONNREFUSED');
      await shot(page, 'alerts-channels-desktop');
    } finally {
      await context.close();
    }
  });
});
