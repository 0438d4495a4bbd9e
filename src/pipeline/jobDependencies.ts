import { DefaultAzureCredential } from '@azure/identity';
import nodeFetch from 'node-fetch';
import { loadSettings, SettingsError, type Settings } from '../config/settings.js';
import type { FetchLike, HttpOptions } from '../clients/http.js';
import type { GoldProvider, RatesProvider } from '../clients/providers.js';
import { GOLD_PROVIDERS, RATES_PROVIDERS, type Market, type ProviderEntry, type ProviderName } from '../clients/registry.js';
import type { QualityLimits } from '../quality/limits.js';
import { tableRowStore, type FxGoldRowStore } from '../storage/fxGoldTable.js';
import { tableClientFor } from '../storage/tableClient.js';

/** Everything the job talks to, built from settings; tests build it from local servers and Azurite. */
export interface JobDependencies {
  /** Failover chains: the providers of each kind, asked in this order until one serves (src/pipeline/providerChain.ts). */
  readonly ratesChain: readonly RatesProvider[];
  readonly goldChain: readonly GoldProvider[];
  readonly store: FxGoldRowStore;
  readonly clock: () => Date;
  /** The configured quote currencies (the quality gates check every one is there). */
  readonly currencies: readonly string[];
  readonly quality: QualityLimits;
  /** Values to scrub from anything the job prints or returns. */
  readonly secrets: readonly string[];
}

/** The production wiring: node-fetch, the system clock, the providers of each chain from the registry, and the table the settings name. */
export function createJobDependencies(settings: Settings): JobDependencies {
  const http: HttpOptions = { fetch: nodeFetch as unknown as FetchLike, timeoutMs: settings.httpTimeoutMs, maxResponseBytes: settings.maxResponseBytes };
  const market: Market = { baseCurrency: settings.baseCurrency, currencies: settings.currencies };
  const build = <P>(entry: ProviderEntry<P>, name: ProviderName): P => entry.create(settings.providerSettings[name], market, http);
  // DefaultAzureCredential reads AZURE_CLIENT_ID, which selects the user-assigned managed identity.
  const table = tableClientFor(settings.storage, settings.tableName, () => new DefaultAzureCredential());
  return {
    ratesChain: settings.ratesChain.map((name) => build(RATES_PROVIDERS[name], name)),
    goldChain: settings.goldChain.map((name) => build(GOLD_PROVIDERS[name], name)),
    store: tableRowStore(table, { timeoutMs: settings.storageTimeoutMs }),
    clock: () => new Date(),
    currencies: settings.currencies,
    quality: settings.quality,
    secrets: settings.secrets,
  };
}

let cached: JobDependencies | undefined;

/**
 * The app's dependencies, built from the process environment on first use (never at import: a throw while the host
 * loads the entry point would stop every function). A settings error is not cached.
 */
export function appDependencies(): JobDependencies {
  if (cached) return cached;
  const settings = loadSettings(process.env);
  if (!settings.ok) throw new SettingsError(settings.error);
  return (cached = createJobDependencies(settings.value));
}
