import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LOCAL_BODY_BYTES, startLocalFunctionsServer, type LocalFunctionsServer } from '../../src/devtools/localFunctionsServer.js';

/** The server `npm run dashboard` runs, with one route that answers the size of what it was sent. */
let server: LocalFunctionsServer;
const received: number[] = [];
beforeAll(async () => {
  server = await startLocalFunctionsServer(
    [
      {
        path: '/api/echo',
        methods: ['GET', 'POST'],
        handler: async (request) => {
          const bytes = (await request.text()).length;
          received.push(bytes);
          return { jsonBody: { bytes } };
        },
      },
    ],
    { port: 0, secrets: [], log: { warn: () => undefined, error: () => undefined } },
  );
});
afterAll(() => server.close());

/** A raw request, so the Host header is the one given (fetch would set its own). */
const send = (options: { host: string; method?: string; body?: Buffer; chunked?: boolean }) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const url = new URL('/api/echo', server.origin);
    const req = httpRequest(
      {
        hostname: '127.0.0.1',
        port: url.port,
        path: url.pathname,
        method: options.method ?? 'GET',
        headers: {
          host: options.host,
          ...(options.body === undefined
            ? {}
            : options.chunked
              ? { 'transfer-encoding': 'chunked' }
              : { 'content-length': String(options.body.length) }),
        },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });

describe('the local functions server (npm run dashboard)', () => {
  it('answers a Host that names loopback with its port', async () => {
    const port = new URL(server.origin).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect((await send({ host })).status, host).toBe(200);
    }
  });

  it('answers 421 JSON to any other Host (DNS rebinding), without calling the handler', async () => {
    const port = new URL(server.origin).port;
    const before = received.length;
    for (const host of ['attacker.example', `attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, '127.0.0.1', `127.0.0.1:1`]) {
      const answer = await send({ host });
      expect(answer.status, host).toBe(421);
      expect(JSON.parse(answer.body)).toEqual({ error: expect.stringContaining('answers only http://127.0.0.1') as unknown });
    }
    expect(received.length).toBe(before);
  });

  it('answers 413 JSON to a body over 16 KiB (even on a GET), and reads one up to the cap', async () => {
    const host = new URL(server.origin).host;
    for (const big of [
      await send({ host, method: 'GET', body: Buffer.alloc(50 * 1024 * 1024, 'x') }),
      await send({ host, method: 'POST', body: Buffer.alloc(50 * 1024 * 1024, 'x'), chunked: true }),
    ]) {
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body)).toEqual({ error: 'request body is larger than 16 KiB' });
    }
    expect(JSON.parse((await send({ host, method: 'POST', body: Buffer.alloc(MAX_LOCAL_BODY_BYTES, 'x') })).body)).toEqual({
      bytes: MAX_LOCAL_BODY_BYTES,
    });
  });
});
