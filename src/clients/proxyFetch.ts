import { globalAgent as httpGlobalAgent } from 'node:http';
import { globalAgent as httpsGlobalAgent } from 'node:https';
import type { ProxyAgent } from 'proxy-agent';
import type { FetchLike } from './http.js';

/**
 * node-fetch that honours the proxy environment variables, which node-fetch alone ignores (desks often sit behind a
 * forward proxy). proxy-agent asks proxy-from-env for each request, so the variables are read when a request is made:
 * - `https://` URLs use `HTTPS_PROXY` (a CONNECT tunnel), `http://` URLs `HTTP_PROXY` (falling back to `ALL_PROXY`);
 *   the lower-case spelling wins over the upper-case one;
 * - `NO_PROXY` lists hosts that are reached directly: exact names (`127.0.0.1`, `localhost`), `.example.org` or
 *   `*.example.org` for a domain, `host:port` for one port, `*` for every host. No CIDR ranges, and no implicit
 *   exceptions: loopback (`127.0.0.1`, `localhost`) is sent to the proxy too unless NO_PROXY names it.
 * With no proxy variable set, requests go straight out on Node's global agents, exactly as before.
 * The proxy URL (it may carry credentials) never reaches a message: network failures are reported by their code only.
 * node-fetch and proxy-agent are imported on the first request, so loading a function that asks no provider (the
 * orchestrators, the status and read endpoints) does not load them.
 */
export const proxyFetch: FetchLike = async (url, init) => {
  const { nodeFetch, agent } = await (client ??= loadClient());
  return nodeFetch(url, { ...init, agent }) as unknown as ReturnType<FetchLike>;
};

let client: ReturnType<typeof loadClient> | undefined;

/** node-fetch and one agent for the process (it caches one agent per proxy). */
async function loadClient(): Promise<{ nodeFetch: typeof import('node-fetch').default; agent: ProxyAgent }> {
  const [{ default: nodeFetch }, { ProxyAgent }] = await Promise.all([import('node-fetch'), import('proxy-agent')]);
  return { nodeFetch, agent: new ProxyAgent({ httpAgent: httpGlobalAgent, httpsAgent: httpsGlobalAgent }) };
}
