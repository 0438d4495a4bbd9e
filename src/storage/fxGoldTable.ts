import { TableClient, type TableEntity } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import { errorMessage } from '../domain/failureText.js';
import { FxGoldRowSchema, type FxGoldRow } from '../domain/fxGoldRow.js';
import { permanent, transient, type ProviderResult } from '../domain/providerFailure.js';
import { success } from '../domain/result.js';
import type { StorageSettings } from '../config/settings.js';

/** The narrow port the pipeline needs from storage. */
export interface FxGoldRowStore {
  /** Writes the row for its business date, replacing any earlier one: a re-run leaves one row. */
  save(row: FxGoldRow): Promise<ProviderResult<void>>;
  find(baseCurrency: string, date: string): Promise<FxGoldRow | undefined>;
}

/** The TableClient methods the store calls, so tests and callers can see what it depends on. */
export type FxGoldTableClient = Pick<TableClient, 'createTable' | 'upsertEntity' | 'getEntity'>;

export function tableRowStore(client: FxGoldTableClient): FxGoldRowStore {
  let tableReady: Promise<void> | undefined;
  // createTable is a no-op when the table exists; do it once per store, and again after a failure.
  const ensureTable = () =>
    (tableReady ??= client.createTable().catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    }));

  return {
    async save(row) {
      try {
        await ensureTable();
        await client.upsertEntity(toEntity(row), 'Replace');
        return success(undefined);
      } catch (error) {
        return storageFailure(error);
      }
    },
    async find(baseCurrency, date) {
      try {
        const entity = await client.getEntity<Record<string, unknown>>(baseCurrency, date);
        const { etag: _etag, timestamp: _timestamp, 'odata.metadata': _metadata, ...columns } = entity as Record<string, unknown>;
        return FxGoldRowSchema.parse(columns);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined; // no such row, or no table yet
        throw error;
      }
    },
  };
}

/** Errors without an HTTP status that may pass: the network, and getting a token (identity endpoint unreachable). */
const PASSING_WITHOUT_STATUS = new Set(['RestError', 'AggregateAuthenticationError', 'CredentialUnavailableError']);

/**
 * Network trouble, token trouble, timeouts, throttling and server errors may pass; what the service refused
 * (403 missing role, 400 bad entity, ...) or the SDK would not send (a token over http) will not.
 */
function storageFailure(error: unknown): ProviderResult<never> {
  const { name, statusCode, code } = error as { name?: string; statusCode?: number; code?: string };
  const message = errorMessage(error);
  const what = [statusCode && `HTTP ${statusCode}`, code && !message.includes(code) ? code : undefined, message].filter(Boolean).join(' ');
  const passing = statusCode === undefined ? PASSING_WITHOUT_STATUS.has(name ?? '') : statusCode === 408 || statusCode === 429 || statusCode >= 500;
  return passing ? transient('storage', what) : permanent('storage', what);
}

/** Numbers go as Edm.Double: left untyped, the service would store a whole price such as 3300 as Int32. */
function toEntity(row: FxGoldRow): TableEntity {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, typeof value === 'number' ? { value: String(value), type: 'Double' } : value]),
  ) as TableEntity;
}

/**
 * A TableClient for the configured storage: a connection string (Azurite's `UseDevelopmentStorage=true`
 * included), or a table endpoint with a token credential (managed identity in Azure).
 */
export function tableClientFor(
  storage: StorageSettings,
  tableName: string,
  credential: () => TokenCredential,
): TableClient {
  if (storage.kind === 'connectionString') {
    const insecure = /DefaultEndpointsProtocol=http;|TableEndpoint=http:/i.test(storage.connectionString);
    return TableClient.fromConnectionString(storage.connectionString, tableName, { allowInsecureConnection: insecure });
  }
  return new TableClient(storage.uri, tableName, credential());
}
