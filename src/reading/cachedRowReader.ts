import { rateColumn, type FxGoldRow } from '../domain/fxGoldRow.js';
import { success } from '../domain/result.js';
import type { FixedColumn, FxGoldRowReader, RowPart, RowQuery } from '../storage/fxGoldRowReader.js';
import type { RowCache } from './rowCache.js';

/** The read side's port served from the cache: the same rows, columns and failures as a fresh query of the table. */
export function cachedRowReader(cache: RowCache): FxGoldRowReader {
  return {
    async queryRows<C extends FixedColumn>({ base, from, to, columns, currencies }: RowQuery<C>) {
      const snapshot = await cache.snapshot(base);
      if (!snapshot.ok) return snapshot;
      const rows = snapshot.value.between(from, to);
      if (!rows.ok) return rows;
      return success(rows.value.map((row) => rowPart(row, columns, currencies)));
    },
  };
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
