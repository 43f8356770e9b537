/**
 * 探访任务 in Chromium: the visitor's worklist on a phone (greeting, counts, a card in each
 * group, an elder's tasks), the township's overdue visits by visitor, 未落实探访人 and the month's
 * visit rate at desktop and phone size, a county picking a township, the elder record's 探访计划,
 * and a village refused another village's list.
 */
import type { RegionWorklistDto, VisitorWorklistDto, WorklistBucket } from '@tanfang/domain';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, login, newContext, shot } from '../lib/browser.js';

const BUCKET_LABELS: Record<WorklistBucket, string> = {
  overdue: '已逾期',
  campaign: '专项任务',
  today: '今天到期',
  week: '本周到期',
  later: '本期待访',
};
const TOWNSHIP = '210624101';
/** A village of the township other than demo-village's 东岔村. */
const OTHER_VILLAGE = '210624101200';

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

/** What the server says, read with the page's own session, to compare the screen against. */
async function getJson<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(url);
  expect(response.ok()).toBe(true);
  return (await response.json()) as T;
}

/** Whether the page is wider than the window (a phone would scroll sideways). */
function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(
    () => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
  );
}

describe('the visitor’s worklist on a phone', () => {
  it('greets the visitor by name with today’s date, counts each group and shows its elders', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-visitor');
      await page.waitForURL(/\/m$/);
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      expect(list.visitor).not.toBeNull();

      const greeting = page.getByTestId('field-greeting');
      await expect.poll(() => greeting.innerText()).toContain(list.visitor!.name);
      const [, month, day] = list.today.split('-').map(Number);
      await expect.poll(() => greeting.innerText()).toContain(`${month}月${day}日 星期`);
      await expect
        .poll(() => page.getByTestId('worklist-updated').innerText())
        .toMatch(/更新于 \d{2}:\d{2}/);

      const buckets = Object.keys(BUCKET_LABELS) as WorklistBucket[];
      for (const bucket of buckets) {
        const tile = await page.getByTestId(`tile-${bucket}`).innerText();
        expect(tile).toContain(BUCKET_LABELS[bucket]);
        expect(tile).toContain(String(list.counts[bucket]));
        const section = page.getByTestId(`section-${bucket}`);
        if (list.counts[bucket] > 0) {
          expect(await section.getByTestId('worklist-card').count()).toBe(list.counts[bucket]);
          const first = list.items.find((i) => i.bucket === bucket)!;
          expect(await section.getByTestId('worklist-card').first().innerText()).toContain(
            first.elder.name,
          );
        } else {
          expect(await section.count()).toBe(0);
        }
      }
      expect(list.counts.overdue).toBeGreaterThan(0);
      const overdueCard = page.getByTestId('section-overdue').getByTestId('worklist-card').first();
      expect(await overdueCard.innerText()).toMatch(/未(上门探)?访，已逾期/);
      expect(await overdueCard.innerText()).toMatch(/上次探访\s*(从未探访|\d+月\d+日)/);
      expect(await overdueCard.innerText()).toMatch(/1\d\d\*{4}\d{4}/);

      if (list.counts.campaign > 0) {
        const campaignCard = page.getByTestId('section-campaign').getByTestId('worklist-card');
        expect(await campaignCard.first().innerText()).toContain('检查：');
      }
      expect(await overflowsSideways(page)).toBe(false);
      await shot(page, 'worklist-field-home-phone');

      // A tile takes the visitor to its group.
      await page.getByTestId('tile-overdue').click();
      await expect
        .poll(() =>
          page
            .getByTestId('section-overdue')
            .evaluate((el) => Math.round(el.getBoundingClientRect().top)),
        )
        .toBeLessThan(200);
    });
  });

  it('opens an elder from a card and lists their tasks, with the 开始探访 button', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-visitor');
      const list = await getJson<VisitorWorklistDto>(page, '/api/worklist');
      const item = list.items.find((i) => i.bucket === 'overdue')!;
      const tasks = list.items.filter((i) => i.elder.id === item.elder.id).length;

      await page
        .getByTestId('section-overdue')
        .getByTestId('worklist-card')
        .filter({ hasText: item.elder.name })
        .first()
        .click();
      await page.waitForURL(new RegExp(`/m/elders/${item.elder.id}$`));
      const header = page.getByTestId('field-elder');
      await expect.poll(() => header.innerText()).toContain(item.elder.name);
      expect(await header.innerText()).toContain(`${item.elder.age}岁`);
      expect(await header.innerText()).toContain(item.elder.village.name);
      expect(await page.getByTestId('elder-task').count()).toBe(tasks);
      expect(await page.getByTestId('elder-task').first().innerText()).toContain('已逾期');
      expect(await page.getByRole('button', { name: /开始探访/ }).count()).toBe(1);
      expect(await overflowsSideways(page)).toBe(false);
      await shot(page, 'worklist-field-elder-phone');

      await page.getByTestId('elder-back').click();
      await page.waitForURL(/\/m$/);
      await expect.poll(() => page.getByTestId('worklist-card').count()).toBe(list.items.length);
    });
  });

  it('fits a 360px-wide phone without sideways scrolling', async () => {
    await withPage('phone', async (page) => {
      await page.setViewportSize({ width: 360, height: 740 });
      await login(page, 'demo-visitor');
      await expect.poll(() => page.getByTestId('worklist-card').count()).toBeGreaterThan(0);
      expect(await overflowsSideways(page)).toBe(false);
      await shot(page, 'worklist-field-home-360');
    });
  });
});

describe('the township’s 探访任务', () => {
  for (const size of ['desktop', 'phone'] as const) {
    it(`groups overdue visits by visitor and lists elders without one, at ${size} size`, async () => {
      await withPage(size, async (page) => {
        await login(page, 'demo-township');
        if (size === 'desktop') {
          // 探访任务 comes right after 首页 in the menu.
          await expect
            .poll(async () =>
              (await page.getByRole('menuitem').allInnerTexts()).slice(0, 2).map((t) => t.trim()),
            )
            .toEqual(['首页', '探访任务']);
          await page.getByRole('menuitem', { name: /探访任务/ }).click();
          await page.waitForURL(/\/worklist$/);
        } else {
          await page.goto('/worklist');
        }
        const data = await getJson<RegionWorklistDto>(page, `/api/worklist?region=${TOWNSHIP}`);

        await expect
          .poll(() => page.getByTestId('worklist-region').innerText())
          .toContain('灌水镇');
        const counts = page.getByTestId('worklist-counts');
        expect(await counts.getByTestId('count-elders').innerText()).toContain(String(data.elders));
        expect(await counts.getByTestId('count-overdue').innerText()).toContain(
          String(data.counts.overdue),
        );
        expect(await counts.getByTestId('count-unassigned').innerText()).toContain(
          String(data.unassignedTotal),
        );

        const groups = page.getByTestId('overdue-group');
        expect(await groups.count()).toBe(data.overdueByVisitor.length);
        for (const [i, group] of data.overdueByVisitor.entries()) {
          const text = await groups.nth(i).innerText();
          expect(text).toContain(group.visitor ? group.visitor.name : '未落实探访人');
          if (group.visitor?.phoneMasked) expect(text).toContain(group.visitor.phoneMasked);
          expect(text).toContain(`${group.items.length} 项`);
          expect(text).toContain(group.items[0]!.elder.name);
        }
        const named = data.overdueByVisitor.filter((g) => g.visitor);
        expect(named.length).toBeGreaterThan(1);

        const unassigned = page.getByTestId('unassigned');
        expect(data.unassignedTotal).toBeGreaterThan(0);
        expect(await unassigned.innerText()).toContain(`${data.unassignedTotal} 人`);
        for (const elder of data.unassigned)
          expect(await unassigned.innerText()).toContain(elder.name);

        const summary = page.getByTestId('summary');
        await expect.poll(() => summary.innerText()).toContain('探访率');
        expect(await summary.innerText()).toMatch(/\d+\.\d%/);
        expect(await summary.innerText()).toContain('东岔村委会');
        expect(await summary.innerText()).toContain('合计');
        if (size === 'phone') expect(await overflowsSideways(page)).toBe(false);
        await page.waitForLoadState('networkidle');
        await shot(page, `worklist-township-${size}`);
      });
    });
  }

  it('shows a past month’s visit rate in red where visits were missed', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-township');
      const today = new Date(Date.now() + 8 * 3_600_000);
      const last = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1));
      const period = `${last.getUTCFullYear()}-${String(last.getUTCMonth() + 1).padStart(2, '0')}`;
      await page.goto(`/worklist?period=${period}`);
      const summary = page.getByTestId('summary');
      await expect
        .poll(() => summary.innerText())
        .toContain(`${last.getUTCFullYear()}年${last.getUTCMonth() + 1}月探访情况`);
      // The demo missed some visits last month: those rates are below 100% and red.
      await expect
        .poll(() => summary.locator('[data-testid="rate"].ant-typography-danger').count())
        .toBeGreaterThan(0);
      await shot(page, 'worklist-township-last-month');
    });
  });

  it('shows the elder’s visit plan on the record page', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-township');
      await page.goto('/worklist');
      const link = page.getByTestId('overdue-group').first().locator('a').first();
      const name = (await link.innerText()).trim().split(/\s/)[0]!;
      await link.click();
      await page.waitForURL(/\/elders\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('elder-header').innerText()).toContain(name);
      const plan = page.getByTestId('elder-schedule');
      await expect.poll(() => plan.innerText()).toContain('适用规则');
      expect(await plan.innerText()).toMatch(/每月|每周|每季度|每 \d+ 天/);
      expect(await plan.innerText()).toContain('逾期未访');
      await shot(page, 'worklist-elder-plan-desktop');
    });
  });
});

describe('a county and a village', () => {
  it('asks county staff to pick a township, then lists it from the summary', async () => {
    await withPage('desktop', async (page) => {
      await login(page, 'demo-county');
      await page.goto('/worklist');
      await expect
        .poll(() => page.getByTestId('pick-township').innerText())
        .toContain('请先在上方选择一个乡镇(街道)');
      await page.getByTestId('summary').getByText('灌水镇', { exact: true }).click();
      await page.waitForURL(new RegExp(`region=${TOWNSHIP}`));
      await expect.poll(() => page.getByTestId('overdue-group').count()).toBeGreaterThan(0);
      await shot(page, 'worklist-county-desktop');
    });
  });

  it('refuses a village another village’s worklist with the server’s message', async () => {
    await withPage('phone', async (page) => {
      await login(page, 'demo-village');
      await page.goto(`/worklist?region=${OTHER_VILLAGE}`);
      await expect
        .poll(() => page.getByTestId('worklist-error').innerText())
        .toContain('区域不存在或不在您的辖区内');
      expect(await page.getByTestId('overdue-group').count()).toBe(0);
      await shot(page, 'worklist-village-refused-phone');

      await page.getByRole('button', { name: '查看本辖区的探访任务' }).click();
      await expect
        .poll(() => page.getByTestId('worklist-region').innerText())
        .toContain('东岔村委会');
    });
  });
});
