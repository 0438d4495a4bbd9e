import type { RowPart } from '../storage/fxGoldRowReader.js';
import { CSV_ENTRIES, type CsvColumn } from './rowColumns.js';

export type RatesCsvRow = RowPart<CsvColumn>;

/** `date`, the CSV headers of the column table (rowColumns.ts) in its order, then one column per currency, named by its code. */
export const csvHeader = (currencies: readonly string[]): string[] => ['date', ...CSV_ENTRIES.map((column) => column.csv), ...currencies];

/**
 * RFC 4180 (CRLF line ends, quoting by csv-stringify): a header line, then one line per stored date; an absent value
 * is an empty cell. Header and cells come from the same entries. csv-stringify is imported here, on the first CSV
 * answer: JSON answers never load it.
 * Defence in depth against formula injection (stored text columns are already closed patterns): a text cell that
 * begins with `=`, `+`, `-`, `@`, tab or carriage return is written with a leading `'` (csv-stringify's
 * `escape_formulas`), so a spreadsheet shows it as text instead of running it; numbers are written as they are.
 */
export async function ratesCsv(rows: readonly RatesCsvRow[], currencies: readonly string[]): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const records = rows.map((row) => [
    row.rowKey,
    ...CSV_ENTRIES.map((column) => column.value(row)),
    ...currencies.map((code) => row.rates[code]),
  ]);
  return stringify([csvHeader(currencies), ...records], { record_delimiter: 'windows', escape_formulas: true });
}
