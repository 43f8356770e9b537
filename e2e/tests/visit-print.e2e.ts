/**
 * Visit records in Chromium: village staff record visits through the API (a 丹东 visit with a
 * serious illness, a late paper entry, a 鞍山 visit with an emergency); the elder's page lists them
 * with their proof and findings, the 发现问题 page lists the region's findings 紧急情况 first, and
 * both printouts — one visit, and the elder's year — are saved as A4 PDFs whose text is the form's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ANSHAN_2020,
  DANDONG_2023,
  prefilledAnswers,
  uuidv7,
  type Answers,
  type VisitDto,
} from '@tanfang/domain';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DONGCHA = '210624101201';
const DAY = 86_400_000;

let browser: Browser;

async function withPage<T>(size: 'desktop' | 'phone', fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, size);
  const page = await context.newPage();
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** Text of a PDF as one line: NFKC (full-width brackets become ASCII), no whitespace. */
async function pdfText(pdf: Buffer): Promise<{ plain: string; pages: number }> {
  const doc = await getDocumentProxy(new Uint8Array(pdf));
  const { text, totalPages } = await extractText(doc, { mergePages: true });
  return { plain: flat(text), pages: totalPages };
}
/**
 * The PDF's ToUnicode maps a few glyphs Noto CJK shares with radicals to the radical's code point
 * (门 comes back as ⻔); NFKC does not fold those, so they are folded here.
 */
const RADICALS: Record<string, string> = {
  '⻔': '门',
  '⺠': '民',
  '⻓': '长',
  '⻅': '见',
  '⻚': '页',
};
const flat = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[⻔⺠⻓⻅⻚]/g, (c) => RADICALS[c] ?? c)
    .replace(/\s+/g, '');

/** Saves the print page at `url` as an A4 PDF (and a screenshot of the sheet), returns its text. */
async function printToPdf(page: Page, url: string, name: string) {
  await page.goto(url);
  await page.locator('[data-testid="visit-print"][data-ready="true"]').waitFor();
  await page.waitForLoadState('networkidle');
  await shot(page, `${name}-screen`);
  // As printed: A4 less 15 mm margins is 180 mm, 680 CSS pixels wide.
  await page.emulateMedia({ media: 'print' });
  await page.setViewportSize({ width: 680, height: 1009 });
  await shot(page, `${name}-print-media`);
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(ARTIFACTS, `${name}.pdf`), pdf);
  return pdfText(pdf);
}

/** What the API calls below need: the session's CSRF token and the request context. */
interface Session {
  request: APIRequestContext;
  headers: Record<string, string>;
}

async function post<T>(s: Session, url: string, data: unknown): Promise<T> {
  const res = await s.request.post(url, { data, headers: s.headers });
  const body: unknown = await res.json();
  if (!res.ok()) throw new Error(`${url} ${res.status()}: ${JSON.stringify(body)}`);
  return body as T;
}

/** A small PNG made by the browser itself (a photo or a signature to upload). */
async function uploadImage(
  page: Page,
  s: Session,
  elderId: string,
  kind: 'photo' | 'signature',
  text: string,
): Promise<string> {
  await page.setContent(
    `<div id="img" style="width:160px;height:90px;background:#cde;font:24px sans-serif;display:flex;align-items:center;justify-content:center">${text}</div>`,
  );
  const png = await page.locator('#img').screenshot({ type: 'png' });
  const id = uuidv7();
  const res = await s.request.put(`/api/attachments/${id}?elderId=${elderId}&kind=${kind}`, {
    data: png,
    headers: { ...s.headers, 'content-type': 'image/png' },
  });
  if (!res.ok()) throw new Error(`upload ${res.status()}: ${await res.text()}`);
  return id;
}

const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
/** 2026-10-20 09:30 China time: after the demo's registration (2026-10-15), so it is allowed. */
const PAPER_DATE = '2026-10-20T09:30:00+08:00';

const data = {
  dandongElder: { id: '', name: '' },
  anshanElder: { id: '', name: '' },
  illnessVisitId: '',
  paperVisitId: '',
  anshanVisitId: '',
};

beforeAll(async () => {
  browser = await launch();
  // Record the visits as 东岔村 staff would (entering a visitor's paper forms and phone records).
  await withPage('desktop', async (page) => {
    await login(page, 'demo-village');
    const me = (await (await page.request.get('/api/auth/me')).json()) as { csrfToken: string };
    const s: Session = { request: page.request, headers: { 'x-csrf-token': me.csrfToken } };
    const visitors = (await (
      await page.request.get('/api/visitors', { params: { q: '王桂兰' } })
    ).json()) as { items: { id: string; name: string }[] };
    const visitorId = visitors.items.find((v) => v.name === '王桂兰')!.id;
    const elders = (await (
      await page.request.get('/api/elders', { params: { region: DONGCHA, pageSize: 50 } })
    ).json()) as { items: { id: string; name: string }[] };
    expect(elders.items.length).toBeGreaterThan(2);
    Object.assign(data.dandongElder, elders.items[0]);
    Object.assign(data.anshanElder, elders.items[1]);

    const dandongElder = data.dandongElder.id;
    const photo = await uploadImage(page, s, dandongElder, 'photo', '入户照片');
    const signature = await uploadImage(page, s, dandongElder, 'signature', '王桂兰');
    const illness: Answers = {
      ...prefilledAnswers(DANDONG_2023),
      illness: { value: 'serious', text: '脑梗死' },
      service_needs: { text: '需要代购降压药' },
      care_suggestions: { text: '联系村医每周上门测量血压' },
      visitor_signature: { signature },
    };
    const visitedAt = now - 2 * DAY;
    const illnessVisit = await post<VisitDto>(s, '/api/visits', {
      id: uuidv7(),
      elderId: dandongElder,
      visitorId,
      visitedAt: iso(visitedAt),
      // The phone's clock runs 25 minutes fast: a proof flag.
      deviceTime: iso(now + 25 * 60_000),
      method: 'in_person',
      template: { key: DANDONG_2023.key, version: DANDONG_2023.version },
      answers: illness,
      location: { lat: 40.7301, lng: 124.7842, accuracy: 15, capturedAt: iso(visitedAt) },
      attachmentIds: [photo],
    });
    data.illnessVisitId = illnessVisit.id;
    expect(illnessVisit.findings.map((f) => f.title)).toContain('患严重疾病');

    // A phone call written on paper in October and entered now: 补录.
    const paper = await post<VisitDto>(s, '/api/visits', {
      id: uuidv7(),
      elderId: dandongElder,
      visitorId,
      visitedAt: PAPER_DATE,
      method: 'phone',
      template: { key: DANDONG_2023.key, version: DANDONG_2023.version },
      answers: prefilledAnswers(DANDONG_2023),
    });
    data.paperVisitId = paper.id;

    // 鞍山's form for another elder, fire safety poor and the 紧急情况 switch on.
    const anshan = await post<VisitDto>(s, '/api/visits', {
      id: uuidv7(),
      elderId: data.anshanElder.id,
      visitorId,
      visitedAt: iso(now - DAY),
      method: 'in_person',
      template: { key: ANSHAN_2020.key, version: ANSHAN_2020.version },
      answers: { ...prefilledAnswers(ANSHAN_2020), fire_safety: { value: 'poor' } },
      emergency: true,
      emergencyNote: '炉灶旁堆放柴草，老人摔倒无法起身',
    });
    data.anshanVisitId = anshan.id;
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('visit records', () => {
  it('lists an elder’s visits with their proof, findings and answers on the elder page', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/elders/${data.dandongElder.id}`);
      await page.getByRole('tab', { name: '探访记录' }).click();
      const list = page.getByTestId('visit-list');
      await expect
        .poll(() => list.locator('[data-testid="visit-card"]').count())
        .toBeGreaterThan(1);
      const card = page.locator(`#visit-${data.illnessVisitId}`);
      const text = await card.innerText();
      expect(text).toContain('上门探访');
      expect(text).toContain('王桂兰');
      expect(text).toContain('严重 · 患严重疾病');
      expect(text).toContain('已定位 ±15 米');
      expect(text).toContain('设备时间与服务器接收时间相差 25 分钟');
      await expect.poll(() => card.locator('img[alt="探访照片 1"]').count()).toBe(1);

      const paper = await page.locator(`#visit-${data.paperVisitId}`).innerText();
      expect(paper).toContain('补录');
      expect(paper).toContain('电话问候');
      expect(paper).toContain('未定位');
      expect(paper).toMatch(/探访 \d+ 天后补录/);

      await card.getByTestId('visit-toggle').click();
      const answers = await card.getByTestId('visit-answers').innerText();
      expect(answers).toContain('严重疾病（脑梗死）');
      expect(answers).toContain('需要代购降压药');
      await shot(page, 'visits-elder-desktop');

      await page.getByRole('tab', { name: '发现问题' }).click();
      const findings = page.getByTestId('elder-visit-findings');
      await expect.poll(() => findings.innerText()).toContain('患严重疾病');
      expect(await findings.innerText()).toContain('疾病状况：严重疾病（脑梗死）');
      expect(await findings.innerText()).toContain('提出服务需求');
      await shot(page, 'visits-elder-findings-desktop');
    });
  });

  it('shows the elder’s visits on a phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/elders/${data.dandongElder.id}?tab=visits&visit=${data.illnessVisitId}`);
      const card = page.locator(`#visit-${data.illnessVisitId}`);
      await expect.poll(() => card.getByTestId('visit-answers').count()).toBe(1);
      expect(await card.innerText()).toContain('探访凭证');
      await shot(page, 'visits-elder-phone');
    });
  });

  it('lists the village’s findings with the emergency first and in red', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      await page.getByRole('menuitem', { name: /发现问题/ }).click();
      await page.waitForURL(/\/findings/);
      const list = page.getByTestId('finding-list');
      await expect.poll(() => list.innerText()).toContain('患严重疾病');
      const rows = list.locator('.ant-table-row');
      const first = await rows.first().innerText();
      expect(first).toContain('紧急情况');
      expect(first).toContain(data.anshanElder.name);
      const illness = await rows.filter({ hasText: '患严重疾病' }).first().innerText();
      expect(illness).toContain(data.dandongElder.name);
      expect(illness).toContain('东岔村');
      expect(illness).toContain('严重');
      await shot(page, 'findings-desktop');

      await page.getByTestId('finding-severity-filter').click();
      await page.locator('.ant-select-item-option', { hasText: '严重' }).first().click();
      await expect.poll(() => list.innerText()).not.toContain('紧急情况');
      expect(await list.innerText()).toContain('患严重疾病');
    });
  });

  it('shows the township its findings on a phone', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/findings');
      const list = page.getByTestId('finding-list');
      await expect.poll(() => list.innerText()).toContain('患严重疾病');
      const first = await list.getByTestId('finding-item').first().innerText();
      expect(first).toContain('紧急情况');
      await shot(page, 'findings-phone');
    });
  });

  it('prints a 丹东 visit and the elder’s year as the 探访关爱服务记录表', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const one = await printToPdf(
        page,
        `/visits/${data.illnessVisitId}/print`,
        'visit-print-dandong',
      );
      expect(one.pages).toBe(1);
      expect(one.plain).toContain(flat('特殊困难老年人探访关爱服务记录表'));
      expect(one.plain).toContain(flat('五、探访情况'));
      expect(one.plain).toContain(data.dandongElder.name);
      expect(one.plain).toContain('☑上门探访');
      expect(one.plain).toContain(flat('☑严重疾病（脑梗死）'));
      expect(one.plain).toContain('☑无变化');
      expect(one.plain).toContain('☑安全');
      expect(one.plain).toContain('需要代购降压药');
      expect(one.plain).toContain(flat('备注：此表一式两份'));
      expect(one.plain).toMatch(/第\d+次开展探访/);

      const year = new Date(now + 8 * 3_600_000).getUTCFullYear();
      const all = await printToPdf(
        page,
        `/elders/${data.dandongElder.id}/visits/print?year=${year}`,
        'visit-print-dandong-year',
      );
      expect(all.plain).toContain(flat('特殊困难老年人探访关爱服务记录表'));
      expect(all.plain).toContain('第1次开展探访');
      expect(all.plain).toContain('第2次开展探访');
      expect(all.plain).toContain('☑电话问候');
      expect(all.plain).toContain(flat('☑严重疾病（脑梗死）'));
    });
  });

  it('prints a 鞍山 visit on the four-quarter 巡访情况表', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-village');
      const one = await printToPdf(
        page,
        `/visits/${data.anshanVisitId}/print`,
        'visit-print-anshan',
      );
      expect(one.pages).toBe(1);
      expect(one.plain).toContain(flat('鞍山市乡镇（街道）村（居）定期巡访情况表'));
      expect(one.plain).toContain(data.anshanElder.name);
      for (const q of ['第一季度', '第二季度', '第三季度', '第四季度'])
        expect(one.plain).toContain(q);
      expect(one.plain).toContain('☑实地');
      expect(one.plain).toContain('用火安全☐正常☐一般☑较差');
      expect(one.plain).toContain('表达能力☑正常');
      expect(one.plain).toContain('被巡访人');
      expect(one.plain).toContain('210624********');

      const year = new Date(now + 8 * 3_600_000).getUTCFullYear();
      const all = await printToPdf(
        page,
        `/elders/${data.anshanElder.id}/visits/print?year=${year}`,
        'visit-print-anshan-year',
      );
      expect(all.plain).toContain(flat('鞍山市乡镇（街道）村（居）定期巡访情况表'));
      expect(all.plain).toContain('第四季度');
      expect(all.plain).toContain('用火安全☐正常☐一般☑较差');
    });
  });
});
