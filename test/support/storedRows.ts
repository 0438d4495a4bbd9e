import { inject } from 'vitest';
import { loadReadSettings } from '../../src/config/settings.js';
import { toTableRow, type FxGoldRow } from '../../src/domain/fxGoldRow.js';
import { addDays, weekdaysIn, type BusinessDate } from '../../src/domain/businessDate.js';
import { businessDate, isoDate } from './dates.js';
import { readDependenciesFrom, type ReadDependencies } from '../../src/reading/readDependencies.js';
import { tableRowStore, type FxGoldRowStore } from '../../src/storage/fxGoldTable.js';
import { connectionClient } from './stores.js';
import { uniqueTableName } from './tableNames.js';

export interface RowValues {
  readonly date: string;
  readonly gold: number;
  /** Units of each currency per USD. */
  readonly rates: Record<string, number>;
  /** LBMA rows are historical fixings: no open, high or low. */
  readonly source?: 'FOREXCOM' | 'LBMA' | (string & {});
  readonly qualityFlags?: string;
  readonly base?: string;
}

/** A row as the daily job stores it (toTableRow), for the given values. */
export function storedRow({ date, gold, rates, source = 'FOREXCOM', qualityFlags, base = 'USD' }: RowValues): FxGoldRow {
  const live = source === 'FOREXCOM';
  const row = toTableRow({
    date: businessDate(date),
    currency: { provider: 'frankfurter', base, asOfDate: businessDate(date), rates },
    gold: {
      provider: 'goldapi',
      currency: base,
      source,
      timestamp: live ? `${date}T18:00:12.000Z` : `${date}T10:30:00.000Z`,
      sessionStart: live ? `${date}T00:00:00.000Z` : null,
      price: gold,
      open: live ? gold * 0.99 : null,
      previousClose: gold * 0.98,
      high: live ? gold * 1.01 : null,
      low: live ? gold * 0.985 : null,
    },
    currencyTimestamp: null,
    ingestedAt: `${date}T18:00:15.000Z`,
  });
  if (!row.ok) throw new Error(row.error);
  return qualityFlags === undefined ? row.value : { ...row.value, QualityFlags: qualityFlags };
}

/** A fresh table in the suite's Azurite, its store (the project's own) and the read side over it, from settings holding storage only. */
export function freshReadTable(prefix: string, extraSettings: Record<string, string> = {}) {
  const connectionString = inject('azuriteConnectionString');
  const tableName = uniqueTableName(prefix);
  const env = { FXGOLD_STORAGE_CONNECTION: connectionString, FXGOLD_TABLE_NAME: tableName, ...extraSettings };
  const settings = loadReadSettings(env);
  if (!settings.ok) throw new Error(settings.error);
  const client = connectionClient(connectionString, tableName);
  const store: FxGoldRowStore = tableRowStore(client);
  const deps: ReadDependencies = readDependenciesFrom(settings.value);
  return { env, tableName, client, store, deps, save: (rows: readonly FxGoldRow[]) => saveAll(store, rows) };
}

async function saveAll(store: FxGoldRowStore, rows: readonly FxGoldRow[]): Promise<void> {
  for (const row of rows) {
    const saved = await store.save(row);
    if (!saved.ok) throw new Error(saved.error.message);
  }
}

/** The first `count` weekdays from `from` on (the tests' and the browser test's seeded dates). */
export function weekdaysFrom(from: string, count: number): BusinessDate[] {
  // Seven calendar days hold five weekdays: this span always holds `count` of them.
  return weekdaysIn(isoDate(from), addDays(isoDate(from), Math.ceil(count / 5) * 7 + 2)).slice(0, count);
}
