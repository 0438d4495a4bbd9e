import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { G10 } from '../support/http.js';
import { CHROMIUM, screenshotPath, startDashboard } from './dashboardServer.js';
import { weekdaysFrom } from '../support/storedRows.js';
import { seededRows } from './seededRows.js';

/**
 * The dashboard over a table whose latest row is about a year old (history from a backfill, a daily job that
 * stopped): it must open on the data, say how stale it is, list the currencies, and keep the view in the URL.
 */
const KEY = 'freshness-key-87654321';
const DAY_MS = 86_400_000;
const yearAgo = new Date(Date.now() - 370 * DAY_MS).toISOString().slice(0, 10);
const dates = weekdaysFrom(yearAgo, 120);
const latest = dates.at(-1)!;
const ninetyBefore = new Date(Date.parse(`${latest}T00:00:00Z`) - 90 * DAY_MS).toISOString().slice(0, 10);
const inView = dates.filter((date) => date >= ninetyBefore).length;

describe.skipIf(!CHROMIUM)('dashboard freshness and URL state in headless Chromium', () => {
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  let browser: Browser;
  beforeAll(async () => {
    dashboard = await startDashboard(inject('azuriteConnectionString'), `Freshness${process.pid}`, seededRows(dates, 10), {
      FXGOLD_SCHEDULE: '0 0 18 * * 1-5',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
  });
  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  const settled = (page: Page) => page.waitForSelector('main[aria-busy=false]');
  async function open(fragment: string) {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const requests: Request[] = [];
    page.on('request', (request) => requests.push(request));
    await page.goto(`${dashboard.origin}/api/dashboard${fragment}`);
    await settled(page);
    return { page, requests };
  }
  const checked = (page: Page) =>
    page.$$eval('#currencies input:checked', (boxes) => boxes.map((box) => (box as unknown as { value: string }).value));

  it('a year-old table opens on the 90 days ending at its latest row, with charts and a red strip saying so', async () => {
    const { page, requests } = await open(`#code=${KEY}`);
    expect(await page.inputValue('#from')).toBe(ninetyBefore);
    expect(await page.inputValue('#to')).toBe(latest);
    expect(Number(await page.getAttribute('#index-chart', 'data-points'))).toBe(inView);
    expect(await page.getAttribute('#freshness', 'class')).toBe('freshness stale');
    expect(await page.textContent('#freshness')).toMatch(
      new RegExp(`^Latest row ${latest}, stored 18:00:15 UTC · next run \\d{4}-\\d{2}-\\d{2} 18:00 UTC · \\d+ missing days$`),
    );
    await page.screenshot({ path: screenshotPath('dashboard-stale.png'), fullPage: true });
    const status = requests.find((request) => new URL(request.url()).pathname === '/api/status');
    expect(status?.headers()['x-functions-key']).toBe(KEY);
  });

  it('takes the key out of the address bar: the fragment carries the view, never the key; the view survives a reload', async () => {
    const { page } = await open(`#code=${KEY}`);
    const url = new URL(page.url());
    expect(url.hash).toBe(`#from=${ninetyBefore}&to=${latest}&currencies=EUR,JPY,GBP,CHF&window=60`);
    expect(page.url()).not.toContain(KEY);
    expect(page.url()).not.toContain('code=');

    await page.uncheck('#currencies input[value=EUR]');
    await page.check('#currencies input[value=SEK]');
    await page.fill('#window', '20');
    await page.fill('#from', dates[30]!);
    await page.click('button[type=submit]');
    await settled(page);
    const view = `#from=${dates[30]}&to=${latest}&currencies=JPY,GBP,CHF,SEK&window=20`;
    expect(new URL(page.url()).hash).toBe(view);

    await page.reload();
    await settled(page);
    expect(new URL(page.url()).hash).toBe(view);
    expect(await page.inputValue('#from')).toBe(dates[30]);
    expect(await page.inputValue('#window')).toBe('20');
    expect(await checked(page)).toEqual(['JPY', 'GBP', 'CHF', 'SEK']);
    expect(Number(await page.getAttribute('#index-chart', 'data-points'))).toBe(dates.length - 30);
  });

  it('the chart pickers the user sets go into the fragment and survive a reload; the ones left alone follow the currencies', async () => {
    const { page } = await open(`#code=${KEY}`);
    await page.selectOption('#band-series', 'GBP');
    await page.selectOption('#scatter-series', 'DXY');
    await page.selectOption('#gold-currency', 'CHF');
    const view = `#from=${ninetyBefore}&to=${latest}&currencies=EUR,JPY,GBP,CHF&window=60&gold=CHF&band=GBP&scatter=DXY`;
    expect(new URL(page.url()).hash).toBe(view);

    await page.reload();
    await settled(page);
    expect(new URL(page.url()).hash).toBe(view);
    expect(await page.inputValue('#band-series')).toBe('GBP');
    expect(await page.inputValue('#scatter-series')).toBe('DXY');
    expect(await page.inputValue('#gold-currency')).toBe('CHF');
    expect(await page.inputValue('#lead-lag-series')).toBe('EUR'); // never picked: the first chosen currency
    expect(page.url()).not.toContain(KEY);
  });

  it('a range with no rows still lists every configured currency', async () => {
    const { page } = await open('#from=2010-01-04&to=2010-03-31');
    expect(await page.$$eval('#currencies input', (boxes) => boxes.map((box) => (box as unknown as { value: string }).value))).toEqual(G10);
    expect(await page.textContent('#summary')).toMatch(/^0 rows from 2010-01-04 to 2010-03-31/);
    expect(await page.getAttribute('#freshness', 'class')).toBe('freshness stale');
  });
});
