import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './fixtures.js';

export type FakeProvider = 'frankfurter' | 'exchangeratehost' | 'goldapi';

export interface RecordedRequest {
  readonly provider: FakeProvider;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingMessage['headers'];
}

/** What the fake answers: JSON or raw text with a status, a request that never answers, or a dropped connection. */
export type FakeAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; text: string; headers?: Record<string, string> }
  | { hang: true }
  | { drop: true };

export type FakeHandler = (request: RecordedRequest) => FakeAnswer;

const PREFIX: Record<FakeProvider, string> = { frankfurter: '/frankfurter/v1', exchangeratehost: '/exchangeratehost', goldapi: '/goldapi/api' };

/** The documented happy answers, following the date asked for the way each provider does. */
export const documentedAnswers: Record<FakeProvider, FakeHandler> = {
  frankfurter: ({ path }) => {
    const body = fixture('frankfurter-latest');
    const date = path.slice(1);
    return { json: date === 'latest' ? body : { ...body, date } };
  },
  exchangeratehost: ({ path }) => ({ json: fixture(path === '/live' ? 'exchangeratehost-live' : 'exchangeratehost-historical') }),
  goldapi: ({ path }) => ({ json: fixture(/^\/XAU\/USD\/\d{8}$/.test(path) ? 'goldapi-historical' : 'goldapi-latest') }),
};

/**
 * Local stand-ins for the three provider APIs on one loopback HTTP server. Each provider lives under
 * its own path prefix, answers as documented by default, and can be told to answer otherwise.
 */
export async function startFakeProviders() {
  const handlers = { ...documentedAnswers };
  const requests: RecordedRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const provider = (Object.keys(PREFIX) as FakeProvider[]).find((p) => url.pathname.startsWith(PREFIX[p]));
    if (!provider) return void res.writeHead(404).end('{"message":"not found"}');
    const request = { provider, path: url.pathname.slice(PREFIX[provider].length), query: url.searchParams, headers: req.headers };
    requests.push(request);
    const answer = handlers[provider](request);
    if ('hang' in answer) return void hanging.add(res);
    if ('drop' in answer) return void req.socket.destroy();
    const body = 'json' in answer ? JSON.stringify(answer.json) : answer.text;
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    requests,
    baseUrl: (provider: FakeProvider) => `${origin}${PREFIX[provider]}`,
    /** Settings that point the app at this server. */
    settings: () => ({
      FRANKFURTER_BASE_URL: `${origin}${PREFIX.frankfurter}`,
      EXCHANGERATE_HOST_BASE_URL: `${origin}${PREFIX.exchangeratehost}`,
      GOLDAPI_BASE_URL: `${origin}${PREFIX.goldapi}`,
    }),
    answer(provider: FakeProvider, handler: FakeHandler | FakeAnswer) {
      handlers[provider] = typeof handler === 'function' ? handler : () => handler;
    },
    reset() {
      Object.assign(handlers, documentedAnswers);
      requests.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type FakeProviders = Awaited<ReturnType<typeof startFakeProviders>>;
