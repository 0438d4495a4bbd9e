import { rateColumn, type FxGoldRow } from '../domain/fxGoldRow.js';
import { success } from '../domain/result.js';
import type { FixedColumn, FxGoldRowReader, RowPart, RowQuery } from '../storage/fxGoldRowReader.js';
import type { PartitionSnapshot, RowCache } from './rowCache.js';

/** The read side's port served from the cache, checked once per query: the same rows, columns and failures as a fresh query of the table. */
export function cachedRowReader(cache: RowCache): FxGoldRowReader {
  return {
    async queryRows(query) {
      const snapshot = await cache.snapshot(query.base);
      return snapshot.ok ? rowsOf(snapshot.value, query) : snapshot;
    },
  };
}

/** Reads `base` from one snapshot already checked (one check per request, and the ETag names exactly these rows); other partitions from `others`. */
export const pinnedReader = (base: string, snapshot: PartitionSnapshot, others: FxGoldRowReader): FxGoldRowReader => ({
  queryRows: (query) => (query.base === base ? Promise.resolve(rowsOf(snapshot, query)) : others.queryRows(query)),
});

function rowsOf<C extends FixedColumn>(snapshot: PartitionSnapshot, { from, to, columns, currencies }: RowQuery<C>) {
  const rows = snapshot.between(from, to);
  return rows.ok ? success(rows.value.map((row) => rowPart(row, columns, currencies))) : rows;
}

/** A cached row cut to what a query asked for: its date, the asked columns it has, the asked rates it has. */
export function rowPart<C extends FixedColumn>(row: FxGoldRow, columns: readonly C[], currencies: readonly string[]): RowPart<C> {
  const part: Record<string, unknown> = { rowKey: row.rowKey };
  for (const column of columns) if (row[column] !== undefined) part[column] = row[column];
  const rates: Record<string, number> = {};
  for (const code of currencies) {
    const rate = row[rateColumn(code)];
    if (rate !== undefined) rates[code] = rate;
  }
  part.rates = rates;
  return part as RowPart<C>;
}
