import { setTimeout as sleepFor } from 'node:timers/promises';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { describeIssues } from '../domain/failureText.js';
import { transient, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import { odata } from './odata.js';
import { withinStorageBudget } from './storageBudget.js';
import { statusOf } from './storageFailure.js';
import { DEFAULT_STORAGE_TIMEOUT_MS } from './storagePolicy.js';
import {
  decideRecord,
  decideRelease,
  decideRenew,
  decideReserve,
  EMPTY_BOOK,
  live,
  ReservationsSchema,
  reservedIn,
  type Claim,
  type Decision,
  type ReserveAnswer,
  type UsageBook,
} from './usageBook.js';

export { quotaLeft, type Claim, type ReserveAnswer } from './usageBook.js';

/**
 * The monthly usage ledger: how many requests each metered provider (one with a monthly quota: goldapi, see
 * `metered` in src/clients/registry.ts) was sent in each calendar month (UTC), by every path: the daily run in the
 * app, `npm run once`, backfills; and how many the running backfills have reserved. One row per month and provider
 * (PartitionKey `YYYY-MM`, RowKey the provider name, column `Requests` spent, column `Reservations` the holders'
 * reservations as JSON), in its own table (FXGOLD_USAGE_TABLE_NAME), so the host-free commands and the app share it.
 * Spent and reserved live on one entity so that one conditional write judges and changes both (src/storage/usageBook.ts).
 *
 * Every change is read, decide, write back with the ETag read (optimistic concurrency): a writer that lost the race
 * (412, or 409 when two create the month's row) reads again and decides again, so concurrent writers never lose a
 * count and together never pass the limit.
 */
export interface UsageLedger {
  /** The table, for messages. */
  readonly table: string;
  /**
   * Counts `count` requests of `provider` in `month` (`YYYY-MM`) for `claim` (default: a request of its own that may
   * use everything not spent or reserved); answers the month's new total, or the provider's permanent "skipped"
   * failure when the claim does not cover them (nothing counted).
   */
  record(provider: string, month: string, count: number, claim?: Claim): Promise<Outcome<number>>;
  /** Sets `holder`'s reservation to `count` requests, leaving `keep` of the limit untouched; a refusal is an answer with the numbers. */
  reserve(provider: string, month: string, holder: string, count: number, keep: number): Promise<Outcome<ReserveAnswer>>;
  /** Pushes the expiry of `holder`'s reservation on (a backfill does before each chunk); false when it has none left. */
  renew(provider: string, month: string, holder: string): Promise<Outcome<boolean>>;
  /** Frees what `holder` reserved and did not spend. */
  release(provider: string, month: string, holder: string): Promise<Outcome<void>>;
  /** The month's spent counts per provider (providers never counted that month are absent). */
  monthUsage(month: string): Promise<Outcome<Record<string, number>>>;
  /** Per provider, the month's spent requests and what live reservations hold. */
  monthBook(month: string): Promise<Outcome<Record<string, { requests: number; reserved: number }>>>;
}

export type UsageTableClient = Pick<
  TableClient,
  'url' | 'tableName' | 'createTable' | 'createEntity' | 'getEntity' | 'updateEntity' | 'listEntities'
>;

/** The UTC month of an instant, the ledger's partition. */
export const usageMonthOf = (instant: Date): string => instant.toISOString().slice(0, 7);

const UsageRowSchema = z.object({
  rowKey: z.string(),
  Requests: z.number().int().nonnegative(),
  Reservations: z.string().optional(),
});

/** Lost races before giving up: each one means another writer's change landed, so this many is far beyond real contention. */
const MAX_CONFLICTS = 50;

/**
 * How long a reservation outlives its holder's last sign of life (its reservation, a renewal before each chunk, a
 * request spent from it): a backfill chunk takes minutes even through retries, so an hour without one means the
 * holder died, and its reservation stops counting.
 */
export const RESERVATION_TTL_MS = 60 * 60 * 1000;

export interface UsageLedgerOptions {
  readonly timeoutMs?: number;
  /**
   * Per provider, the most requests a month may count (FXGOLD_GOLD_MONTHLY_QUOTA for goldapi; 0 or absent = no
   * limit). Spent and reserved together never pass it.
   */
  readonly limits?: Readonly<Partial<Record<string, number>>>;
  /** The pause after a lost race, before reading again (jittered so two writers do not collide in step). */
  readonly conflictPause?: () => Promise<void>;
  /** What reservations expire against. */
  readonly clock?: () => Date;
  readonly reservationTtlMs?: number;
}

export function tableUsageLedger(
  client: UsageTableClient,
  {
    timeoutMs = DEFAULT_STORAGE_TIMEOUT_MS,
    conflictPause = () => sleepFor(5 + Math.random() * 20),
    limits = {},
    clock = () => new Date(),
    reservationTtlMs = RESERVATION_TTL_MS,
  }: UsageLedgerOptions = {},
): UsageLedger {
  let tableReady: Promise<unknown> | undefined;
  const ensureTable = (abortSignal: AbortSignal) =>
    (tableReady ??= client.createTable({ abortSignal }).catch((error: unknown) => {
      tableReady = undefined;
      throw error;
    }));
  // One writer at a time in this process: its own changes would only lose races against each other.
  let queue: Promise<unknown> = Promise.resolve();
  const LOST = Symbol('another writer got there first');

  const bookOf = (entity: unknown, where: string): UsageBook => {
    const parsed = UsageRowSchema.safeParse(entity);
    // Thrown inside the budget, so it comes out as a permanent storage failure with this message.
    if (!parsed.success)
      throw new Error(`usage table ${client.tableName} has an invalid row ${where}: ${describeIssues(parsed.error, 'row')}`);
    let reservations: unknown = {};
    try {
      reservations = JSON.parse(parsed.data.Reservations ?? '{}');
    } catch {
      reservations = undefined;
    }
    const checked = ReservationsSchema.safeParse(reservations);
    if (!checked.success) throw new Error(`usage table ${client.tableName} has invalid Reservations in row ${where}`);
    return { requests: parsed.data.Requests, reservations: checked.data };
  };

  /** One read-decide-write; LOST when another writer changed the row between the read and the write. */
  const tryChange = <A>(provider: string, month: string, decide: (book: UsageBook) => Decision<A>) =>
    withinStorageBudget(timeoutMs, client, async (abortSignal): Promise<A | typeof LOST> => {
      await ensureTable(abortSignal);
      let current;
      try {
        current = await client.getEntity<Record<string, unknown>>(month, provider, { abortSignal });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
      const { answer, next } = decide(current === undefined ? EMPTY_BOOK : bookOf(current, `${month}/${provider}`));
      if (next === undefined) return answer;
      const entity = { partitionKey: month, rowKey: provider, Requests: next.requests, Reservations: JSON.stringify(next.reservations) };
      try {
        if (current === undefined) await client.createEntity(entity, { abortSignal });
        else await client.updateEntity(entity, 'Replace', { etag: current.etag, abortSignal });
        return answer;
      } catch (error) {
        if (statusOf(error) === 409 || statusOf(error) === 412) return LOST;
        throw error;
      }
    });

  async function change<A>(provider: string, month: string, decide: (book: UsageBook) => Decision<A>): Promise<Outcome<A>> {
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; conflicts++) {
      const changed = await tryChange(provider, month, decide);
      if (!changed.ok || changed.value !== LOST) return changed as Outcome<A>;
      await conflictPause();
    }
    return transient(
      'storage',
      `usage table ${client.tableName}: ${MAX_CONFLICTS} writers in a row changed ${provider} for ${month} first; try again`,
    );
  }

  const queued = <A>(provider: string, month: string, decide: (book: UsageBook) => Decision<A>): Promise<Outcome<A>> => {
    const changed = queue.then(() => change(provider, month, decide));
    queue = changed.catch(() => undefined);
    return changed;
  };
  const policy = (provider: string) => ({ limit: limits[provider] ?? 0, now: clock(), ttlMs: reservationTtlMs });

  function readMonth(month: string): Promise<Outcome<Array<{ provider: string; book: UsageBook }>>> {
    return withinStorageBudget(timeoutMs, client, async (abortSignal) => {
      const read: Array<{ provider: string; book: UsageBook }> = [];
      try {
        const filter = odata`PartitionKey eq ${month}`;
        const select = ['RowKey', 'Requests', 'Reservations'];
        for await (const entity of client.listEntities({ queryOptions: { filter, select }, abortSignal }))
          read.push({ provider: String(entity.rowKey), book: bookOf(entity, `for ${month}`) });
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // no table yet: nothing counted
      }
      return read;
    });
  }

  return {
    table: client.tableName,
    async record(provider, month, count, claim = { keep: 0 }) {
      const recorded = await queued(provider, month, (book) => decideRecord(provider, book, count, claim, policy(provider)));
      return recorded.ok ? recorded.value : recorded;
    },
    reserve: (provider, month, holder, count, keep) =>
      queued(provider, month, (book) => decideReserve(book, holder, count, { ...policy(provider), keep })),
    renew: (provider, month, holder) => queued(provider, month, (book) => decideRenew(book, holder, policy(provider))),
    release: (provider, month, holder) => queued(provider, month, (book) => decideRelease(book, holder, clock())),
    async monthUsage(month) {
      const rows = await readMonth(month);
      return rows.ok ? success(Object.fromEntries(rows.value.map(({ provider, book }) => [provider, book.requests]))) : rows;
    },
    async monthBook(month) {
      const rows = await readMonth(month);
      if (!rows.ok) return rows;
      const now = clock();
      return success(
        Object.fromEntries(
          rows.value.map(({ provider, book }) => [provider, { requests: book.requests, reserved: reservedIn(live(book, now)) }]),
        ),
      );
    },
  };
}
