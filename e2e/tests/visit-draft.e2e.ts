/**
 * Nothing entered on the phone is lost: a half-filled visit survives a reload as a draft (草稿) —
 * answers, method, photo, start time — and is sent once when submitted, or given up with 放弃草稿;
 * a city's uploaded form version is kept on the phone when the worklist loads, so a visit on it is
 * recorded without signal; and a visit queued by the earlier version of the app's database is
 * still sent after the database is upgraded.
 */
import {
  DANDONG_2023,
  prefilledAnswers,
  uuidv7,
  type Answers,
  type FormTemplate,
  type VisitDto,
  type VisitorWorklistDto,
  type WorklistItemDto,
} from '@tanfang/domain';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

/** A screenshot of what the phone's screen shows. */
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

async function elderVisits(page: Page, elderId: string): Promise<VisitDto[]> {
  return (await getJson<{ items: VisitDto[] }>(page, `/api/elders/${elderId}/visits`)).items;
}

/** Opens an elder from the home list, then the visit form (开始探访). */
async function openVisitForm(page: Page, name: string): Promise<void> {
  await page.getByTestId('worklist-card').filter({ hasText: name }).first().click();
  await page.getByTestId('start-visit').click();
  await page.getByTestId('visit-form').waitFor();
}

/** 上门探访, then 已检查，无问题 on every campaign check. */
async function answerInPersonNoChange(page: Page): Promise<void> {
  await page
    .getByTestId('visit-method')
    .getByRole('radio', { name: /上门探访/ })
    .click();
  const checks = page
    .getByTestId('section-checklist')
    .getByRole('radio', { name: /已检查，无问题/ });
  const n = await checks.count();
  for (let i = 0; i < n; i++) await checks.nth(i).click();
}

/** Feeds the photo input a 2400×1800 JPEG made by the browser (the form compresses it). */
async function takePhoto(page: Page): Promise<void> {
  const jpeg = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 2400;
    c.height = 1800;
    const ctx = c.getContext('2d')!;
    const g = ctx.createLinearGradient(0, 0, 2400, 1800);
    g.addColorStop(0, '#e0b26a');
    g.addColorStop(1, '#5a7ea5');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, 2400, 1800);
    return c.toDataURL('image/jpeg', 0.95).split(',')[1]!;
  });
  await page.getByTestId('photo-input').setInputFiles({
    name: 'kitchen.jpg',
    mimeType: 'image/jpeg',
    buffer: Buffer.from(jpeg, 'base64'),
  });
  await expect.poll(() => page.getByTestId('visit-photo').count()).toBe(1);
}

/** Waits until the form says its last change is saved on the phone. */
async function draftSaved(page: Page): Promise<void> {
  await expect
    .poll(() => page.getByTestId('draft-status').innerText(), { timeout: 10_000 })
    .toMatch(/^已自动保存草稿/);
}

const checkedIn = (page: Page, testId: string) =>
  page.getByTestId(testId).getByRole('radio', { checked: true }).innerText();

describe('a visit half filled in on the phone', () => {
  it('survives a reload as a draft with its answers, photo, signature and emergency, and is recorded once when submitted', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[0]![0]!.elder;
      const before = await elderVisits(page, elder.id);
      const posted = postedVisitIds(page);

      await openVisitForm(page, elder.name);
      // Nothing entered yet: no draft.
      expect(await page.getByTestId('draft-status').count()).toBe(0);
      await answerInPersonNoChange(page);
      await page.getByTestId('item-mood').getByRole('radio', { name: '较差' }).click();
      await page.getByLabel('老年人服务需求').fill('需要送米送油');
      await takePhoto(page);
      // The elder signs; the visitor raises an emergency with a note.
      const sign = page.getByTestId('item-elder_signature');
      await sign.getByRole('button', { name: /签字/ }).click();
      const box = (await sign.locator('canvas').boundingBox())!;
      await page.mouse.move(box.x + 40, box.y + 120);
      await page.mouse.down();
      await page.mouse.move(box.x + 160, box.y + 60, { steps: 8 });
      await page.mouse.up();
      await sign.getByTestId('signature-done').click();
      await expect.poll(() => sign.locator('img').count()).toBe(1);
      await page.getByRole('switch', { name: '紧急情况' }).click();
      await page.getByLabel('紧急情况说明').fill('老人发烧，已联系村医');
      await draftSaved(page);

      // The phone reloads the page (or kills the tab) in the middle of the visit.
      const reloadedAt = new Date().toISOString();
      await page.reload();
      const notice = page.getByTestId('draft-restored');
      await notice.waitFor();
      expect(await notice.innerText()).toMatch(/已恢复未提交的草稿（保存于 \d\d:\d\d）/);
      expect(await checkedIn(page, 'visit-method')).toContain('上门探访');
      expect(await checkedIn(page, 'item-mood')).toContain('较差');
      expect(await page.getByLabel('老年人服务需求').inputValue()).toBe('需要送米送油');
      expect(await page.getByTestId('visit-photo').count()).toBe(1);
      expect(await sign.locator('img').count()).toBe(1);
      expect(
        await page.getByRole('switch', { name: '紧急情况' }).getAttribute('aria-checked'),
      ).toBe('true');
      expect(await page.getByLabel('紧急情况说明').inputValue()).toBe('老人发烧，已联系村医');
      expect(await page.getByTestId('visit-position').innerText()).toContain('±18 米');
      await screen(page, 'visit-draft-restored-screen');
      await page.getByTestId('visit-photos').scrollIntoViewIfNeeded();
      await screen(page, 'visit-draft-restored-photo-screen');

      // Back on the list, the elder's card says 草稿; the elder's page says 开始探访 continues it.
      await page.getByTestId('visit-back').click();
      await page.getByTestId('elder-back').click();
      await page.waitForURL(/\/m$/);
      const card = page.getByTestId('worklist-card').filter({ hasText: elder.name }).first();
      await expect.poll(() => card.getByTestId('draft-tag').count()).toBe(1);
      await card.scrollIntoViewIfNeeded();
      await screen(page, 'visit-draft-worklist-screen');
      await card.click();
      await page.getByTestId('field-elder').waitFor();
      expect(await page.getByTestId('field-elder').getByTestId('draft-tag').count()).toBe(1);
      expect(await page.getByTestId('visit-draft-notice').innerText()).toContain(
        '有一份未提交的草稿',
      );
      await page.getByTestId('start-visit').click();
      await page.getByTestId('draft-restored').waitFor();
      expect(await checkedIn(page, 'item-mood')).toContain('较差');

      await page.getByTestId('visit-submit').click();
      await page.waitForURL(/\/m$/);
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');
      expect(posted).toHaveLength(1);
      const after = await elderVisits(page, elder.id);
      expect(after).toHaveLength(before.length + 1);
      const mine = after.filter((v) => v.id === posted[0]);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.answers.mood).toEqual({ value: 'worse' });
      expect(mine[0]!.answers.service_needs).toEqual({ text: '需要送米送油' });
      expect(mine[0]!.attachments.map((a) => a.kind).sort()).toEqual(['photo', 'signature']);
      expect(mine[0]!.emergency).toBe(true);
      expect(mine[0]!.emergencyNote).toBe('老人发烧，已联系村医');
      expect(mine[0]!.location?.accuracy).toBe(18);
      // The visit keeps the time it began, not the time of the reload.
      expect(Date.parse(mine[0]!.visitedAt)).toBeLessThan(Date.parse(reloadedAt));

      // The draft went with the visit: the form does not bring it back.
      await page.goto(`/m/elders/${elder.id}/visit`);
      await page.getByTestId('visit-problem').or(page.getByTestId('visit-form')).first().waitFor();
      expect(await page.getByTestId('draft-restored').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('starts afresh when the visitor gives up the draft (放弃草稿)', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[1]![0]!.elder;

      await openVisitForm(page, elder.name);
      await page.getByTestId('item-mood').getByRole('radio', { name: '较差' }).click();
      await draftSaved(page);
      await page.reload();
      await page.getByTestId('draft-restored').waitFor();

      await page.getByTestId('draft-discard').click();
      await page.getByRole('button', { name: '放弃草稿' }).last().click();
      await expect.poll(() => page.getByTestId('draft-restored').count()).toBe(0);
      expect(await checkedIn(page, 'item-mood')).toContain('无变化');
      expect(await page.getByTestId('draft-status').count()).toBe(0);

      await page.getByTestId('visit-back').click();
      await page.getByTestId('elder-back').click();
      await page.waitForURL(/\/m$/);
      const card = page.getByTestId('worklist-card').filter({ hasText: elder.name }).first();
      await card.waitFor();
      expect(await card.getByTestId('draft-tag').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});

/** The 丹东 form as the city uploads it as version 2, with one more item (邻里互助情况). */
function dandongV2(): FormTemplate {
  const v2 = structuredClone(DANDONG_2023) as FormTemplate;
  v2.version = 2;
  v2.sections
    .find((s) => s.key === 'needs')!
    .items.push({
      kind: 'text',
      key: 'neighbour_help',
      label: '邻里互助情况',
      maxLength: 200,
      required: false,
    });
  return v2;
}

/** The template versions the field app keeps on this phone (`key@version`). */
function keptTemplates(page: Page): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const req = indexedDB.open('tanfang-field');
        // Not made yet by the app: leave it to the app to make.
        req.onupgradeneeded = () => req.transaction!.abort();
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('templates')) {
            db.close();
            resolve([]);
            return;
          }
          const all = db.transaction('templates').objectStore('templates').getAll();
          all.onsuccess = () => {
            db.close();
            resolve(
              (all.result as { key: string; version: number }[]).map(
                (t) => `${t.key}@${t.version}`,
              ),
            );
          };
        };
        req.onerror = () => resolve([]);
      }),
  );
}

describe('a form version the city uploaded, without signal', () => {
  beforeAll(async () => {
    const context = await newContext(browser, 'desktop');
    try {
      const page = await context.newPage();
      await login(page, 'demo-city');
      const me = await getJson<{ csrfToken: string }>(page, '/api/auth/me');
      const res = await page.request.post('/api/templates', {
        data: dandongV2(),
        headers: { 'x-csrf-token': me.csrfToken },
      });
      expect(res.status(), await res.text()).toBe(201);
    } finally {
      await context.close();
    }
  });

  /** Records a visit offline on the uploaded form, then brings the signal back. */
  async function recordOffline(
    context: BrowserContext,
    page: Page,
    elder: { id: string; name: string },
    note: string,
  ): Promise<VisitDto> {
    const posted = postedVisitIds(page);
    await context.setOffline(true);
    await openVisitForm(page, elder.name);
    // The uploaded version's own item is there, offline.
    const item = page.getByTestId('item-neighbour_help');
    await item.waitFor();
    await answerInPersonNoChange(page);
    await page.getByLabel('邻里互助情况').fill(note);
    await page.getByTestId('visit-submit').click();
    await page.waitForURL(/\/m$/);
    await expect.poll(() => page.getByTestId('outbox-status').innerText()).toBe('待上传 1 条');
    expect(posted).toHaveLength(0);

    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
      .toBe('全部已上传');
    expect(new Set(posted).size).toBe(1);
    const mine = (await elderVisits(page, elder.id)).filter((v) => v.id === posted[0]);
    expect(mine).toHaveLength(1);
    return mine[0]!;
  }

  it('keeps the uploaded version when the worklist loads, and records a visit on it offline', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      await expect.poll(() => keptTemplates(page)).toContain('dandong-2023@2');
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[0]![0]!.elder;

      const visit = await recordOffline(context, page, elder, '邻居每天帮忙挑水');
      expect(visit.template).toMatchObject({ key: 'dandong-2023', version: 2 });
      expect(visit.answers.neighbour_help).toEqual({ text: '邻居每天帮忙挑水' });
    } finally {
      await context.close();
    }
  });

  it('opens the kept copy after a reload even when the list of forms cannot be fetched', async () => {
    const { context, page } = await phone();
    try {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      await expect.poll(() => keptTemplates(page)).toContain('dandong-2023@2');
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const elder = eldersOf(list)[0]![0]!.elder;

      // A weak signal: the page reloads, but no form definition gets through any more.
      await page.route('**/api/templates**', (route) => route.abort('internetdisconnected'));
      await page.reload();
      await page.getByTestId('worklist-card').first().waitFor();
      const visit = await recordOffline(context, page, elder, '邻居帮忙买菜');
      expect(visit.template).toMatchObject({ key: 'dandong-2023', version: 2 });
      expect(visit.answers.neighbour_help).toEqual({ text: '邻居帮忙买菜' });
    } finally {
      await context.close();
    }
  });
});

describe('the phone’s database after an update of the app', () => {
  it('still sends a visit queued by the earlier version of the database', async () => {
    const { context, page } = await phone();
    try {
      await page.goto('/login');
      const signedIn = await page.request.post('/api/auth/login', {
        data: { username: 'demo-visitor', password: inject('demoPassword') },
      });
      expect(signedIn.ok()).toBe(true);
      const { user } = (await signedIn.json()) as { user: { id: string } };
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const tasks = eldersOf(list)[0]!;
      const elder = tasks[0]!.elder;
      const answers: Answers = prefilledAnswers(DANDONG_2023);
      for (const t of tasks)
        for (const c of t.obligation.campaign?.checklist ?? [])
          answers[`check_${c.key}`] = { value: 'ok' };
      const id = uuidv7();
      const queued = {
        id,
        userId: user.id,
        elderName: elder.name,
        savedAt: new Date().toISOString(),
        body: {
          id,
          elderId: elder.id,
          visitedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
          method: 'in_person',
          template: { key: 'dandong-2023', version: 1 },
          answers,
          emergency: false,
          attachmentIds: [],
        },
        checklist: [],
        attachments: [],
        status: 'pending',
        attempts: 1,
        nextAttemptAt: 0,
      };
      // The outbox as version 1 of the database held it.
      await page.evaluate(
        (record) =>
          new Promise<void>((resolve, reject) => {
            const req = indexedDB.open('tanfang-field', 1);
            req.onupgradeneeded = () =>
              req.result
                .createObjectStore('outbox', { keyPath: 'id' })
                .createIndex('userId', 'userId');
            req.onsuccess = () => {
              const db = req.result;
              const tx = db.transaction('outbox', 'readwrite');
              tx.objectStore('outbox').put(record);
              tx.oncomplete = () => {
                db.close();
                resolve();
              };
              tx.onerror = () => reject(tx.error);
            };
            req.onerror = () => reject(req.error);
          }),
        queued,
      );

      await page.goto('/m');
      await expect
        .poll(() => page.getByTestId('outbox-status').innerText(), { timeout: 20_000 })
        .toBe('全部已上传');
      const mine = (await elderVisits(page, elder.id)).filter((v) => v.id === id);
      expect(mine).toHaveLength(1);
      const stores = await page.evaluate(
        () =>
          new Promise<{ version: number; stores: string[] }>((resolve) => {
            const req = indexedDB.open('tanfang-field');
            req.onsuccess = () => {
              const db = req.result;
              resolve({ version: db.version, stores: Array.from(db.objectStoreNames).sort() });
              db.close();
            };
          }),
      );
      expect(stores).toEqual({ version: 2, stores: ['drafts', 'outbox', 'templates'] });
      await shot(page, 'visit-outbox-after-upgrade-phone');
    } finally {
      await context.close();
    }
  });
});
