import { loadSettings, type Settings } from '../config/settings.js';
import { builtOnFirstUse } from './builtOnFirstUse.js';
import type { HttpOptions } from '../clients/http.js';
import { proxyFetch } from '../clients/proxyFetch.js';
import type { GoldProvider, RatesProvider } from '../clients/providers.js';
import {
  GOLD_PROVIDERS,
  METERED_GOLD_PROVIDERS,
  RATES_PROVIDERS,
  type Market,
  type ProviderEntry,
  type ProviderName,
} from '../clients/registry.js';
import type { QualityLimits } from '../quality/limits.js';
import { tableRowStore, type FxGoldRowStore } from '../storage/fxGoldTable.js';
import { defaultCredential, tableClientFor } from '../storage/tableClient.js';
import { tableUsageLedger, type UsageLedger } from '../storage/usageLedger.js';

/** Everything the job talks to, built from settings; tests build it from local servers and Azurite. */
export interface JobDependencies {
  /** Failover chains: the providers of each kind, asked in this order until one serves (src/pipeline/providerChain.ts). */
  readonly ratesChain: readonly RatesProvider[];
  readonly goldChain: readonly GoldProvider[];
  readonly store: FxGoldRowStore;
  /** The monthly usage ledger: every request to a metered provider is counted there first (askProvider), backfills reserve there. */
  readonly usage: UsageLedger;
  readonly clock: () => Date;
  /** The configured quote currencies (the quality gates check every one is there). */
  readonly currencies: readonly string[];
  readonly quality: QualityLimits;
  /** Values to scrub from anything the job prints or returns. */
  readonly secrets: readonly string[];
}

/** The production wiring: node-fetch (proxy-aware), the system clock, the providers of each chain from the registry, and the tables the settings name. */
export const createJobDependencies = (settings: Settings): JobDependencies => jobWiring(settings).job;

/** The job's wiring and its rows table client, which the backfill's wiring (src/backfill/dependencies.ts) extends. */
export function jobWiring(settings: Settings) {
  // proxyFetch: node-fetch through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches (src/clients/proxyFetch.ts).
  const http: HttpOptions = { fetch: proxyFetch, timeoutMs: settings.httpTimeoutMs, maxResponseBytes: settings.maxResponseBytes };
  const market: Market = { baseCurrency: settings.baseCurrency, currencies: settings.currencies };
  const build = <P>(entry: ProviderEntry<P>, name: ProviderName): P => entry.create(settings.providerSettings[name], market, http);
  const table = tableClientFor(settings.storage, settings.tableName, defaultCredential);
  const clock = () => new Date();
  const job: JobDependencies = {
    ratesChain: settings.ratesChain.map((name) => build(RATES_PROVIDERS[name], name)),
    goldChain: settings.goldChain.map((name) => build(GOLD_PROVIDERS[name], name)),
    store: tableRowStore(table, { timeoutMs: settings.storageTimeoutMs }),
    usage: tableUsageLedger(tableClientFor(settings.storage, settings.usageTableName, defaultCredential), {
      timeoutMs: settings.storageTimeoutMs,
      limits: Object.fromEntries(METERED_GOLD_PROVIDERS.map((name) => [name, settings.goldMonthlyQuota])),
      clock,
    }),
    clock,
    currencies: settings.currencies,
    quality: settings.quality,
    secrets: settings.secrets,
  };
  return { job, table };
}

/** The daily run's activities. */
export const appDependencies = builtOnFirstUse(loadSettings, createJobDependencies);
