import type { FixedColumn, RowPart } from '../storage/fxGoldRowReader.js';

/** The columns the CSV shows, in its order. */
export const RATES_CSV_COLUMNS = [
  'GoldPrice',
  'GoldOpeningPrice',
  'GoldClosingPrice',
  'GoldHigh',
  'GoldLow',
  'GoldSource',
  'GoldTimestamp',
  'CurrencyDate',
] as const satisfies readonly FixedColumn[];
export type RatesCsvRow = RowPart<(typeof RATES_CSV_COLUMNS)[number]>;

const FIXED_HEADER = [
  'date',
  'gold_price',
  'gold_open',
  'gold_previous_close',
  'gold_high',
  'gold_low',
  'gold_source',
  'gold_timestamp',
  'currency_date',
];

/** `date,gold_price,...,currency_date,` then one column per currency, named by its code. */
export const csvHeader = (currencies: readonly string[]): string[] => [...FIXED_HEADER, ...currencies];

/**
 * RFC 4180 (CRLF line ends, quoting by csv-stringify): a header line, then one line per stored date; an absent value
 * is an empty cell. csv-stringify is imported here, on the first CSV answer: JSON answers never load it.
 * Defence in depth against formula injection (stored text columns are already closed patterns): a text cell that
 * begins with `=`, `+`, `-`, `@`, tab or carriage return is written with a leading `'` (csv-stringify's
 * `escape_formulas`), so a spreadsheet shows it as text instead of running it; numbers are written as they are.
 */
export async function ratesCsv(rows: readonly RatesCsvRow[], currencies: readonly string[]): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  const records = rows.map((row) => [
    row.rowKey,
    row.GoldPrice,
    row.GoldOpeningPrice,
    row.GoldClosingPrice,
    row.GoldHigh,
    row.GoldLow,
    row.GoldSource,
    row.GoldTimestamp,
    row.CurrencyDate,
    ...currencies.map((code) => row.rates[code]),
  ]);
  return stringify([csvHeader(currencies), ...records], { record_delimiter: 'windows', escape_formulas: true });
}
