import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { utcDateOf } from '../../src/domain/businessDate.js';
import { G10 } from '../support/http.js';
import { CHROMIUM, startDashboard } from './dashboardServer.js';
import { seededRows, weekdaysFrom } from './seededRows.js';

/**
 * The dashboard as an analyst uses it: `npm run dashboard` (the compiled CLI, as a child process) over rows the
 * project's own store wrote to Azurite, opened in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) with the function key in the URL fragment.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const KEY = 'test-key-12345678';
const ROWS = 130;
/** The first rows are historical (LBMA) gold quotes, the rest live: the pair across the switch is excluded. */
const LBMA_ROWS = 100;
const SCREENSHOT = join(root, 'docs', 'dashboard.png');

if (!CHROMIUM) console.warn('test/browser/dashboard.test.ts SKIPPED: no chromium binary on the PATH (Debian: apt-get install -y chromium)');

/** Seeded dates end at the latest weekday up to today, so the page's default range (the last 90 days) has data. */
const lastWeekday = (() => {
  const day = new Date(`${utcDateOf(new Date())}T00:00:00Z`);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() - 1);
  return day.getTime();
})();
const dates = weekdaysFrom(new Date(lastWeekday - Math.ceil((ROWS * 7) / 5 + 6) * 86_400_000).toISOString().slice(0, 10), ROWS * 2)
  .filter((d) => Date.parse(`${d}T00:00:00Z`) <= lastWeekday)
  .slice(-ROWS);
const first = dates[0] ?? '';
const last = dates[ROWS - 1] ?? '';

/** The members of a canvas the test reads inside the page. */
interface CanvasLike {
  readonly width: number;
  readonly height: number;
  toDataURL(): string;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

describe.skipIf(!CHROMIUM)('dashboard in headless Chromium over npm run dashboard and Azurite', () => {
  let dashboard: Awaited<ReturnType<typeof startDashboard>>;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    dashboard = await startDashboard(inject('azuriteConnectionString'), `Dashboard${process.pid}`, seededRows(dates, LBMA_ROWS));
    origin = dashboard.origin;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
    await dashboard?.close();
  });

  interface Opened {
    readonly page: Page;
    readonly requests: Request[];
    readonly consoleErrors: string[];
  }

  /** A fresh browser context on the dashboard, recording every request and console error from the start. */
  async function open(fragment = `#code=${KEY}`): Promise<Opened> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const opened: Opened = { page, requests: [], consoleErrors: [] };
    page.on('request', (request) => opened.requests.push(request));
    page.on('console', (message) => message.type() === 'error' && opened.consoleErrors.push(message.text()));
    page.on('pageerror', (error) => opened.consoleErrors.push(error.message));
    await page.goto(`${origin}/api/dashboard${fragment}`);
    await settled(page);
    return opened;
  }

  /** The page marks its content busy while it waits for the API. */
  const settled = (page: Page) => page.waitForSelector('main[aria-busy=false]');

  async function show(page: Page, from: string, to: string): Promise<void> {
    await page.fill('#from', from);
    await page.fill('#to', to);
    await page.click('button[type=submit]');
    await settled(page);
  }

  /** What the page recorded from the uPlot instance it drew: its number of x values and its series' labels. */
  const chart = async (page: Page, id: string) => ({
    points: Number(await page.getAttribute(`#${id}`, 'data-points')),
    series: (await page.getAttribute(`#${id}`, 'data-series'))?.split(',') ?? [],
  });
  /** The chart's plot as an image, and how many of its pixels are painted: proof that lines were drawn, not only set up. */
  const canvas = (page: Page, id: string) =>
    page.$eval(`#${id} canvas`, (c: CanvasLike) => {
      const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
      return { image: c.toDataURL(), painted };
    });

  const api = async (path: string) => (await fetch(`${origin}${path}`)).json() as Promise<Record<string, unknown>>;

  /** What every test also holds: no console error, no request anywhere but the local server, the key never in a URL. */
  function expectCleanTraffic({ requests, consoleErrors }: Opened, allowedConsoleErrors: RegExp[] = []): void {
    expect(consoleErrors.filter((text) => !allowedConsoleErrors.some((allowed) => allowed.test(text)))).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      expect(new URL(request.url()).origin, request.url()).toBe(origin);
      expect(request.url()).not.toContain(KEY);
      expect(decodeURIComponent(request.url())).not.toContain(KEY);
    }
  }

  it('charts every stored row of the range shown, states rows and excluded pairs, and tabulates the correlation with each G10 currency', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    const analysis = await api(`/api/analysis?from=${first}&to=${last}`);
    const rolling = analysis.rolling as { dates: string[] };

    expect(await chart(page, 'index-chart')).toEqual({ points: ROWS, series: ['Gold', 'EUR', 'JPY', 'GBP', 'CHF'] });
    expect(await chart(page, 'rolling-chart')).toEqual({ points: rolling.dates.length, series: ['EUR', 'JPY', 'GBP', 'CHF'] });
    expect(rolling.dates.length).toBe(analysis.observations);
    expect((await canvas(page, 'index-chart')).painted).toBeGreaterThan(5_000);
    expect((await canvas(page, 'rolling-chart')).painted).toBeGreaterThan(5_000);

    expect(analysis.excludedPairs).toBe(1); // the switch from LBMA to live quotes
    expect(await page.textContent('#summary')).toBe(
      `${ROWS} rows from ${first} to ${last}; ${ROWS - 2} daily returns; 1 pair of consecutive rows excluded:`,
    );
    const [exclusion] = analysis.exclusions as Array<{ reason: string }>;
    expect(await page.locator('#exclusions li').allTextContents()).toEqual([
      `${dates[LBMA_ROWS - 1]} → ${dates[LBMA_ROWS]}: ${exclusion?.reason}`,
    ]);
    const correlation = analysis.correlation as Record<string, number>;
    expect(await page.locator('#correlation-rows td:nth-child(1)').allTextContents()).toEqual(G10);
    expect(await page.locator('#correlation-rows td:nth-child(2)').allTextContents()).toEqual(
      G10.map((code) => correlation[code]?.toFixed(3)),
    );
    expect(await page.isVisible('#status.error')).toBe(false);

    mkdirSync(join(root, 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expectCleanTraffic(opened);
  });

  it('opens on the 90 days ending at the latest stored row when no range is chosen, and fills the pickers with that range', async () => {
    const opened = await open();
    const { page } = opened;
    const rates = await api(`/api/rates?to=${last}`);
    expect(await page.inputValue('#from')).toBe(rates.from);
    expect(await page.inputValue('#to')).toBe(rates.to);
    expect((await chart(opened.page, 'index-chart')).points).toBe(rates.count);
    expect(rates.count).toBeGreaterThan(50);
    expectCleanTraffic(opened);
  });

  it('changing the currencies redraws both charts with the new choice', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    const before = await canvas(page, 'index-chart');
    const rollingBefore = await canvas(page, 'rolling-chart');

    await page.uncheck('#currencies input[value=EUR]');
    await page.check('#currencies input[value=NOK]');

    expect(await chart(page, 'index-chart')).toEqual({ points: ROWS, series: ['Gold', 'JPY', 'GBP', 'CHF', 'NOK'] });
    expect((await chart(page, 'rolling-chart')).series).toEqual(['JPY', 'GBP', 'CHF', 'NOK']);
    expect((await canvas(page, 'index-chart')).image).not.toBe(before.image);
    expect((await canvas(page, 'rolling-chart')).image).not.toBe(rollingBefore.image);
    expect(await page.textContent('#index-chart .u-legend')).toContain('NOK');
    expect(await page.textContent('#index-chart .u-legend')).not.toContain('EUR');
    expectCleanTraffic(opened);
  });

  it('Download CSV saves the range shown with the chosen currencies: one line per row', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe(`fxgold-${first}-${last}.csv`);
    const records = parse(readFileSync(await download.path(), 'utf8'));
    expect(records[0]?.slice(-4)).toEqual(['EUR', 'JPY', 'GBP', 'CHF']);
    expect(records.length - 1).toBe(ROWS);
    expect(records[1]?.[0]).toBe(first);
    expect(records[ROWS]?.[0]).toBe(last);

    const csvCall = opened.requests.find((request) => request.url().includes('format=csv'));
    expect(csvCall?.headers()['x-functions-key']).toBe(KEY);
    expectCleanTraffic(opened);
  });

  it('sends the key from the fragment as x-functions-key on every data call, and never in a URL', async () => {
    const opened = await open();
    await show(opened.page, first, last);
    const dataCalls = opened.requests.filter((request) => /\/api\/(rates|analysis)\b/.test(request.url()));
    expect(dataCalls.map((request) => new URL(request.url()).pathname).sort()).toEqual([
      '/api/analysis',
      '/api/analysis',
      '/api/rates',
      '/api/rates',
    ]);
    for (const request of dataCalls) expect(request.headers()['x-functions-key']).toBe(KEY);
    const pageRequest = opened.requests.find((request) => request.resourceType() === 'document');
    expect(pageRequest?.url()).toBe(`${origin}/api/dashboard`);
    expect(pageRequest?.headers()['x-functions-key']).toBeUndefined();
    expectCleanTraffic(opened);
  });

  it('without a key in the fragment, sends no key header', async () => {
    const opened = await open('');
    const dataCalls = opened.requests.filter((request) => /\/api\/(rates|analysis)/.test(request.url()));
    expect(dataCalls.length).toBe(2);
    for (const request of dataCalls) expect(request.headers()['x-functions-key']).toBeUndefined();
    expectCleanTraffic(opened);
  });

  it('says so when the API refuses: too few observations (422), a range the wrong way round (400)', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, dates[0] ?? '', dates[1] ?? '');
    expect(await page.textContent('#status[role=alert]')).toMatch(
      /^Not enough data for the analysis: too few observations .*widen the range\.$/,
    );
    expect(await page.textContent('#summary')).toBe(`2 rows from ${dates[0]} to ${dates[1]}.`);
    expect(await page.isHidden('#charts')).toBe(true);

    await show(page, last, first);
    expect(await page.textContent('#status[role=alert]')).toMatch(/^\/api\/rates refused the request \(HTTP 400\): .*"from".*after.*"to"/);
    expect(await page.isHidden('#results')).toBe(true);
    // Chromium logs every refused fetch; those two are the only errors allowed.
    expectCleanTraffic(opened, [/Failed to load resource: the server responded with a status of (400|422)/]);
  });

  it('Ctrl+C stops npm run dashboard: exit code 130, the port closed', async () => {
    dashboard.cli.child.kill('SIGINT');
    const ended = await dashboard.cli.done;
    expect(ended.code).toBe(130);
    await expect(fetch(`${origin}/api/dashboard`)).rejects.toThrow();
  });
});
