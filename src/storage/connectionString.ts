import { failure, success, type Result } from '../domain/result.js';

/**
 * A storage connection string read without the SDK, so settings can refuse a malformed one before anything runs
 * (the SDK's own parser fails on one with a TypeError) and the SDK can still be loaded lazily.
 */

/** Where a connection string sends rows and how requests are signed. */
export interface TableConnection {
  /** The table service URL: scheme, host, port and path only, never a credential or a query. */
  readonly endpoint: string;
  readonly credential:
    | { readonly kind: 'sharedKey'; readonly accountName: string; readonly accountKey: string }
    | { readonly kind: 'sas'; readonly signature: string };
}

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const DEVELOPMENT_ACCOUNT = {
  accountName: 'devstoreaccount1',
  accountKey: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;
const DEVELOPMENT_TABLE_PORT = 10002;

/** `UseDevelopmentStorage=true`: the local emulator (Azurite) on its default ports. */
export const isDevelopmentStorage = (connectionString: string): boolean => /UseDevelopmentStorage=true/i.test(connectionString);

const SHAPE =
  'is not a storage connection string: expected key=value pairs separated by ";" (UseDevelopmentStorage=true, or AccountName, AccountKey or SharedAccessSignature, and TableEndpoint or DefaultEndpointsProtocol)';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Accepts `UseDevelopmentStorage=true` (with an optional DevelopmentStorageProxyUri), or key=value pairs with
 * AccountName + AccountKey or a SharedAccessSignature, and a table endpoint: TableEndpoint, or
 * DefaultEndpointsProtocol with AccountName (and EndpointSuffix, default core.windows.net, as Azure's portal writes).
 * Keys are case-insensitive. A failure says what is wrong after the setting's name, never echoing any of the text.
 */
export function parseStorageConnectionString(text: string): Result<TableConnection, string> {
  const pairs = keyValuePairs(text);
  if (!pairs) return failure(SHAPE);
  const get = (key: string) => pairs.get(key.toLowerCase());

  const development = get('UseDevelopmentStorage');
  if (development !== undefined) {
    if (development.toLowerCase() !== 'true') return failure('has UseDevelopmentStorage set to something other than true');
    const proxy = get('DevelopmentStorageProxyUri');
    const proxyUrl = proxy === undefined ? undefined : httpUrl(proxy);
    if (proxy !== undefined && !proxyUrl) return failure('has a DevelopmentStorageProxyUri that is not an http(s) URL');
    const host = proxyUrl ? `${proxyUrl.protocol}//${proxyUrl.hostname}` : 'http://127.0.0.1';
    return success({
      endpoint: `${host}:${DEVELOPMENT_TABLE_PORT}/${DEVELOPMENT_ACCOUNT.accountName}`,
      credential: { kind: 'sharedKey', ...DEVELOPMENT_ACCOUNT },
    });
  }

  const accountName = get('AccountName');
  const accountKey = get('AccountKey');
  const signature = get('SharedAccessSignature')?.replace(/^\?/, '');
  let credential: TableConnection['credential'];
  if (accountKey !== undefined) {
    if (!accountName) return failure('has an AccountKey but no AccountName');
    if (!BASE64.test(accountKey)) return failure('has an AccountKey that is empty or not base64 (check it was copied whole)');
    credential = { kind: 'sharedKey', accountName, accountKey };
  } else if (signature) {
    credential = { kind: 'sas', signature };
  } else {
    return failure('has neither an AccountKey nor a SharedAccessSignature');
  }

  const endpoint = tableEndpoint(get('TableEndpoint'), get('DefaultEndpointsProtocol'), accountName, get('EndpointSuffix'));
  return endpoint.ok ? success({ endpoint: endpoint.value, credential }) : endpoint;
}

function tableEndpoint(
  explicit: string | undefined,
  protocol: string | undefined,
  accountName: string | undefined,
  suffix = 'core.windows.net',
): Result<string, string> {
  if (explicit !== undefined) {
    const url = httpUrl(explicit);
    // origin + path: a SAS pasted into the endpoint or user:password@ never reaches the printed location.
    return url ? success(`${url.origin}${url.pathname.replace(/\/+$/, '')}`) : failure('has a TableEndpoint that is not an http(s) URL');
  }
  if (protocol === undefined)
    return failure('has neither a TableEndpoint nor a DefaultEndpointsProtocol, so the table endpoint is unknown');
  if (!/^https?$/i.test(protocol)) return failure('has a DefaultEndpointsProtocol other than https or http');
  if (!accountName)
    return failure('has a DefaultEndpointsProtocol but no AccountName to build the table endpoint from (or give TableEndpoint)');
  const url = httpUrl(`${protocol.toLowerCase()}://${accountName}.table.${suffix}`);
  return url ? success(url.origin) : failure('has an AccountName or EndpointSuffix that does not make a table endpoint URL');
}

/** `key=value;...` with case-insensitive keys; values keep any `=` after the first (base64 keys, SAS tokens). */
function keyValuePairs(text: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  for (const segment of text
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')) {
    const equals = segment.indexOf('=');
    if (equals <= 0) return undefined;
    pairs.set(segment.slice(0, equals).trim().toLowerCase(), segment.slice(equals + 1).trim());
  }
  return pairs.size > 0 ? pairs : undefined;
}

function httpUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
