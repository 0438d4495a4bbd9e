import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { utcDateOf } from '../../src/domain/businessDate.js';
import { G10 } from '../support/http.js';
import { weekdaysFrom } from '../support/storedRows.js';
import { CHROMIUM, screenshotPath, startDashboard } from './dashboardServer.js';
import { seededRows } from './seededRows.js';

/**
 * The dashboard as an analyst uses it: `npm run dashboard` (the compiled CLI, as a child process) over rows the
 * project's own store wrote to Azurite, opened in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core) with the function key in the URL fragment.
 */
const KEY = 'test-key-12345678';
const ROWS = 130;
/** The first rows are historical (LBMA) gold quotes, the rest live: the pair across the switch is excluded. */
const LBMA_ROWS = 100;

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

/** The members of an element whose box the test measures inside the page. */
interface BoxLike {
  getBoundingClientRect(): { readonly left: number; readonly right: number; readonly width: number };
  querySelector(selector: string): BoxLike | null;
}

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

    expect(await chart(page, 'index-chart')).toEqual({
      points: ROWS,
      series: ['Gold', 'EUR', 'JPY', 'GBP', 'CHF', 'DXY (dollar)', 'Gold in EUR'],
    });
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
    // Every G10 currency, and the dollar index (its six currencies are configured).
    expect(await page.locator('#correlation-rows td:nth-child(1)').allTextContents()).toEqual([...G10, 'DXY']);
    expect(await page.locator('#correlation-rows td:nth-child(2)').allTextContents()).toEqual(
      [...G10, 'DXY'].map((code) => correlation[code]?.toFixed(3)),
    );
    expect(await page.isVisible('#status.error')).toBe(false);

    await page.screenshot({ path: screenshotPath('dashboard.png'), fullPage: true });
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

    expect(await chart(page, 'index-chart')).toEqual({
      points: ROWS,
      series: ['Gold', 'JPY', 'GBP', 'CHF', 'NOK', 'DXY (dollar)', 'Gold in JPY'],
    });
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

  it('the analysis views: the sampling warning, r with its interval drawn to scale, p, beta, n; lead-lag bars; the matrix heatmap; weekly on demand', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    const analysis = await api(`/api/analysis?from=${first}&to=${last}`);
    const stats = analysis.stats as Record<string, { r: number; p: number; n: number; ci95: [number, number]; leadLag: unknown[] }>;
    // LBMA quotes at 10:30 UTC sit within about two hours of the ECB's fixing: the warning shows only if the API gives one.
    const { warning } = analysis.sampling as { warning: string | null };
    expect(await page.isVisible('#sampling-warning')).toBe(warning !== null);
    expect(await page.isHidden('#rolling-unfilled')).toBe(true); // 128 returns fill a 60-observation window
    const series = [...G10, 'DXY'];
    expect(await page.locator('#stats-rows th').allTextContents()).toEqual([...G10, 'DXY (dollar index; + = dollar up)']);
    expect(await page.locator('#stats-rows td:nth-child(2)').allTextContents()).toEqual(series.map((code) => stats[code]!.r.toFixed(3)));
    expect(await page.locator('#stats-rows td:nth-child(7)').allTextContents()).toEqual(series.map((code) => String(stats[code]!.n)));
    // The interval's whisker spans [lo, hi] on a −1…+1 scale: its left edge sits at (lo + 1) / 2 of the cell.
    const whisker = await page.$eval('#stats-rows tr:first-child .interval-cell', (cell: BoxLike) => {
      const [box, bar] = [cell.getBoundingClientRect(), cell.querySelector('.whisker')!.getBoundingClientRect()];
      return { left: (bar.left - box.left) / box.width, right: (bar.right - box.left) / box.width };
    });
    expect(whisker.left).toBeCloseTo((stats.EUR!.ci95[0] + 1) / 2, 2);
    expect(whisker.right).toBeCloseTo((stats.EUR!.ci95[1] + 1) / 2, 2);
    expect(await page.locator('#lead-lag-chart rect.lag-bar').count()).toBe(stats.EUR!.leadLag.length); // k = −5…+5
    expect(await page.locator('#matrix tr').count()).toBe(series.length + 2); // header, gold, DXY, the nine
    // The live quotes alone, at 18:00 UTC against 14:15 Frankfurt: hours apart, so the daily figures carry a warning.
    await show(page, dates[LBMA_ROWS]!, last);
    expect(await page.textContent('#sampling-warning')).toMatch(/^Sampling: gold and FX prices are taken a median \d+\.\d hours apart/);
    await page.screenshot({ path: screenshotPath('analysis-views.png'), fullPage: true });

    // The log scale redraws the index chart on a log axis.
    const linear = await canvas(page, 'index-chart');
    await page.check('#log-scale');
    expect(await page.getAttribute('#index-chart', 'data-scale')).toBe('log');
    expect((await canvas(page, 'index-chart')).image).not.toBe(linear.image);

    await page.selectOption('#interval', 'week');
    await page.click('button[type=submit]');
    await settled(page);
    expect(await page.isVisible('#sampling-warning')).toBe(false);
    expect(await page.textContent('#stats-title')).toMatch(/weekly returns \(\d+ observations\)/);
    expect(await page.textContent('#rolling-title')).toMatch(/^Rolling correlation of weekly returns with gold/);
    // Six weeks of returns against a 60-observation window: the blank chart says why.
    expect(await page.textContent('#rolling-unfilled')).toMatch(
      /^No rolling correlation: the window \(60\) is longer than the \d+ weekly returns of the range; shorten the window/,
    );
    expect(await page.textContent('#summary')).toMatch(/; \d+ weekly returns; /);
    expect(await page.textContent('#correlations-title')).toBe('Correlation of weekly returns with gold over the whole range');
    expectCleanTraffic(opened);
  });

  it('the scatter: one dot per observation the stats count, the OLS line through their centre with beta’s slope; DXY labelled with its sign', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    const analysis = await api(`/api/analysis?from=${first}&to=${last}`);
    const stats = analysis.stats as Record<string, { n: number; beta: number }>;
    const returns = analysis.returns as { gold: number[]; series: Record<string, number[]> };
    expect(await page.inputValue('#scatter-series')).toBe('EUR'); // the first chosen currency
    expect(await page.locator('#scatter-chart circle.dot').count()).toBe(stats.EUR!.n);

    // OLS passes through the means: at the dots' mean x the line sits at their mean y; it falls or rises as beta does.
    const geometry = () =>
      page.$eval('#scatter-chart svg', (svg: { querySelectorAll(s: string): ArrayLike<{ getAttribute(name: string): string | null }> }) => {
        const dots = Array.from(svg.querySelectorAll('circle.dot'));
        const at = (element: { getAttribute(name: string): string | null }, name: string) => Number(element.getAttribute(name));
        const fit = svg.querySelectorAll('line.fit')[0]!;
        const [x1, y1, x2, y2] = ['x1', 'y1', 'x2', 'y2'].map((name) => at(fit, name)) as [number, number, number, number];
        const meanX = dots.reduce((sum, dot) => sum + at(dot, 'cx'), 0) / dots.length;
        const meanY = dots.reduce((sum, dot) => sum + at(dot, 'cy'), 0) / dots.length;
        return { lineAtMeanX: y1 + ((meanX - x1) / (x2 - x1)) * (y2 - y1), meanY, screenSlope: (y2 - y1) / (x2 - x1) };
      });
    const eur = await geometry();
    expect(eur.lineAtMeanX).toBeCloseTo(eur.meanY, 6);
    expect(Math.sign(-eur.screenSlope)).toBe(Math.sign(stats.EUR!.beta)); // screen y grows downwards
    const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
    const intercept = 100 * (mean(returns.gold) - stats.EUR!.beta * mean(returns.series.EUR!));
    expect(await page.textContent('#scatter-fit')).toContain(`OLS: gold = ${intercept.toFixed(3)} % + ${stats.EUR!.beta.toFixed(3)} × EUR`);

    await page.selectOption('#scatter-series', 'DXY');
    expect(await page.locator('#scatter-chart circle.dot').count()).toBe(stats.DXY!.n);
    expect(await page.textContent('#scatter-chart')).toContain('DXY return, % (+ = dollar up)');
    expect(Math.sign(-(await geometry()).screenSlope)).toBe(Math.sign(stats.DXY!.beta));
    expectCleanTraffic(opened);
  });

  it('the rolling chart shades the picked currency’s 95 % band (the first chosen until one is picked), with no legend entry of its own', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    expect(await page.inputValue('#band-series')).toBe('EUR');
    expect(await page.locator('#band-series option').allTextContents()).toEqual(['EUR', 'JPY', 'GBP', 'CHF']);
    expect(await page.getAttribute('#rolling-chart', 'data-bands')).toBe('EUR');
    expect((await chart(page, 'rolling-chart')).series).toEqual(['EUR', 'JPY', 'GBP', 'CHF']);
    expect(await page.locator('#rolling-chart .u-legend .band-edge').first().isVisible()).toBe(false);
    // A band is its line's colour at alpha 0x26 (38): a single band's fill leaves many pixels of exactly that alpha,
    // which opaque, thin lines alone (the index chart) hardly do.
    const bandAlphaPixels = (id: string) =>
      page.$eval(`#${id} canvas`, (c: CanvasLike) => {
        const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        let count = 0;
        for (let i = 3; i < pixels.length; i += 4) if (Math.abs((pixels[i] ?? 0) - 38) <= 1) count++;
        return count;
      });
    expect(await bandAlphaPixels('rolling-chart')).toBeGreaterThan(2_000);
    expect(await bandAlphaPixels('index-chart')).toBeLessThan(500);
    const eurBand = (await canvas(page, 'rolling-chart')).image;
    await page.selectOption('#band-series', 'GBP');
    expect(await page.getAttribute('#rolling-chart', 'data-bands')).toBe('GBP');
    expect((await canvas(page, 'rolling-chart')).image).not.toBe(eurBand);
    expectCleanTraffic(opened);
  });

  it('gold is priced in the currency picked, which stays picked when the chosen currencies change', async () => {
    const opened = await open();
    const { page } = opened;
    await show(page, first, last);
    expect(await page.inputValue('#gold-currency')).toBe('EUR'); // the first chosen, until one is picked
    expect(await page.locator('#gold-currency option').allTextContents()).toEqual(G10);
    await page.selectOption('#gold-currency', 'NOK');
    expect((await chart(page, 'index-chart')).series.at(-1)).toBe('Gold in NOK');
    await page.uncheck('#currencies input[value=EUR]');
    expect((await chart(page, 'index-chart')).series).toEqual(['Gold', 'JPY', 'GBP', 'CHF', 'DXY (dollar)', 'Gold in NOK']);
    expect(await page.textContent('#index-chart + p.note')).toMatch(/DXY is the\s+dollar's own value \(up: the dollar strengthened\)/);
    await page.check('#log-scale');
    expectCleanTraffic(opened);
  });

  it('Ctrl+C stops npm run dashboard: exit code 130, the port closed', async () => {
    dashboard.cli.child.kill('SIGINT');
    const ended = await dashboard.cli.done;
    expect(ended.code).toBe(130);
    await expect(fetch(`${origin}/api/dashboard`)).rejects.toThrow();
  });
});
