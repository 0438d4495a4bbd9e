import type { TableClient } from '@azure/data-tables';
import { BusinessDateSchema, type BusinessDate, type IsoDate } from '../domain/businessDate.js';
import type { Outcome } from '../domain/failure.js';
import { odata } from './odata.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';

/**
 * The backfill's gaps: business dates no provider of a chain had data for (currency-api without a file, an NBP
 * holiday too long to carry, goldapi's no-data answer), one row per base currency and date (PartitionKey the base,
 * RowKey the date) with the provider that said so, its reason and when it was checked, in its own table
 * (FXGOLD_GAPS_TABLE_NAME). A resume skips them unless asked to look again (`--retry-gaps`, `"retryGaps": true`).
 */
export interface GapRecord {
  readonly date: BusinessDate;
  /** `provider: message`, as in the backfill summary. */
  readonly reason: string;
}

export interface GapsTable {
  readonly table: string;
  /** Upserts one row per gap, checked at `checkedAt`. */
  record(baseCurrency: string, gaps: readonly GapRecord[], checkedAt: Date): Promise<Outcome<void>>;
  /** The dates recorded as gaps from `from` to `to` (both included), in date order. */
  datesIn(baseCurrency: string, from: IsoDate, to: IsoDate): Promise<Outcome<BusinessDate[]>>;
}

export type GapsTableClient = Pick<TableClient, 'url' | 'tableName' | 'createTable' | 'upsertEntity' | 'listEntities'>;

/** The provider a reason names (`provider: message`). */
const providerOf = (reason: string): string => /^([a-z][a-z0-9]*): /.exec(reason)?.[1] ?? '';

export function tableGaps(client: GapsTableClient, { timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS } = {}): GapsTable {
  let tableReady: Promise<unknown> | undefined;
  const ensureTable = (abortSignal: AbortSignal) =>
    (tableReady ??= client.createTable({ abortSignal }).catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    }));

  return {
    table: client.tableName,
    record: (baseCurrency, gaps, checkedAt) =>
      withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        if (gaps.length === 0) return;
        await ensureTable(abortSignal);
        for (const gap of gaps)
          await client.upsertEntity(
            {
              partitionKey: baseCurrency,
              rowKey: gap.date,
              Provider: providerOf(gap.reason),
              Reason: gap.reason,
              CheckedAt: checkedAt.toISOString(),
            },
            'Replace',
            { abortSignal },
          );
      }),
    datesIn: (baseCurrency, from, to) =>
      withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        const dates: BusinessDate[] = [];
        try {
          const filter = odata`PartitionKey eq ${baseCurrency} and RowKey ge ${from} and RowKey le ${to}`;
          for await (const entity of client.listEntities({ queryOptions: { filter, select: ['RowKey'] }, abortSignal }))
            dates.push(BusinessDateSchema.parse(entity.rowKey));
        } catch (error) {
          if (statusOf(error) !== 404) throw error; // no table yet: no gap recorded
        }
        return dates.sort();
      }),
  };
}
