import type { BusinessDate, IsoDate } from '../domain/businessDate.js';
import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';
import { FxGoldRowSchema, type FxGoldRow } from '../domain/fxGoldRow.js';
import { describeIssues } from '../domain/failureText.js';
import { describeFailure, permanent, type Outcome } from '../domain/failure.js';
import { failure, success, type Result } from '../domain/result.js';
import { odata } from './odata.js';
import { watermarkEntity } from './partitionWatermark.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';

/** What `save` did: the date had no row yet, or its earlier row was replaced. */
export type SaveOutcome = 'created' | 'replaced';

/** The narrow port the pipeline needs from storage. */
export interface FxGoldRowStore {
  /** Where rows go, for messages: the table and its service URL, without any credential or query. */
  readonly location: { readonly table: string; readonly endpoint: string };
  /**
   * Writes the row for its business date, replacing any earlier one: a re-run leaves one row. Every write of rows
   * (here and in saveBatch) rewrites the partition's watermark in the same transaction (partitionWatermark.ts).
   */
  save(row: FxGoldRow): Promise<Outcome<SaveOutcome>>;
  /**
   * Upserts (replace) many rows in `submitTransaction` batches: one per partition and at most 99 rows (and the watermark), each batch
   * all or nothing, each under the same time budget and failure classification as `save`. Answers how many rows were
   * written; on a failure, the batches before it stay written (a re-run replaces them: still one row per date).
   */
  saveBatch(rows: readonly FxGoldRow[]): Promise<Outcome<number>>;
  /** The row for a date, or undefined; a storage failure is thrown, its message naming storage and saying why. */
  find(baseCurrency: string, date: string): Promise<FxGoldRow | undefined>;
  /** The most recent row dated from `from` up to (not including) `before`, or undefined: the quality gates compare with it. */
  latestBefore(baseCurrency: string, before: BusinessDate, from: IsoDate): Promise<Outcome<FxGoldRow | undefined>>;
}

/** The TableClient members the store uses, so tests and callers can see what it depends on. */
export type FxGoldTableClient = Pick<TableClient, 'url' | 'tableName' | 'createTable' | 'submitTransaction' | 'getEntity' | 'listEntities'>;

export interface StoreOptions {
  /** One budget per store operation, its SDK retries included (storagePolicy.ts). */
  readonly timeoutMs?: number;
}

export function tableRowStore(client: FxGoldTableClient, { timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS }: StoreOptions = {}): FxGoldRowStore {
  const service = new URL(client.url);
  let tableReady: Promise<void> | undefined;
  // createTable is a no-op when the table exists; do it once per store, and again after a failure.
  const ensureTable = (abortSignal: AbortSignal) =>
    (tableReady ??= client.createTable({ abortSignal }).catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    }));

  /** One operation within the budget, whatever the SDK retries (storageBudget.ts). */
  const withinBudget = <T>(operation: (abortSignal: AbortSignal) => Promise<T>): Promise<Outcome<T>> =>
    withinStorageBudget(timeoutMs, client, operation);

  return {
    location: { table: client.tableName, endpoint: `${service.origin}${service.pathname.replace(/\/+$/, '')}` },
    save: (row) =>
      withinBudget(async (abortSignal): Promise<SaveOutcome> => {
        await ensureTable(abortSignal);
        const entity = toEntity(row);
        const watermark = replace(watermarkEntity(row.partitionKey));
        try {
          await client.submitTransaction([['create', entity], watermark], { abortSignal });
          return 'created';
        } catch (error) {
          if (statusOf(error) !== 409) throw error;
        }
        // The date has a row (or an earlier try of this write landed): replace it whole, so no stale column stays.
        await client.submitTransaction([replace(entity), watermark], { abortSignal });
        return 'replaced';
      }),
    async saveBatch(rows) {
      let written = 0;
      for (const batch of transactionBatches(rows)) {
        const saved = await withinBudget(async (abortSignal) => {
          await ensureTable(abortSignal);
          await client.submitTransaction(
            [...batch.map((row) => replace(toEntity(row))), replace(watermarkEntity(batch[0]!.partitionKey))],
            { abortSignal },
          );
        });
        if (!saved.ok) return saved;
        written += batch.length;
      }
      return success(written);
    },
    async find(baseCurrency, date) {
      const found = await withinBudget(async (abortSignal) => {
        try {
          return await client.getEntity<Record<string, unknown>>(baseCurrency, date, { abortSignal });
        } catch (error) {
          if (statusOf(error) === 404) return undefined; // no such row, or no table yet
          throw error;
        }
      });
      if (!found.ok) throw new Error(describeFailure(found.error));
      return found.value === undefined ? undefined : toRow(found.value);
    },
    async latestBefore(baseCurrency, before, from) {
      const found = await withinBudget(async (abortSignal) => {
        const filter = odata`PartitionKey eq ${baseCurrency} and RowKey ge ${from} and RowKey lt ${before}`;
        let latest: Record<string, unknown> | undefined;
        try {
          // Rows come in RowKey order, so the last one is the most recent; a week holds at most five.
          for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter }, abortSignal }))
            latest = entity;
        } catch (error) {
          if (statusOf(error) !== 404) throw error; // 404: no table yet, so no earlier row
        }
        return latest;
      });
      if (!found.ok) return found;
      if (found.value === undefined) return success(undefined);
      const row = parseStoredRow(found.value);
      if (!row.ok) return permanent('storage', `the stored row ${String(found.value.rowKey)} is not a valid row: ${row.error}`);
      return row;
    },
  };
}

/** An upsert that replaces the stored entity whole, so no stale column stays. */
const replace = (entity: TableEntity): TransactionAction => ['upsert', entity, 'Replace'];

/** The Table service's limit of actions in one transaction. */
const MAX_TRANSACTION_ACTIONS = 100;
/** Rows per transaction: the partition's watermark takes the last action. */
const ROWS_PER_TRANSACTION = MAX_TRANSACTION_ACTIONS - 1;

/** Rows grouped by partition (a transaction holds one), then cut into transactions of at most 99 rows. */
function transactionBatches(rows: readonly FxGoldRow[]): FxGoldRow[][] {
  const partitions = new Map<string, FxGoldRow[]>();
  for (const row of rows) partitions.set(row.partitionKey, [...(partitions.get(row.partitionKey) ?? []), row]);
  return [...partitions.values()].flatMap((partition) =>
    Array.from({ length: Math.ceil(partition.length / ROWS_PER_TRANSACTION) }, (_, i) =>
      partition.slice(i * ROWS_PER_TRANSACTION, (i + 1) * ROWS_PER_TRANSACTION),
    ),
  );
}

const withoutMetadata = ({ etag: _etag, timestamp: _timestamp, 'odata.metadata': _metadata, ...columns }: Record<string, unknown>) =>
  columns;
const toRow = (entity: Record<string, unknown>): FxGoldRow => FxGoldRowSchema.parse(withoutMetadata(entity));

/** A stored entity as a row, through the one row schema (the service's metadata set aside), or why it is not one. */
export function parseStoredRow(entity: Record<string, unknown>): Result<FxGoldRow, string> {
  const row = FxGoldRowSchema.safeParse(withoutMetadata(entity));
  return row.success ? success(row.data) : failure(describeIssues(row.error, 'row'));
}

/** Numbers go as Edm.Double: left untyped, the service would store a whole price such as 3300 as Int32. */
function toEntity(row: FxGoldRow): TableEntity {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, typeof value === 'number' ? { value: String(value), type: 'Double' } : value]),
  ) as TableEntity;
}
