import { loadReadSettings } from '../../src/config/settings.js';
import { readDependenciesFrom, type ReadDependencies } from '../../src/reading/readDependencies.js';
import { isoDate } from './dates.js';

/**
 * One app instance's read side over a table, built from settings as an instance builds its own: its own table
 * client and its own in-memory cache. Two of these over one table are two instances sharing the table.
 */
export function readInstance(connectionString: string, tableName: string): ReadDependencies {
  const settings = loadReadSettings({ FXGOLD_STORAGE_CONNECTION: connectionString, FXGOLD_TABLE_NAME: tableName });
  if (!settings.ok) throw new Error(settings.error);
  return readDependenciesFrom(settings.value);
}

/** The gold price of every row dated from `from` to `to` as that instance reads it now, by date. */
export async function goldByDate(instance: ReadDependencies, from: string, to: string): Promise<Record<string, number>> {
  const rows = await instance.rows.queryRows({
    base: instance.baseCurrency,
    from: isoDate(from),
    to: isoDate(to),
    columns: ['GoldPrice'],
    currencies: [],
  });
  if (!rows.ok) throw new Error(rows.error.message);
  return Object.fromEntries(rows.value.map((row) => [row.rowKey, row.GoldPrice]));
}
