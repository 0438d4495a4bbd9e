import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

// Frankfurter and goldapi on one loopback server, answering the documented responses (test/fixtures, the same
// bodies test/support/fakeProviders.ts serves) after a set latency. The test fake is TypeScript and has no latency;
// this one is small, plain JavaScript (the bench runs without a compile step) and counts requests per provider, which
// the backfill targets need.

const fixture = (name) => JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}.json`, import.meta.url), 'utf8'));
const FRANKFURTER = fixture('frankfurter-latest');
const GOLD_LATEST = fixture('goldapi-latest');
const GOLD_HISTORICAL = fixture('goldapi-historical');

const DAY_MS = 86_400_000;
const isWeekday = (ms) => ![0, 6].includes(new Date(ms).getUTCDay());
const isoDate = (ms) => new Date(ms).toISOString().slice(0, 10);

/** Frankfurter's series `/{from}..{to}`: the rates of every weekday of the range, keyed by date. */
function frankfurterSeries(from, to) {
  const rates = {};
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += DAY_MS) {
    if (isWeekday(day)) rates[isoDate(day)] = FRANKFURTER.rates;
  }
  return { amount: 1, base: FRANKFURTER.base, start_date: from, end_date: to, rates };
}

/**
 * Frankfurter v2's gold (`/rates?base=XAU&quotes=USD&…`): an array, one element per weekday from `from` to `to`, or
 * the one fixing of `date` (lib/versions/v2/rate_query.rb; the test fake, test/support/fakeFrankfurterV2.ts, also
 * models holidays and rounding).
 */
function frankfurterGold(query) {
  const element = (date) => ({ date, base: 'XAU', quote: 'USD', rate: GOLD_HISTORICAL.price });
  const date = query.get('date');
  if (date) return [element(date)];
  const days = [];
  for (let day = Date.parse(`${query.get('from')}T00:00:00Z`); day <= Date.parse(`${query.get('to')}T00:00:00Z`); day += DAY_MS)
    if (isWeekday(day)) days.push(element(isoDate(day)));
  return days;
}

/** The body each provider answers for a path (below its prefix), as documented. */
function answer(provider, path, query) {
  if (provider === 'frankfurterv2') return frankfurterGold(query);
  if (provider === 'frankfurter') {
    const series = /^\/(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(path);
    if (series) return frankfurterSeries(series[1], series[2]);
    const date = path.slice(1);
    return date === 'latest' ? FRANKFURTER : { ...FRANKFURTER, date };
  }
  const day = /^\/XAU\/USD\/(\d{4})(\d{2})(\d{2})$/.exec(path);
  if (!day) return GOLD_LATEST;
  // The LBMA price of the day asked for, fixed at 10:30 UTC.
  const fixedAt = `${day[1]}-${day[2]}-${day[3]}T10:30:00.000Z`;
  return { ...GOLD_HISTORICAL, date: fixedAt, timestamp: Date.parse(fixedAt) };
}

const PREFIX = { frankfurter: '/frankfurter/v1', frankfurterv2: '/frankfurter/v2', goldapi: '/goldapi/api' };

/**
 * Starts the fake. `latencyMs` (changeable later through `fake.latencyMs`) is how long each answer waits before it
 * is sent: the provider's latency as the app sees it. `requests` counts answers per provider.
 */
export async function startFakeProviders({ latencyMs = 0 } = {}) {
  const requests = { frankfurter: 0, frankfurterv2: 0, goldapi: 0 };
  const fake = { latencyMs, requests };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const provider = Object.keys(PREFIX).find((p) => url.pathname.startsWith(PREFIX[p]));
    if (!provider) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
    requests[provider] += 1;
    const body = JSON.stringify(answer(provider, url.pathname.slice(PREFIX[provider].length), url.searchParams));
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(body), fake.latencyMs);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  return Object.assign(fake, {
    /** Settings that point the app at this server, with one provider per chain (frankfurter, goldapi). */
    settings: () => ({
      FRANKFURTER_BASE_URL: `${origin}${PREFIX.frankfurter}`,
      FRANKFURTER_V2_BASE_URL: `${origin}${PREFIX.frankfurterv2}`,
      GOLDAPI_BASE_URL: `${origin}${PREFIX.goldapi}`,
      GOLDAPI_KEY: 'bench-goldapi-key-0000',
      FXGOLD_CURRENCY_PROVIDERS: 'frankfurter',
      FXGOLD_GOLD_PROVIDERS: 'goldapi',
    }),
    resetCounts: () => Object.assign(requests, { frankfurter: 0, frankfurterv2: 0, goldapi: 0 }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}
