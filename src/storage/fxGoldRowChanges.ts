import type { TableClient } from '@azure/data-tables';
import { cleanUpstreamText } from '../domain/failureText.js';
import type { FxGoldRow } from '../domain/fxGoldRow.js';
import type { Outcome } from '../domain/failure.js';
import type { Result } from '../domain/result.js';
import { parseStoredRow } from './fxGoldTable.js';
import { odata } from './odata.js';
import { isWatermark, WATERMARK_ROW_KEY } from './partitionWatermark.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';

/** One stored entity of a partition as the cache keeps it: its date, when the service last wrote it, and the row or why it is not one. */
export interface StoredEntry {
  readonly date: string;
  /** The service's `Timestamp` of the entity's last write, epoch ms. */
  readonly writtenAtMs: number;
  readonly row: Result<FxGoldRow, string>;
}

/** The read model's port to the table: what changed in a partition since a time. */
export interface FxGoldRowChanges {
  /** Where the rows are, for messages. */
  readonly tableName: string;
  /**
   * Every entity of the partition the service wrote at or after `sinceMs` (epoch ms), or every entity when `sinceMs`
   * is undefined, in one query of the partition; no table yet means none.
   */
  changedSince(base: string, sinceMs: number | undefined): Promise<Outcome<StoredEntry[]>>;
  /**
   * The ETag of the partition's watermark (partitionWatermark.ts), which changes whenever any of its rows is written:
   * one point read. Undefined when there is none (no table, no row, or rows written before the watermark existed).
   */
  watermark(base: string): Promise<Outcome<string | undefined>>;
}

export type FxGoldChangesClient = Pick<TableClient, 'url' | 'tableName' | 'listEntities' | 'getEntity'>;

/**
 * Reads whole rows (every column, so columns added to the row schema come through) with a filter on the service's
 * own `Timestamp`, which the service sets on every insert, replace and batch and no client can set: whatever path
 * wrote a row, its Timestamp moved.
 */
export function tableRowChanges(
  client: FxGoldChangesClient,
  { timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS }: { readonly timeoutMs?: number } = {},
): FxGoldRowChanges {
  return {
    tableName: client.tableName,
    async changedSince(base, sinceMs) {
      const partition = odata`PartitionKey eq ${base}`;
      // A datetime literal is not a string literal: it is built here from a number, never from input.
      const filter = sinceMs === undefined ? partition : `${partition} and Timestamp ge datetime'${new Date(sinceMs).toISOString()}'`;
      return withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        const entries: StoredEntry[] = [];
        try {
          for await (const entity of client.listEntities<Record<string, unknown>>({ queryOptions: { filter }, abortSignal }))
            if (!isWatermark(entity.rowKey)) entries.push(storedEntry(entity));
        } catch (error) {
          if (statusOf(error) === 404) return []; // no table yet: nothing was ever stored
          throw error;
        }
        return entries;
      });
    },
    watermark: (base) =>
      withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        try {
          // Only the ETag is wanted: select one small column so the service sends little.
          const entity = await client.getEntity(base, WATERMARK_ROW_KEY, { abortSignal, queryOptions: { select: ['RowKey'] } });
          return entity.etag;
        } catch (error) {
          if (statusOf(error) === 404) return undefined; // no table, or no watermark yet
          throw error;
        }
      }),
  };
}

function storedEntry(entity: Record<string, unknown>): StoredEntry {
  const date = typeof entity.rowKey === 'string' ? entity.rowKey : '';
  const writtenAtMs = typeof entity.timestamp === 'string' ? Date.parse(entity.timestamp) : Number.NaN;
  const row = parseStoredRow(entity);
  return {
    date: cleanUpstreamText(date, 20),
    // The service always sends a Timestamp; one without it must not move the cache's high-water mark.
    writtenAtMs: Number.isNaN(writtenAtMs) ? 0 : writtenAtMs,
    row,
  };
}
