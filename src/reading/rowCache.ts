import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { permanent, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import type { FxGoldRowChanges, StoredEntry } from '../storage/fxGoldRowChanges.js';

/** One partition's stored rows as of one check of the table. Immutable: a later change makes a new snapshot. */
export interface PartitionSnapshot {
  /**
   * Changes whenever any row of the partition is written, and is the same on every instance holding the same rows:
   * the number of rows and the latest service Timestamp among them.
   */
  readonly version: string;
  /** Whether a row (valid or not) is stored for the date. */
  readonly has: (date: string) => boolean;
  /** The latest stored date, or undefined when the partition is empty. */
  readonly latestDate: string | undefined;
  /** The rows dated from `from` to `to` (both included), oldest first; a stored row in that range that is not valid fails it. */
  between(from: string, to: string): Outcome<FxGoldRow[]>;
}

/** The decoded rows of each partition asked for, checked against the table on every call. */
export interface RowCache {
  /** The partition as stored now: every write that completed before this call is in it. */
  snapshot(base: string): Promise<Outcome<PartitionSnapshot>>;
}

export interface RowCacheOptions {
  /**
   * How far before the latest Timestamp seen each check looks again. A write's Timestamp is set by the service as it
   * starts the write, so a write still in flight can become visible with a Timestamp earlier than one already read;
   * no Table operation runs longer than the service's 30 s limit, and this also covers clock differences between the
   * service's nodes when a partition moves.
   */
  readonly settleMs?: number;
  /**
   * How long an unchanged watermark is trusted before the table is queried anyway: a writer that does not rewrite the
   * watermark (an older version of the app during a rolling deployment, a tool such as Storage Explorer) is seen
   * within this time rather than never.
   */
  readonly recheckMs?: number;
  /** The instance's clock, epoch ms (tests move it). */
  readonly now?: () => number;
}

export const DEFAULT_SETTLE_MS = 120_000;
export const DEFAULT_RECHECK_MS = 60_000;

interface PartitionState {
  readonly entries: ReadonlyMap<string, StoredEntry>;
  /** The dates of `entries`, sorted, for range lookups by binary search. */
  readonly dates: readonly string[];
  readonly highMs: number;
}

interface Slot {
  state?: PartitionState;
  /** The watermark's ETag read before the query that made `state`: while it is unchanged, no row was written since. */
  watermark?: string;
  /** When that query was sent (the instance's clock, epoch ms). */
  queriedAtMs?: number;
  snapshot?: PartitionSnapshot;
  running?: Promise<Outcome<PartitionSnapshot>>;
  queued?: Promise<Outcome<PartitionSnapshot>>;
}

/**
 * The read model: the first call for a partition reads it whole; every later call reads the partition's watermark (one
 * point read) and, only when it changed (or there is none: rows written before it existed), or the last query is
 * `recheckMs` old, what the service wrote since the latest Timestamp seen (less `settleMs`), and merges it. Calls that arrive while a check runs
 * share the next one, which starts after it: a check that began before a caller arrived could miss a write the caller
 * has already seen complete. Memory: one decoded row per stored date of each partition asked for (the app asks for its
 * base currency only).
 */
export function rowCache(
  changes: FxGoldRowChanges,
  { settleMs = DEFAULT_SETTLE_MS, recheckMs = DEFAULT_RECHECK_MS, now = Date.now }: RowCacheOptions = {},
): RowCache {
  const slots = new Map<string, Slot>();

  const check = async (base: string, slot: Slot): Promise<Outcome<PartitionSnapshot>> => {
    // Read before the query: a write landing between the two changes the watermark again, so the next check looks.
    const watermark = await changes.watermark(base);
    if (!watermark.ok) return watermark;
    const queriedAtMs = now();
    const fresh = slot.queriedAtMs !== undefined && queriedAtMs - slot.queriedAtMs < recheckMs;
    if (slot.snapshot && fresh && watermark.value !== undefined && watermark.value === slot.watermark) return success(slot.snapshot);
    const changed = await changes.changedSince(base, slot.state && slot.state.highMs - settleMs);
    if (!changed.ok) return changed;
    slot.watermark = watermark.value;
    slot.queriedAtMs = queriedAtMs;
    const previous = slot.state;
    if (previous && slot.snapshot && changed.value.every((entry) => previous.entries.get(entry.date)?.writtenAtMs === entry.writtenAtMs))
      return success(slot.snapshot);
    slot.state = merged(previous, changed.value);
    slot.snapshot = snapshotOf(slot.state, changes.tableName);
    return success(slot.snapshot);
  };

  const start = (base: string, slot: Slot) => {
    const running = check(base, slot).finally(() => {
      if (slot.running === running) slot.running = undefined;
    });
    slot.running = running;
    return running;
  };

  return {
    snapshot(base) {
      let slot = slots.get(base);
      if (!slot) slots.set(base, (slot = {}));
      const current = slot;
      if (!current.running) return start(base, current);
      return (current.queued ??= current.running.then(() => {
        current.queued = undefined;
        return start(base, current);
      }));
    },
  };
}

function merged(previous: PartitionState | undefined, changed: readonly StoredEntry[]): PartitionState {
  const entries = new Map(previous?.entries);
  let newDates = previous === undefined;
  let highMs = previous?.highMs ?? 0;
  for (const entry of changed) {
    if (!entries.has(entry.date)) newDates = true;
    entries.set(entry.date, entry);
    highMs = Math.max(highMs, entry.writtenAtMs);
  }
  return { entries, dates: previous && !newDates ? previous.dates : [...entries.keys()].sort(), highMs };
}

function snapshotOf(state: PartitionState, tableName: string): PartitionSnapshot {
  const { entries, dates, highMs } = state;
  return {
    version: `${entries.size}-${highMs}`,
    has: (date) => entries.has(date),
    latestDate: dates.at(-1),
    between(from, to) {
      const rows: FxGoldRow[] = [];
      for (let i = firstAtOrAfter(dates, from); i < dates.length && dates[i]! <= to; i++) {
        const entry = entries.get(dates[i]!)!;
        if (!entry.row.ok)
          return permanent('storage', `row ${entry.date} of table ${tableName} is not a valid FxGold row: ${entry.row.error}`);
        rows.push(entry.row.value);
      }
      return success(rows);
    },
  };
}

/** The index of the first date not before `date` (binary search over sorted dates). */
function firstAtOrAfter(dates: readonly string[], date: string): number {
  let low = 0;
  let high = dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dates[middle]! < date) low = middle + 1;
    else high = middle;
  }
  return low;
}
