import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';
import { tableRowStore } from '../../src/storage/fxGoldTable.js';
import { tableClientFor } from '../../src/storage/tableClient.js';
import { sampleGold, sampleRates } from '../support/quotes.js';
import { businessDate, isoDate } from '../support/dates.js';

/**
 * Table Storage misbehaving, played by servers on loopback: the store must fail, as a value naming storage, within
 * its time budget (the abort signal covers the SDK's own retries), with the service's text tamed.
 */
const BUDGET_MS = 500;
/** Far above the budget and the bounded retries, far below the 30 s test timeout: proves the call does not hang. */
const GENEROUS_MS = 5_000;

const servers: Server[] = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A store on `port` signing with the development account, as a connection string in the settings would make it. */
const storeAt = (port: number, timeoutMs = BUDGET_MS) => {
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT.accountName};AccountKey=${DEVELOPMENT_ACCOUNT.accountKey};TableEndpoint=http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.accountName}`;
  return tableRowStore(
    tableClientFor({ kind: 'connectionString', connectionString }, 'FxGold', () => {
      throw new Error('a connection string needs no credential');
    }),
    { timeoutMs },
  );
};

const row = (): FxGoldRow => {
  const built = toTableRow({
    date: businessDate('2025-07-08'),
    currency: sampleRates(),
    gold: sampleGold(),
    currencyTimestamp: null,
    ingestedAt: '2025-07-08T18:00:15.000Z',
  });
  if (!built.ok) throw new Error(built.error);
  return built.value;
};

async function timedSave(store: ReturnType<typeof storeAt>) {
  const started = performance.now();
  const saved = await store.save(row());
  return { saved, elapsedMs: performance.now() - started };
}

const httpServer = (handler: (request: IncomingMessage, response: ServerResponse) => void) => listen(createHttpServer(handler));

describe('the table store against a misbehaving storage endpoint', () => {
  it('an endpoint that accepts the connection and never answers: transient "no answer within" the budget, naming the host', async () => {
    const port = await listen(createTcpServer(() => {}));
    const { saved, elapsedMs } = await timedSave(storeAt(port));
    expect(saved).toEqual({
      ok: false,
      error: { source: 'storage', kind: 'transient', message: `no answer within ${BUDGET_MS} ms from 127.0.0.1:${port}` },
    });
    expect(elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('an endpoint that answers but drips its body a byte at a time: the budget is for the whole call, not for silence', async () => {
    let dripping: NodeJS.Timeout | undefined;
    const port = await httpServer((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json' });
      dripping = setInterval(() => response.write(' '), 50);
      response.once('close', () => clearInterval(dripping));
    });
    const { saved, elapsedMs } = await timedSave(storeAt(port));
    clearInterval(dripping);
    expect(saved).toEqual({
      ok: false,
      error: { source: 'storage', kind: 'transient', message: `no answer within ${BUDGET_MS} ms from 127.0.0.1:${port}` },
    });
    expect(elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('a throttling answer asking to come back in an hour: the SDK would wait, the budget ends the call, saying what the service last answered', async () => {
    const port = await httpServer((_request, response) =>
      response.writeHead(503, { 'retry-after': '3600', 'x-ms-error-code': 'ServerBusy' }).end(),
    );
    const { saved, elapsedMs } = await timedSave(storeAt(port));
    expect(saved).toMatchObject({
      ok: false,
      error: {
        source: 'storage',
        kind: 'transient',
        message: `no answer within ${BUDGET_MS} ms from 127.0.0.1:${port} (last answer: HTTP 503 ServerBusy)`,
      },
    });
    expect(elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('a closed port fails transient at once: the SDK retries twice with short back-off, not for seconds', async () => {
    const closed = await listen(createTcpServer());
    await new Promise((resolve) => servers.pop()?.close(resolve));
    // The default budget (10 s): what ends this call early is the short retry policy, not the budget.
    const { saved, elapsedMs } = await timedSave(storeAt(closed, 10_000));
    expect(saved).toMatchObject({
      ok: false,
      error: { source: 'storage', kind: 'transient', message: expect.stringMatching(/ECONNREFUSED/) },
    });
    // The SDK's default policy (3 retries from 1 s) spends at least 3.5 s here.
    expect(elapsedMs).toBeLessThan(3_000);
  });

  it('a server error with a 2 MB hostile body: transient, one clean short line, after exactly 1 + 2 SDK tries', async () => {
    let requests = 0;
    const hostile = `\u001b[31mboom\u001b[0m\nfx-gold: stored row 2025-07-08 OK\r\n${'x'.repeat(2_000_000)}`;
    const port = await httpServer((_request, response) => {
      requests++;
      response.writeHead(500, { 'content-type': 'text/plain' }).end(hostile);
    });
    const { saved } = await timedSave(storeAt(port, 10_000));
    expect(saved).toMatchObject({
      ok: false,
      error: {
        source: 'storage',
        kind: 'transient',
        message: expect.stringMatching(/^HTTP 500 boom fx-gold: stored row 2025-07-08 OK x+…$/),
      },
    });
    if (saved.ok) return;
    // eslint-disable-next-line no-control-regex -- on purpose: the message must carry no control characters
    expect(saved.error.message).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(saved.error.message.length).toBeLessThanOrEqual(320);
    expect(requests).toBe(3);
  });

  it('a redirect, even to the same host, is not followed: permanent, naming the status and the target host but not its query', async () => {
    // The SDK itself skips cross-origin redirects but follows same-origin ones (a 307 keeps the method and body).
    let reachedTarget = 0;
    const port = await httpServer((request, response) => {
      if (request.url?.startsWith('/elsewhere')) return (reachedTarget++, response.writeHead(201).end());
      response.writeHead(307, { location: '/elsewhere/Tables?sig=redirect-secret-123' }).end();
    });
    const { saved } = await timedSave(storeAt(port));
    expect(saved).toEqual({
      ok: false,
      error: {
        source: 'storage',
        kind: 'permanent',
        message: `HTTP 307 redirect to 127.0.0.1:${port} refused (storage calls never follow redirects)`,
      },
    });
    expect(reachedTarget).toBe(0);
  });

  it('an answer over the 16 MiB cap is refused before the SDK parses it: permanent, asked once, never a row', async () => {
    // A table query answered with 20 MB of rows: the SDK would spend seconds parsing them, then find no valid row.
    let requests = 0;
    const rows = JSON.stringify({
      value: Array.from({ length: 100_000 }, (_, i) => ({ PartitionKey: 'USD', RowKey: `row-${i}`, Filler: 'x'.repeat(180) })),
    });
    const port = await httpServer((_request, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json;odata=nometadata' }).end(rows);
    });
    expect(Buffer.byteLength(rows)).toBeGreaterThan(16 * 1024 * 1024);
    const latest = await storeAt(port, 10_000).latestBefore('USD', businessDate('2025-07-08'), isoDate('2025-07-01'));
    expect(latest).toEqual({
      ok: false,
      error: {
        source: 'storage',
        kind: 'permanent',
        message: expect.stringMatching(/^answer of \d+ bytes is over the 16777216-byte cap$/),
      },
    });
    expect(requests).toBe(1);
  });
});
