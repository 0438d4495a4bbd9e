import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import azureFunctions, { type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { answeringFailures, jsonError, type EndpointLog } from '../http/responses.js';

// The library is CommonJS: under Node's ESM loader its classes are reachable through the default export only.
const { HttpRequest: FunctionsRequest, HttpResponse: FunctionsResponse } = azureFunctions;

/** One HTTP function as the app registers it: a route under /api, the methods it takes, its handler. */
export interface LocalRoute {
  readonly path: string;
  readonly methods: readonly string[];
  readonly handler: (request: HttpRequest) => Promise<HttpResponseInit>;
}

export interface LocalFunctionsServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

/**
 * Serves HTTP functions' handlers without the Functions host, turning node requests into the library's own
 * `HttpRequest` and each `HttpResponseInit` back through its `HttpResponse` (as the host does: `jsonBody` becomes
 * JSON with its content type). Whatever a handler throws is a JSON 500 with a correlation id, as in the app.
 * Loopback only: there is no function key check here, so nothing off this machine may reach it. It listens on
 * 127.0.0.1, and answers only a `Host` that names loopback with its port (else 421): a page on another site whose
 * name an attacker pointed at 127.0.0.1 (DNS rebinding) sends its own name and reads nothing. It reads no body past
 * MAX_LOCAL_BODY_BYTES (413).
 */
export async function startLocalFunctionsServer(
  routes: readonly LocalRoute[],
  options: { port: number; secrets: readonly string[]; log: EndpointLog },
): Promise<LocalFunctionsServer> {
  const server = createServer((request, response) => {
    void answer(request, origin, routes, options).then(
      (init) => send(response, init),
      (error: unknown) => response.destroy(error as Error),
    );
  });
  let origin = '';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(
  incoming: IncomingMessage,
  origin: string,
  routes: readonly LocalRoute[],
  options: { secrets: readonly string[]; log: EndpointLog },
): Promise<HttpResponseInit> {
  if (!isLoopbackHost(incoming.headers.host, new URL(origin).port))
    return jsonError(421, 'this local server answers only http://127.0.0.1, http://localhost or http://[::1] with its port');
  // The server's own origin, not the client's Host header: a handler that builds links gets this server's address.
  const url = new URL(incoming.url ?? '/', origin);
  const route = routes.find((r) => r.path === url.pathname);
  if (!route) return jsonError(404, `no endpoint at ${url.pathname}; try ${routes.map((r) => r.path).join(', ')}`);
  const method = incoming.method ?? 'GET';
  if (!route.methods.includes(method))
    return { ...jsonError(405, `${url.pathname} takes ${route.methods.join(', ')}`), headers: { allow: route.methods.join(', ') } };
  const body = await readBody(incoming);
  if (body === undefined)
    return { ...jsonError(413, `request body is larger than ${MAX_LOCAL_BODY_BYTES / 1024} KiB`), headers: { connection: 'close' } };
  const headers = Object.fromEntries(
    Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
  );
  const request = new FunctionsRequest({ method, url: url.href, headers, ...(body.length > 0 ? { body: { bytes: body } } : {}) });
  return answeringFailures(options.secrets, options.log, () => route.handler(request));
}

/** The most of a request body this server keeps: its endpoints take none, or a few hundred bytes. */
export const MAX_LOCAL_BODY_BYTES = 16 * 1024;

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `Host` is a loopback name and this server's port (a browser always sends a port that is not 80). */
function isLoopbackHost(host: string | undefined, port: string): boolean {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(host ?? '');
  return match !== null && LOOPBACK_NAMES.has(match[1]!.toLowerCase()) && match[2] === port;
}

/** The body, or undefined once it passes MAX_LOCAL_BODY_BYTES (the rest is discarded as it arrives, never kept). */
async function readBody(incoming: IncomingMessage): Promise<Buffer | undefined> {
  if (Number(incoming.headers['content-length'] ?? 0) > MAX_LOCAL_BODY_BYTES) {
    incoming.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOCAL_BODY_BYTES) {
      incoming.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function send(response: ServerResponse, init: HttpResponseInit): Promise<void> {
  const converted = new FunctionsResponse(init);
  response.writeHead(converted.status, Object.fromEntries(converted.headers));
  response.end(Buffer.from(await converted.arrayBuffer()));
}
