import { loadReadSettings, type ReadSettings } from '../config/settings.js';
import { builtOnFirstUse } from '../pipeline/builtOnFirstUse.js';
import type { FxGoldRowReader } from '../storage/fxGoldRowReader.js';
import { tableRowChanges } from '../storage/fxGoldRowChanges.js';
import { defaultCredential, tableClientFor } from '../storage/tableClient.js';
import { tableUsageLedger, type UsageLedger } from '../storage/usageLedger.js';
import { cachedRowReader } from './cachedRowReader.js';
import { rowCache, type RowCache } from './rowCache.js';

/** What the read endpoints and `npm run export` use: the table, the partition, the configured currencies. */
export interface ReadDependencies {
  readonly rows: FxGoldRowReader;
  /** The decoded rows `rows` reads from, for answers that need the data version (negotiatedRead.ts). */
  readonly cache: RowCache;
  readonly baseCurrency: string;
  readonly currencies: readonly string[];
  /** Values to scrub from anything an answer carries. */
  readonly secrets: readonly string[];
  /** The month's metered requests, read by /api/status (the ledger's counts; nothing is counted through it here). */
  readonly usage: Pick<UsageLedger, 'monthBook'>;
  /** goldapi's monthly quota (FXGOLD_GOLD_MONTHLY_QUOTA; 0 = none). */
  readonly goldMonthlyQuota: number;
}

/**
 * The production wiring of the read side: the table the settings name (managed identity when it is an endpoint),
 * read through one in-memory cache per call of this function, so one per instance (rowCache.ts).
 */
export function readDependenciesFrom(settings: ReadSettings): ReadDependencies {
  const table = tableClientFor(settings.storage, settings.tableName, defaultCredential);
  const cache = rowCache(tableRowChanges(table, { timeoutMs: settings.storageTimeoutMs }));
  return {
    rows: cachedRowReader(cache),
    cache,
    baseCurrency: settings.baseCurrency,
    currencies: settings.currencies,
    secrets: settings.secrets,
    usage: tableUsageLedger(tableClientFor(settings.storage, settings.usageTableName, defaultCredential), {
      timeoutMs: settings.storageTimeoutMs,
    }),
    goldMonthlyQuota: settings.goldMonthlyQuota,
  };
}

/** The read endpoints' dependencies. */
export const appReadDependencies = builtOnFirstUse(loadReadSettings, readDependenciesFrom);
