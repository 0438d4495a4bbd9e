import { loadSettings, type Settings } from '../config/settings.js';
import { builtOnFirstUse } from './builtOnFirstUse.js';
import type { HttpOptions } from '../clients/http.js';
import { proxyFetch } from '../clients/proxyFetch.js';
import type { GoldProvider, RatesProvider } from '../clients/providers.js';
import { GOLD_PROVIDERS, RATES_PROVIDERS, type Market, type ProviderEntry, type ProviderName } from '../clients/registry.js';
import type { QualityLimits } from '../quality/limits.js';
import { tableRowStore, type FxGoldRowStore } from '../storage/fxGoldTable.js';
import { defaultCredential, tableClientFor } from '../storage/tableClient.js';
import { tableRowReader, type FxGoldRowReader } from '../storage/fxGoldRowReader.js';
import { tableGaps, type GapsTable } from '../storage/gapsTable.js';
import { tableUsageLedger, type UsageLedger } from '../storage/usageLedger.js';

/** Everything the job talks to, built from settings; tests build it from local servers and Azurite. */
export interface JobDependencies {
  /** Failover chains: the providers of each kind, asked in this order until one serves (src/pipeline/providerChain.ts). */
  readonly ratesChain: readonly RatesProvider[];
  readonly goldChain: readonly GoldProvider[];
  readonly store: FxGoldRowStore;
  /** The monthly usage ledger: every request to a metered provider is counted there first (askProvider). */
  readonly usage: UsageLedger;
  readonly clock: () => Date;
  /** The configured quote currencies (the quality gates check every one is there). */
  readonly currencies: readonly string[];
  readonly quality: QualityLimits;
  /** Values to scrub from anything the job prints or returns. */
  readonly secrets: readonly string[];
}

/**
 * What a backfill (src/backfill/) needs besides the job's steps: the partition, the RowKey-only range query its plan
 * makes, and the quota guard's numbers. Built by createBackfillDependencies; both backfill drivers (the CLI and the
 * Durable activities) use it.
 */
export interface BackfillDependencies extends JobDependencies {
  /** The partition the rows go to (FXGOLD_BASE_CURRENCY). */
  readonly baseCurrency: string;
  /** The read side of the same table: the plan's one range query selecting only RowKey. */
  readonly rows: FxGoldRowReader;
  /** Gold requests in flight at once within a chunk (FXGOLD_GOLD_CONCURRENCY). */
  readonly goldConcurrency: number;
  /** Gold requests one backfill may make (FXGOLD_GOLD_REQUEST_BUDGET). */
  readonly goldRequestBudget: number;
  /** Requests a metered gold provider allows per UTC month (FXGOLD_GOLD_MONTHLY_QUOTA); 0 = no limit. */
  readonly goldMonthlyQuota: number;
  /** Chunks the Durable backfill runs at once (FXGOLD_BACKFILL_PARALLELISM). */
  readonly backfillParallelism: number;
  /** The dates found to be gaps, so that a resume does not ask for them again (FXGOLD_GAPS_TABLE_NAME). */
  readonly gaps: GapsTable;
}

/** The production wiring: node-fetch (proxy-aware), the system clock, the providers of each chain from the registry, and the tables the settings name. */
export const createJobDependencies = (settings: Settings): JobDependencies => wiring(settings).job;

/** The production wiring of a backfill: the job's, plus the reader over the same table and the quota settings. */
export function createBackfillDependencies(settings: Settings): BackfillDependencies {
  const { job, table } = wiring(settings);
  return {
    ...job,
    baseCurrency: settings.baseCurrency,
    rows: tableRowReader(table, { timeoutMs: settings.storageTimeoutMs }),
    goldConcurrency: settings.goldConcurrency,
    goldRequestBudget: settings.goldRequestBudget,
    goldMonthlyQuota: settings.goldMonthlyQuota,
    backfillParallelism: settings.backfillParallelism,
    gaps: tableGaps(tableClientFor(settings.storage, settings.gapsTableName, defaultCredential), { timeoutMs: settings.storageTimeoutMs }),
  };
}

function wiring(settings: Settings) {
  // proxyFetch: node-fetch through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY matches (src/clients/proxyFetch.ts).
  const http: HttpOptions = { fetch: proxyFetch, timeoutMs: settings.httpTimeoutMs, maxResponseBytes: settings.maxResponseBytes };
  const market: Market = { baseCurrency: settings.baseCurrency, currencies: settings.currencies };
  const build = <P>(entry: ProviderEntry<P>, name: ProviderName): P => entry.create(settings.providerSettings[name], market, http);
  const table = tableClientFor(settings.storage, settings.tableName, defaultCredential);
  const job: JobDependencies = {
    ratesChain: settings.ratesChain.map((name) => build(RATES_PROVIDERS[name], name)),
    goldChain: settings.goldChain.map((name) => build(GOLD_PROVIDERS[name], name)),
    store: tableRowStore(table, { timeoutMs: settings.storageTimeoutMs }),
    usage: tableUsageLedger(tableClientFor(settings.storage, settings.usageTableName, defaultCredential), {
      timeoutMs: settings.storageTimeoutMs,
      limits: { goldapi: settings.goldMonthlyQuota },
    }),
    clock: () => new Date(),
    currencies: settings.currencies,
    quality: settings.quality,
    secrets: settings.secrets,
  };
  return { job, table };
}

/** The daily run's activities. */
export const appDependencies = builtOnFirstUse(loadSettings, createJobDependencies);
/** The Durable backfill's activities and start endpoint. */
export const appBackfillDependencies = builtOnFirstUse(loadSettings, createBackfillDependencies);
