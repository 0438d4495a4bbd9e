import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';

/** What the proxy was asked: a plain-HTTP forward (absolute URL) or a CONNECT tunnel (host:port). */
export interface ProxiedRequest {
  readonly method: string;
  /** `http://host:port/path?query` for a forward, `host:port` for a CONNECT. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A tiny forward proxy on loopback, as a desk's proxy behaves: it forwards plain-HTTP requests sent to it in absolute
 * form (`GET http://host/path`, what HTTP_PROXY means for an http:// URL) and opens CONNECT tunnels (what HTTPS_PROXY
 * means for an https:// URL). Every request is recorded, so a test can tell proxied from direct.
 * `tunnelTo` chooses where a CONNECT really goes (a test has no route to the real provider hosts); by default the
 * host and port asked for.
 */
export async function startForwardProxy(
  tunnelTo: (host: string, port: number) => { host: string; port: number } = (host, port) => ({ host, port }),
) {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  server.on('connect', (req, client: Socket, head: Buffer) => {
    requests.push({ method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    const [host = '', port = '443'] = (req.url ?? '').split(':');
    const where = tunnelTo(host, Number(port));
    const upstream = connect(where.port, where.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => sockets.delete(socket));
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
export type ForwardProxy = Awaited<ReturnType<typeof startForwardProxy>>;

/**
 * A TCP listener standing in for a TLS provider host behind a CONNECT tunnel: it keeps the first bytes the client
 * sends (a TLS ClientHello, which names the host in clear) and hangs up, so the client's request fails at once.
 */
export async function startTlsSink() {
  const received: Buffer[] = [];
  const open = new Set<Socket>();
  const server = createTcpServer((socket) => {
    open.add(socket);
    socket.once('data', (bytes: Buffer) => {
      received.push(bytes);
      socket.destroy();
    });
    socket.on('error', () => {});
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
