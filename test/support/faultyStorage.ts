import { createServer, request as forward, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEVELOPMENT_ACCOUNT } from '../../src/storage/connectionString.js';

/** What a misbehaving Table Storage endpoint does to the requests it picks. */
export const STORAGE_FAULTS = [
  'hang',
  'drip',
  'refused',
  'reset',
  '5xx',
  '429',
  'redirect',
  'oversized',
  'hostile text',
  'malformed',
  'schema-invalid',
  'bad key',
] as const;
export type StorageFault = (typeof STORAGE_FAULTS)[number];

export interface FaultyStorageOptions {
  /** The real table service to pass the other requests to, e.g. Azurite's `http://127.0.0.1:<port>`. */
  readonly target: string;
  readonly fault: StorageFault;
  /** Which requests get the fault; the others go to `target` untouched. */
  readonly picks: (request: { readonly method: string; readonly path: string }) => boolean;
  /** The text of the hostile answer (escapes, forged lines, echoed secrets, length). */
  readonly hostileText: string;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly faulted: boolean;
}

const DRIP_INTERVAL_MS = 50;
/**
 * The oversized answer: far more than any error body or a week of rows, at about 8 MB/s, so that it outlasts a
 * storage budget of a few seconds. (Sent at full loopback speed it arrives whole within the budget, and the SDK,
 * which has no size cap, then spends many seconds of CPU parsing it: the budget no longer bounds the call.)
 */
const OVERSIZED_BYTES = 64 * 1024 * 1024;
const OVERSIZED_PACE_MS = 2;

const odataError = (code: unknown, message: unknown) => JSON.stringify({ 'odata.error': { code, message } });

/**
 * A Table Storage endpoint on loopback that passes requests through to a real table service (Azurite), except those
 * `picks` chooses, which get `fault`: never answered, a dripping body, the listener closed (so the SDK's retries are
 * refused), a TCP reset, 503 / 429 (Retry-After an hour), a same-origin 307 (the SDK's own policy would follow it)
 * whose target counts visits, a body of 64 MB, a hostile error, a truncated body, a well-formed but wrong-shaped
 * body, or the request's signature spoiled so that the real service refuses it (a wrong key).
 */
export async function startFaultyStorage({ target, fault, picks, hostileText }: FaultyStorageOptions) {
  const seen: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const held = new Set<ServerResponse>();
  let redirectVisits = 0;

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (path.startsWith('/elsewhere')) {
      redirectVisits++;
      return void res.writeHead(204).end();
    }
    const faulted = picks({ method, path });
    seen.push({ method, path, faulted });
    if (!faulted) return passThrough(req, res);
    answerWithFault(req, res);
  });

  function passThrough(req: IncomingMessage, res: ServerResponse, headers = req.headers) {
    const upstream = forward(`${target}${req.url ?? '/'}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  function answerWithFault(req: IncomingMessage, res: ServerResponse) {
    const reading = req.method === 'GET';
    const json = (status: number, body: string, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json;odata=minimalmetadata', ...headers }).end(body);
    switch (fault) {
      case 'hang':
        held.add(res);
        return;
      case 'drip': {
        held.add(res);
        res.writeHead(reading ? 200 : 201, { 'content-type': 'application/json;odata=minimalmetadata' });
        const drip = setInterval(() => res.write(' '), DRIP_INTERVAL_MS);
        res.write('{');
        res.once('close', () => clearInterval(drip));
        return;
      }
      case 'refused':
        // From now on nothing listens: the SDK's retries meet a closed port.
        server.close();
        for (const socket of sockets) socket.destroy();
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case '5xx':
        return json(503, odataError('ServerBusy', { lang: 'en-US', value: 'The server is busy.' }), { 'x-ms-error-code': 'ServerBusy' });
      case '429':
        return json(429, odataError('TooManyRequests', { lang: 'en-US', value: 'Too many requests.' }), {
          'x-ms-error-code': 'TooManyRequests',
          'retry-after': '3600',
        });
      case 'redirect':
        return void res
          .writeHead(307, { location: `/elsewhere${req.url ?? '/'}${req.url?.includes('?') ? '&' : '?'}sig=redirect-secret-sig` })
          .end();
      case 'oversized':
        held.add(res);
        res.writeHead(reading ? 200 : 500, { 'content-type': 'application/json;odata=minimalmetadata' });
        return void streamEndless(res, reading);
      case 'hostile text': {
        const message = { lang: 'en-US', value: hostileText };
        return json(400, odataError(hostileText.slice(0, 2_000), message), {
          'x-ms-error-code': hostileText.slice(0, 200).replace(/[^\x20-\x7e]/g, '?'),
        });
      }
      case 'malformed':
        return json(
          reading ? 200 : 400,
          reading ? '{"odata.metadata":"x","value":[{"PartitionKey":"USD","RowKey":' : '<?xml version="1.0"?><error><Code>Bro',
        );
      case 'schema-invalid':
        // A listing whose row has the wrong types; an error document whose code and message are not text.
        return reading
          ? json(
              200,
              JSON.stringify({
                value: [{ PartitionKey: 'USD', RowKey: '2025-07-04', GoldPrice: 'three thousand', Rate_EUR: { nested: true } }],
              }),
            )
          : json(400, odataError({ nested: ['code'] }, [{ lang: 42 }]));
      case 'bad key':
        // Signed with a key the real service does not know: it refuses the request itself.
        return passThrough(req, res, {
          ...req.headers,
          authorization: `SharedKey ${DEVELOPMENT_ACCOUNT.accountName}:${Buffer.from('not-the-signature-of-this-request').toString('base64')}`,
        });
    }
  }

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    /** The table service URL, as a TableEndpoint. */
    endpoint: `http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.accountName}`,
    seen,
    redirectVisits: () => redirectVisits,
    async close() {
      for (const res of held) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type FaultyStorage = Awaited<ReturnType<typeof startFaultyStorage>>;

/** A development-account connection string for a table endpoint, with another account key when given. */
export const storageConnection = (tableEndpoint: string, accountKey: string = DEVELOPMENT_ACCOUNT.accountKey): string =>
  `DefaultEndpointsProtocol=http;AccountName=${DEVELOPMENT_ACCOUNT.accountName};AccountKey=${accountKey};TableEndpoint=${tableEndpoint}`;

/** A body of OVERSIZED_BYTES at a steady pace: a listing of plausible rows for a read, filler for an error; stops when the client leaves. */
async function streamEndless(res: ServerResponse, reading: boolean) {
  const head = reading ? '{"odata.metadata":"x","value":[' : '{"odata.error":{"code":"InternalError","message":{"lang":"en-US","value":"';
  const piece = Buffer.from(reading ? '{"PartitionKey":"USD","RowKey":"2025-07-04","GoldPrice":3000.5},'.repeat(256) : 'x'.repeat(16_384));
  res.write(head);
  for (let sent = 0; sent < OVERSIZED_BYTES && !res.destroyed; sent += piece.length) {
    if (!res.write(piece)) await drainedOrClosed(res);
    await new Promise((resolve) => setTimeout(resolve, OVERSIZED_PACE_MS));
  }
  if (!res.destroyed) res.end(reading ? '{}]}' : '"}}}');
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Waits for room in the socket's buffer, or for the client to leave; either way the other listener goes too. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}
