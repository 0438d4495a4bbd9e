import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { frankfurterV2Gold } from './fakeFrankfurterV2.js';
import { fixture } from './fixtures.js';
import { uniqueTableName } from './tableNames.js';

export type FakeProvider = 'frankfurter' | 'frankfurterv2' | 'exchangeratehost' | 'goldapi';

export interface RecordedRequest {
  readonly provider: FakeProvider;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

/**
 * What the fake answers: JSON or raw text with a status, a request that never answers, a dropped connection (FIN), a
 * reset connection (RST), a redirect to `redirect` (a URL), a 200 whose body drips one byte every 200 ms forever, or a 200 streaming `stream`
 * bytes of a JSON-looking body in chunks, without Content-Length.
 */
export type FakeAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { hang: true }
  | { drop: true }
  | { reset: true }
  | { redirect: string; status?: 301 | 302 | 307 | 308 }
  | { drip: true }
  | { stream: number };

export type FakeHandler = (request: RecordedRequest) => FakeAnswer;

const PREFIX: Record<FakeProvider, string> = {
  frankfurter: '/frankfurter/v1',
  frankfurterv2: '/frankfurter/v2',
  exchangeratehost: '/exchangeratehost',
  goldapi: '/goldapi/api',
};

/** The documented happy answers, following the date asked for the way each provider does. */
export const documentedAnswers: Record<FakeProvider, FakeHandler> = {
  frankfurter: ({ path }) => {
    const body = fixture<{ rates: Record<string, number> }>('frankfurter-latest');
    const series = SERIES_PATH.exec(path);
    if (series) return { json: frankfurterSeries(series[1] as string, series[2] as string, () => body.rates) };
    const date = path.slice(1);
    return { json: date === 'latest' ? body : { ...body, date } };
  },
  // NBP's gold fixing, every weekday (frankfurterV2Gold takes a holiday calendar).
  frankfurterv2: (request) => frankfurterV2Gold()(request),
  exchangeratehost: ({ path, query }) => {
    if (path === '/live') return { json: fixture('exchangeratehost-live') };
    if (path === '/timeframe') {
      const quotes = fixture<{ quotes: Record<string, number> }>('exchangeratehost-historical').quotes;
      return { json: exchangerateHostTimeframe(query.get('start_date') ?? '', query.get('end_date') ?? '', () => quotes) };
    }
    const date = query.get('date') ?? '';
    return {
      json: { ...fixture<Record<string, unknown>>('exchangeratehost-historical'), date, timestamp: Date.parse(`${date}T23:59:59Z`) / 1000 },
    };
  },
  goldapi: ({ path }) => {
    const day = /^\/XAU\/USD\/(\d{4})(\d{2})(\d{2})$/.exec(path);
    if (!day) return { json: fixture('goldapi-latest') };
    // The LBMA price of the day asked for, fixed at 10:30 UTC.
    const fixedAt = `${day[1]}-${day[2]}-${day[3]}T10:30:00.000Z`;
    return { json: { ...fixture<Record<string, unknown>>('goldapi-historical'), date: fixedAt, timestamp: Date.parse(fixedAt) } };
  },
};

/** Frankfurter's time-series path, `/{from}..{to}`. */
export const SERIES_PATH = /^\/(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

/** The weekdays from `from` to `to`, both included. */
export function weekdaysBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`); day += 86_400_000) {
    const date = new Date(day);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) dates.push(date.toISOString().slice(0, 10));
  }
  return dates;
}

/**
 * Frankfurter's `/{from}..{to}` body: working days only, keyed by date; `ratesOn` gives a day's rates, or undefined
 * for a day the ECB did not publish (a TARGET holiday).
 */
export const frankfurterSeries = (from: string, to: string, ratesOn: (date: string) => Record<string, number> | undefined) => ({
  amount: 1,
  base: 'USD',
  start_date: from,
  end_date: to,
  rates: Object.fromEntries(weekdaysBetween(from, to).flatMap((date) => (ratesOn(date) ? [[date, ratesOn(date)]] : []))),
});

/** exchangerate.host's `/timeframe` body: `quotes` keyed by date, deliberately newest first (the API does not sort them). */
export const exchangerateHostTimeframe = (from: string, to: string, quotesOn: (date: string) => Record<string, number> | undefined) => ({
  success: true,
  timeframe: true,
  start_date: from,
  end_date: to,
  source: 'USD',
  quotes: Object.fromEntries(
    weekdaysBetween(from, to)
      .reverse()
      .flatMap((date) => (quotesOn(date) ? [[date, quotesOn(date)]] : [])),
  ),
});

const DRIP_INTERVAL_MS = 200;
const STREAM_CHUNK = Buffer.from(`{"base":"USD","rates":{${'"EUR":0.8512,'.repeat(5_000)}`);

/**
 * Local stand-ins for the three provider APIs on one loopback HTTP server. Each provider lives under
 * its own path prefix, answers as documented by default, and can be told to answer otherwise.
 * Start a second one as the "other host" a redirect points to: its `requests` say whether it was contacted.
 */
export async function startFakeProviders() {
  const handlers = { ...documentedAnswers };
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  /** Bytes of drip and stream bodies the server got onto the socket: how much a client let it send. */
  let bodyBytesWritten = 0;
  const written = (res: ServerResponse, bytes: Buffer) =>
    res.write(bytes, (error) => {
      if (!error) bodyBytesWritten += bytes.length;
    });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const provider = (Object.keys(PREFIX) as FakeProvider[]).find((p) => url.pathname.startsWith(PREFIX[p]));
    if (!provider) return void res.writeHead(404).end('{"message":"not found"}');
    const request = { provider, path: url.pathname.slice(PREFIX[provider].length), query: url.searchParams, headers: req.headers };
    requests.push(request);
    const answer = handlers[provider](request);
    if ('hang' in answer) return void hanging.add(res);
    if ('drop' in answer) return void req.socket.destroy();
    if ('reset' in answer) return void req.socket.resetAndDestroy();
    if ('redirect' in answer) return void res.writeHead(answer.status ?? 302, { location: answer.redirect }).end();
    if ('drip' in answer) {
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => written(res, Buffer.from(' ')), DRIP_INTERVAL_MS);
      written(res, Buffer.from('{'));
      return void res.on('close', () => clearInterval(drip));
    }
    if ('stream' in answer) {
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      return void streamBody(res, answer.stream, written);
    }
    const body = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serverSettings = () => ({
    // Each setup counts its goldapi requests in a ledger of its own: the suite shares one Azurite, and a shared
    // month row would reach the gold quota and skip goldapi in tests that never asked for it.
    FXGOLD_USAGE_TABLE_NAME: uniqueTableName('FxGoldUsage'),
    FRANKFURTER_BASE_URL: `${origin}${PREFIX.frankfurter}`,
    FRANKFURTER_V2_BASE_URL: `${origin}${PREFIX.frankfurterv2}`,
    EXCHANGERATE_HOST_BASE_URL: `${origin}${PREFIX.exchangeratehost}`,
    GOLDAPI_BASE_URL: `${origin}${PREFIX.goldapi}`,
  });

  return {
    requests,
    baseUrl: (provider: FakeProvider) => `${origin}${PREFIX[provider]}`,
    /**
     * Settings that point the app at this server, with the gold chain goldapi alone: the tests of goldapi's answers
     * and failures; `keylessSettings` keeps the default chain (goldapi skipped without a key, then Frankfurter v2).
     */
    settings: () => ({ FXGOLD_GOLD_PROVIDERS: 'goldapi', ...serverSettings() }),
    keylessSettings: () => serverSettings(),
    answer(provider: FakeProvider, handler: FakeHandler | FakeAnswer) {
      handlers[provider] = typeof handler === 'function' ? handler : () => handler;
    },
    bodyBytesWritten: () => bodyBytesWritten,
    reset() {
      Object.assign(handlers, documentedAnswers);
      requests.length = 0;
      bodyBytesWritten = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type FakeProviders = Awaited<ReturnType<typeof startFakeProviders>>;

/** Writes `total` bytes as fast as the client reads them (waiting on backpressure), and stops when it goes away. */
async function streamBody(res: ServerResponse, total: number, write: (res: ServerResponse, bytes: Buffer) => boolean) {
  for (let sent = 0; sent < total && !res.destroyed;) {
    const piece = STREAM_CHUNK.subarray(0, Math.min(STREAM_CHUNK.length, total - sent));
    sent += piece.length;
    if (!write(res, piece)) await drainedOrClosed(res);
  }
  if (!res.destroyed) res.end();
}

const drainedOrClosed = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
