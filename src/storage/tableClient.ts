import type { TableClient, TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { cleanUpstreamText } from '../domain/failureText.js';
import { parseStorageConnectionString, type TableConnection } from './connectionString.js';
import type { BudgetedClient } from './storageBudget.js';
import { STORAGE_MAX_RESPONSE_BYTES, STORAGE_RETRY_OPTIONS } from './storagePolicy.js';

/** Where rows go, as storage sees it: a connection string, or a table endpoint reached with a token credential. */
export type StorageTarget =
  { readonly kind: 'connectionString'; readonly connectionString: string } | { readonly kind: 'tableServiceUri'; readonly uri: string };

/** The TableClient members the stores use (fxGoldTable.ts, fxGoldRowReader.ts, usageLedger.ts). */
export type StoreTableClient = Pick<
  TableClient,
  | 'url'
  | 'tableName'
  | 'createTable'
  | 'createEntity'
  | 'upsertEntity'
  | 'updateEntity'
  | 'submitTransaction'
  | 'getEntity'
  | 'listEntities'
> &
  BudgetedClient;

/**
 * A client for the configured storage: a connection string (Azurite's `UseDevelopmentStorage=true` included), or a
 * table endpoint with a token credential (managed identity in Azure). Retries are short and bounded
 * (storagePolicy.ts) and redirects are never followed: a signed request goes only where the settings say.
 *
 * The storage SDK (and the identity library, for an endpoint) is imported on the first call, not here: building the
 * app's dependencies, or loading a function that never touches a table (the orchestrators, the run status endpoints),
 * must not pay for loading it. `url` and `tableName` are known without it.
 */
export function tableClientFor(
  target: StorageTarget,
  tableName: string,
  credential: () => TokenCredential | Promise<TokenCredential>,
): StoreTableClient {
  // Parsed now, so a malformed connection string fails here, as it did when this built the SDK's client at once.
  const url = target.kind === 'tableServiceUri' ? target.uri : connectionOf(target.connectionString).endpoint;
  let client: Promise<TableClient> | undefined;
  let last: { readonly answer: string; readonly at: number } | undefined;
  const record = (answer: string) => (last = { answer, at: Date.now() });
  // A failed import or credential is not kept: the next call tries again.
  const sdkClient = () =>
    (client ??= sdkTableClient(target, tableName, credential, record).catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
  // Each method forwards its arguments unchanged to the same method of the SDK's client once it exists.
  const forward = <K extends Exclude<keyof StoreTableClient, 'url' | 'tableName' | 'listEntities' | 'lastAnswer'>>(method: K) =>
    (async (...args: unknown[]) => {
      const sdk = await sdkClient();
      return (sdk[method] as (...a: unknown[]) => unknown).apply(sdk, args);
    }) as StoreTableClient[K];
  return {
    url,
    tableName,
    lastAnswer: (since) => (last && last.at >= since ? last.answer : undefined),
    createTable: forward('createTable'),
    createEntity: forward('createEntity'),
    upsertEntity: forward('upsertEntity'),
    updateEntity: forward('updateEntity'),
    submitTransaction: forward('submitTransaction'),
    getEntity: forward('getEntity'),
    // The SDK answers a paged iterator synchronously; this one opens the SDK's when first read.
    listEntities: ((options?: unknown) =>
      lazyPages(async () => (await sdkClient()).listEntities(options as never))) as StoreTableClient['listEntities'],
  };
}

/**
 * The app's token credential, for a table endpoint: DefaultAzureCredential, which reads AZURE_CLIENT_ID (the
 * user-assigned managed identity in Azure). The identity library is imported when a credential is first needed.
 */
export async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

function connectionOf(connectionString: string): TableConnection {
  const connection = parseStorageConnectionString(connectionString);
  // Settings refuse a malformed connection string, so this is a caller that skipped them.
  if (!connection.ok) throw new Error(`the storage connection string ${connection.error}`);
  return connection.value;
}

/** The SDK's own TableClient for the target, as tableClientFor's calls use it (tests reach its pipeline). */
export async function sdkTableClient(
  target: StorageTarget,
  tableName: string,
  credential: () => TokenCredential | Promise<TokenCredential>,
  record: (answer: string) => void = () => {},
): Promise<TableClient> {
  const { AzureNamedKeyCredential, AzureSASCredential, TableClient } = await import('@azure/data-tables');
  const options: TableServiceClientOptions = {
    retryOptions: STORAGE_RETRY_OPTIONS,
    redirectOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: answerPolicy(STORAGE_MAX_RESPONSE_BYTES, record), position: 'perRetry' }],
  };
  if (target.kind === 'tableServiceUri') return new TableClient(target.uri, tableName, await credential(), options);

  const { endpoint, credential: signing } = connectionOf(target.connectionString);
  const clientOptions = { ...options, allowInsecureConnection: endpoint.startsWith('http:') };
  return signing.kind === 'sharedKey'
    ? new TableClient(endpoint, tableName, new AzureNamedKeyCredential(signing.accountName, signing.accountKey), clientOptions)
    : new TableClient(endpoint, tableName, new AzureSASCredential(signing.signature), clientOptions);
}

type Pages = ReturnType<TableClient['listEntities']>;

/** A paged iterator (items with `for await`, or `byPage`) over the one `open` answers, opened when first read. */
function lazyPages(open: () => Promise<Pages>): Pages {
  let opened: Promise<Pages> | undefined;
  const pages: Pages = {
    next: async () => (await (opened ??= open())).next(),
    [Symbol.asyncIterator]: () => pages,
    byPage: (settings) =>
      (async function* () {
        yield* (await open()).byPage(settings);
      })(),
  };
  return pages;
}

/** A policy of the SDK's request pipeline, named through the client options (its package is the SDK's own dependency). */
type PipelinePolicy = NonNullable<TableServiceClientOptions['additionalPolicies']>[number]['policy'];

/**
 * Next to the transport, once per try: records what the service answered (its status and error code, or the network
 * error), so a budget that runs out during the SDK's retries can still say why; and refuses an answer over `maxBytes`
 * before the SDK parses it. What it throws has no network code, so the SDK does not retry it and the store reports it
 * as permanent.
 */
function answerPolicy(maxBytes: number, record: (answer: string) => void): PipelinePolicy {
  return {
    name: 'fxGoldAnswerPolicy',
    async sendRequest(request, next) {
      let response;
      try {
        response = await next(request);
      } catch (error) {
        // Network errors only (ECONNRESET, ETIMEDOUT...): an abort or a half-read body says nothing about the service.
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) record(code);
        throw error;
      }
      record(`HTTP ${response.status}${errorCodeOf(response.headers.get('x-ms-error-code'))}`);
      const size = Buffer.byteLength(response.bodyAsText ?? '');
      if (size > maxBytes)
        throw Object.assign(new Error(`answer of ${size} bytes is over the ${maxBytes}-byte cap`), { name: 'ResponseTooLarge' });
      return response;
    },
  };
}

const errorCodeOf = (header: string | undefined): string => (header ? ` ${cleanUpstreamText(header, 60)}` : '');
