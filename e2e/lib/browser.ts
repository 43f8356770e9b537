import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** Desktop and phone viewports (the phone is a 390×844 handset). */
export const VIEWPORTS = {
  desktop: { width: 1366, height: 860 },
  phone: { width: 390, height: 844 },
} as const;

/** Starts Debian's Chromium headless, without touching the network. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

let baseUrl: string | undefined;

/** The server this test file talks to (set by setup/per-file.ts). */
export function setBaseUrl(url: string): void {
  baseUrl = url;
}

/** A fresh browser context at the given size, with the Chinese locale. */
export function newContext(
  browser: Browser,
  size: keyof typeof VIEWPORTS,
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: baseUrl,
    viewport: VIEWPORTS[size],
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
}

/** Signs in through the login page, and waits until the app has left it. */
export async function login(
  page: Page,
  username: string,
  password = inject('demoPassword'),
): Promise<void> {
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Keeps a screenshot as a test artifact. */
export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  // Let antd's entrance transitions (the sider's width, modals' zoom) finish.
  await page.waitForTimeout(400);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
