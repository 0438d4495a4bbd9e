import { loadSettings, type Settings } from '../config/settings.js';
import { builtOnFirstUse } from '../pipeline/builtOnFirstUse.js';
import { jobWiring, type JobDependencies } from '../pipeline/jobDependencies.js';
import { tableRowReader, type FxGoldRowReader } from '../storage/fxGoldRowReader.js';
import { tableGaps, type GapsTable } from '../storage/gapsTable.js';
import { defaultCredential, tableClientFor } from '../storage/tableClient.js';

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

/** The production wiring of a backfill: the job's, plus the reader over the same table and the quota settings. */
export function createBackfillDependencies(settings: Settings): BackfillDependencies {
  const { job, table } = jobWiring(settings);
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

/** The Durable backfill's activities and start endpoint. */
export const appBackfillDependencies = builtOnFirstUse(loadSettings, createBackfillDependencies);
