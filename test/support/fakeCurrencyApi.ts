import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './fixtures.js';

/** The two places currency-api is published: jsDelivr, and its Cloudflare Pages mirror. */
export type CurrencyApiMirror = 'jsdelivr' | 'pages';
const MIRRORS: readonly CurrencyApiMirror[] = ['jsdelivr', 'pages'];

/** Each mirror's path with `{date}` and `{base}`; on loopback the pages.dev `{date}.` subdomain becomes a path segment. */
const PATH_TEMPLATES: Record<CurrencyApiMirror, string> = {
  jsdelivr: '/npm/@fawazahmed0/currency-api@{date}/v1/currencies/{base}.json',
  pages: '/{date}/v1/currencies/{base}.json',
};
/** The same paths, read back: date then base. */
const PATH_PATTERNS: Record<CurrencyApiMirror, RegExp> = {
  jsdelivr: /^\/npm\/@fawazahmed0\/currency-api@([^/]+)\/v1\/currencies\/([^/]+)\.json$/,
  pages: /^\/([^/]+)\/v1\/currencies\/([^/]+)\.json$/,
};

/** The first day file the fake has; the real history starts "about 2024-03". */
const FIRST_DAY = '2024-03-02';

export interface CurrencyApiRequest {
  readonly mirror: CurrencyApiMirror;
  readonly path: string;
}

export type CurrencyApiAnswer = { status?: number; json: unknown } | { status?: number; text: string } | { drop: true };
export type CurrencyApiHandler = (request: CurrencyApiRequest) => CurrencyApiAnswer;

const notFound = (what: string): CurrencyApiAnswer => ({ status: 404, text: `Couldn't find the requested file ${what}.` });

/** What both mirrors publish: the USD file for `latest` and for every day since FIRST_DAY, 404 for anything else. */
export const publishedFiles: CurrencyApiHandler = ({ mirror, path }) => {
  const [, date, base] = PATH_PATTERNS[mirror].exec(path) ?? [];
  if (date === undefined || base !== 'usd') return notFound(path);
  if (date === 'latest') return { json: fixture('currencyapi-latest') };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < FIRST_DAY) return notFound(path);
  return { json: { ...fixture('currencyapi-historical'), date } };
};

/**
 * Local stand-ins for currency-api's two mirrors, each its own loopback server (so each has its own host in
 * messages), publishing as documented by default and told to answer otherwise per mirror.
 */
export async function startFakeCurrencyApi() {
  const handlers: Record<CurrencyApiMirror, CurrencyApiHandler> = { jsdelivr: publishedFiles, pages: publishedFiles };
  const requests: CurrencyApiRequest[] = [];

  const start = async (mirror: CurrencyApiMirror): Promise<Server> => {
    const server = createServer((req, res) => {
      const request = { mirror, path: new URL(req.url ?? '/', 'http://fake').pathname };
      requests.push(request);
      const answer = handlers[mirror](request);
      if ('drop' in answer) return void req.socket.destroy();
      const body = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
      res.writeHead(answer.status ?? 200, { 'content-type': 'json' in answer ? 'application/json' : 'text/plain' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const servers = { jsdelivr: await start('jsdelivr'), pages: await start('pages') };
  const host = (mirror: CurrencyApiMirror) => `127.0.0.1:${(servers[mirror].address() as AddressInfo).port}`;
  const urlTemplates = MIRRORS.map((mirror) => `http://${host(mirror)}${PATH_TEMPLATES[mirror]}`);

  return {
    requests,
    /** jsDelivr first, then pages: the order of the production default. */
    urlTemplates,
    host,
    /** Settings that point the app at these mirrors. */
    settings: () => ({ CURRENCYAPI_URLS: urlTemplates.join(',') }),
    answer(mirror: CurrencyApiMirror, handler: CurrencyApiHandler | CurrencyApiAnswer) {
      handlers[mirror] = typeof handler === 'function' ? handler : () => handler;
    },
    reset() {
      Object.assign(handlers, { jsdelivr: publishedFiles, pages: publishedFiles });
      requests.length = 0;
    },
    async close() {
      for (const server of Object.values(servers)) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}
export type FakeCurrencyApi = Awaited<ReturnType<typeof startFakeCurrencyApi>>;
