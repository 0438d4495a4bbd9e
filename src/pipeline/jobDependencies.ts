import { DefaultAzureCredential } from '@azure/identity';
import nodeFetch from 'node-fetch';
import type { Settings } from '../config/settings.js';
import { secretsOf } from '../config/settings.js';
import { exchangerateHostClient } from '../clients/exchangerateHost.js';
import { frankfurterClient } from '../clients/frankfurter.js';
import { goldApiClient } from '../clients/goldapi.js';
import type { FetchLike } from '../clients/http.js';
import type { GoldProvider, RatesProvider } from '../clients/providers.js';
import { tableClientFor, tableRowStore, type FxGoldRowStore } from '../storage/fxGoldTable.js';

/** Everything the job talks to, built from settings; tests build it from local servers and Azurite. */
export interface JobDependencies {
  /** Failover chains: the providers of each kind, asked in this order until one serves (src/pipeline/providerChain.ts). */
  readonly ratesChain: readonly RatesProvider[];
  readonly goldChain: readonly GoldProvider[];
  readonly store: FxGoldRowStore;
  readonly clock: () => Date;
  /** Values to scrub from anything the job prints or returns. */
  readonly secrets: readonly string[];
}

/** The production wiring: node-fetch, the system clock, and the table the settings name. */
export function createJobDependencies(settings: Settings): JobDependencies {
  const http = { fetch: nodeFetch as unknown as FetchLike, timeoutMs: settings.httpTimeoutMs, maxResponseBytes: settings.maxResponseBytes };
  const market = { baseCurrency: settings.baseCurrency, currencies: settings.currencies };
  const rates =
    settings.currencyProvider === 'frankfurter'
      ? frankfurterClient({ ...market, baseUrl: settings.frankfurter.baseUrl }, http)
      : exchangerateHostClient({ ...market, ...settings.exchangerateHost }, http);
  const gold = goldApiClient({ baseUrl: settings.goldapi.baseUrl, apiKey: settings.goldapi.key, currency: settings.baseCurrency }, http);
  // DefaultAzureCredential reads AZURE_CLIENT_ID, which selects the user-assigned managed identity.
  const table = tableClientFor(settings.storage, settings.tableName, () => new DefaultAzureCredential());
  return { ratesChain: [rates], goldChain: [gold], store: tableRowStore(table, { timeoutMs: settings.storageTimeoutMs }), clock: () => new Date(), secrets: secretsOf(settings) };
}
