import { AzureNamedKeyCredential, AzureSASCredential, TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { parseStorageConnectionString } from './connectionString.js';
import { STORAGE_RETRY_OPTIONS } from './storagePolicy.js';

/** Where rows go, as storage sees it: a connection string, or a table endpoint reached with a token credential. */
export type StorageTarget = { readonly kind: 'connectionString'; readonly connectionString: string } | { readonly kind: 'tableServiceUri'; readonly uri: string };

/**
 * A TableClient for the configured storage: a connection string (Azurite's `UseDevelopmentStorage=true` included),
 * or a table endpoint with a token credential (managed identity in Azure). Retries are short and bounded
 * (storagePolicy.ts) and redirects are never followed: a signed request goes only where the settings say.
 */
export function tableClientFor(target: StorageTarget, tableName: string, credential: () => TokenCredential): TableClient {
  const options: TableServiceClientOptions = { retryOptions: STORAGE_RETRY_OPTIONS, redirectOptions: { maxRetries: 0 } };
  if (target.kind === 'tableServiceUri') return new TableClient(target.uri, tableName, credential(), options);

  const connection = parseStorageConnectionString(target.connectionString);
  // Settings refuse a malformed connection string, so this is a caller that skipped them.
  if (!connection.ok) throw new Error(`the storage connection string ${connection.error}`);
  const { endpoint, credential: signing } = connection.value;
  const clientOptions = { ...options, allowInsecureConnection: endpoint.startsWith('http:') };
  return signing.kind === 'sharedKey'
    ? new TableClient(endpoint, tableName, new AzureNamedKeyCredential(signing.accountName, signing.accountKey), clientOptions)
    : new TableClient(endpoint, tableName, new AzureSASCredential(signing.signature), clientOptions);
}
