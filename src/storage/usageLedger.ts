import { setTimeout as sleepFor } from 'node:timers/promises';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { describeIssues } from '../domain/failureText.js';
import { permanent, transient, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import { odata } from './odata.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';

/**
 * The monthly usage ledger: how many requests each metered provider (one with a monthly quota: goldapi, see
 * `metered` in src/clients/registry.ts) was sent in each calendar month (UTC), by every path: the daily run in the
 * app, `npm run once`, backfills. One row per month and provider (PartitionKey `YYYY-MM`, RowKey the provider name,
 * column `Requests`), in its own table (FXGOLD_USAGE_TABLE_NAME), so the host-free commands and the app share it.
 *
 * Counting is read, add, write back with the ETag read (optimistic concurrency): a writer that lost the race (412,
 * or 409 when two create the month's row) reads again and adds again, so concurrent writers never lose a count.
 */
export interface UsageLedger {
  /** The table, for messages. */
  readonly table: string;
  /** Adds `count` requests of `provider` to `month` (`YYYY-MM`); answers the month's new total for that provider. */
  record(provider: string, month: string, count: number): Promise<Outcome<number>>;
  /** The month's counts per provider (providers never counted that month are absent). */
  monthUsage(month: string): Promise<Outcome<Record<string, number>>>;
}

export type UsageTableClient = Pick<
  TableClient,
  'url' | 'tableName' | 'createTable' | 'createEntity' | 'getEntity' | 'updateEntity' | 'listEntities'
>;

/** The UTC month of an instant, the ledger's partition. */
export const usageMonthOf = (instant: Date): string => instant.toISOString().slice(0, 7);

const UsageRowSchema = z.object({ rowKey: z.string(), Requests: z.number().int().nonnegative() });

/** Lost races before giving up: each one means another writer's count landed, so this many is far beyond real contention. */
const MAX_CONFLICTS = 50;

export interface UsageLedgerOptions {
  readonly timeoutMs?: number;
  /**
   * Per provider, the most requests a month may count (FXGOLD_GOLD_MONTHLY_QUOTA for goldapi; 0 or absent = no
   * limit). A count that would pass it is refused and not written: judged on the row read, written only with its
   * ETag, so concurrent writers (overlapping backfills, many manual runs) together never count past the limit.
   */
  readonly limits?: Readonly<Partial<Record<string, number>>>;
  /** The pause after a lost race, before reading again (jittered so two writers do not collide in step). */
  readonly conflictPause?: () => Promise<void>;
}

const OVER_LIMIT = Symbol('over the monthly limit');

/**
 * The provider's own permanent failure (its source is the provider, not storage): the chain hands over to the next
 * provider with this reason in the attempts, as for a provider whose quota upstream is spent.
 */
const quotaSpent = (provider: string, limit: number) =>
  permanent(provider, `skipped, monthly quota of ${limit} spent (FXGOLD_GOLD_MONTHLY_QUOTA)`);

export function tableUsageLedger(
  client: UsageTableClient,
  { timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS, conflictPause = () => sleepFor(5 + Math.random() * 20), limits = {} }: UsageLedgerOptions = {},
): UsageLedger {
  let tableReady: Promise<unknown> | undefined;
  const ensureTable = (abortSignal: AbortSignal) =>
    (tableReady ??= client.createTable({ abortSignal }).catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    }));
  // One writer at a time in this process: its own increments would only lose races against each other.
  let queue: Promise<unknown> = Promise.resolve();

  /** One read-add-write; undefined when another writer got there first, OVER_LIMIT when the count would pass the limit. */
  const tryAdd = (provider: string, month: string, count: number) =>
    withinStorageBudget(timeoutMs, client, async (abortSignal): Promise<number | typeof OVER_LIMIT | undefined> => {
      const limit = limits[provider] ?? 0;
      await ensureTable(abortSignal);
      let current;
      try {
        current = await client.getEntity<Record<string, unknown>>(month, provider, { abortSignal });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      try {
        if (current === undefined) {
          if (limit > 0 && count > limit) return OVER_LIMIT;
          await client.createEntity({ partitionKey: month, rowKey: provider, Requests: count }, { abortSignal });
          return count;
        }
        const parsed = UsageRowSchema.safeParse(current);
        // Thrown inside the budget, so it comes out as a permanent storage failure with this message.
        if (!parsed.success)
          throw new Error(
            `usage table ${client.tableName} has an invalid row ${month}/${provider}: ${describeIssues(parsed.error, 'row')}`,
          );
        const total = parsed.data.Requests + count;
        if (limit > 0 && total > limit) return OVER_LIMIT;
        await client.updateEntity({ partitionKey: month, rowKey: provider, Requests: total }, 'Replace', {
          etag: current.etag,
          abortSignal,
        });
        return total;
      } catch (error) {
        if (statusOf(error) === 409 || statusOf(error) === 412) return undefined;
        throw error;
      }
    });

  async function add(provider: string, month: string, count: number): Promise<Outcome<number>> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const added = await tryAdd(provider, month, count);
      if (added.ok && added.value === OVER_LIMIT) return quotaSpent(provider, limits[provider] ?? 0);
      if (!added.ok || added.value !== undefined) return added as Outcome<number>;
      await conflictPause();
    }
    return transient(
      'storage',
      `usage table ${client.tableName}: ${MAX_CONFLICTS} writers in a row counted ${provider} for ${month} first; try again`,
    );
  }

  return {
    table: client.tableName,
    record(provider, month, count) {
      const recorded = queue.then(() => add(provider, month, count));
      queue = recorded.catch(() => undefined);
      return recorded;
    },
    async monthUsage(month) {
      const rows = await withinStorageBudget(timeoutMs, client, async (abortSignal) => {
        const read: unknown[] = [];
        try {
          const filter = odata`PartitionKey eq ${month}`;
          for await (const entity of client.listEntities({ queryOptions: { filter, select: ['RowKey', 'Requests'] }, abortSignal }))
            read.push(entity);
        } catch (error) {
          if (statusOf(error) !== 404) throw error; // no table yet: nothing counted
        }
        return read;
      });
      if (!rows.ok) return rows;
      const counts: Record<string, number> = {};
      for (const entity of rows.value) {
        const parsed = UsageRowSchema.safeParse(entity);
        if (!parsed.success)
          return permanent(
            'storage',
            `usage table ${client.tableName} has an invalid row for ${month}: ${describeIssues(parsed.error, 'row')}`,
          );
        counts[parsed.data.rowKey] = parsed.data.Requests;
      }
      return success(counts);
    },
  };
}
