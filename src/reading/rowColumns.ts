import { parseQualityFlags, type QualityFlag } from '../domain/fxGoldRow.js';
import type { FixedColumn, RowPart } from '../storage/fxGoldRowReader.js';

/**
 * The read side's column table: for each value a row shows, the stored column it reads, its value, and its CSV
 * header when the CSV shows it. The JSON view (ratesView.ts) and the CSV (ratesCsv.ts) both take their columns, cells
 * and headers from these entries, so they cannot drift apart.
 */
interface ColumnEntry<C extends FixedColumn, V, H extends string | undefined> {
  readonly stored: C;
  readonly value: (row: RowPart<C>) => V;
  /** The CSV's header for it; absent: the CSV leaves it out (provenance, kept to the JSON answer). */
  readonly csv?: H;
}

const entry = <C extends FixedColumn, V, H extends string | undefined = undefined>(definition: ColumnEntry<C, V, H>) => definition;

export const ROW_COLUMNS = {
  goldPrice: entry({ stored: 'GoldPrice', csv: 'gold_price', value: (row) => row.GoldPrice }),
  goldOpen: entry({ stored: 'GoldOpeningPrice', csv: 'gold_open', value: (row) => row.GoldOpeningPrice ?? null }),
  goldPreviousClose: entry({ stored: 'GoldClosingPrice', csv: 'gold_previous_close', value: (row) => row.GoldClosingPrice ?? null }),
  goldHigh: entry({ stored: 'GoldHigh', csv: 'gold_high', value: (row) => row.GoldHigh ?? null }),
  goldLow: entry({ stored: 'GoldLow', csv: 'gold_low', value: (row) => row.GoldLow ?? null }),
  goldSource: entry({ stored: 'GoldSource', csv: 'gold_source', value: (row) => row.GoldSource }),
  goldTimestamp: entry({ stored: 'GoldTimestamp', csv: 'gold_timestamp', value: (row) => row.GoldTimestamp }),
  currencyDate: entry({ stored: 'CurrencyDate', csv: 'currency_date', value: (row) => row.CurrencyDate }),
  /** When the FX rates were fixed; null for rows written before the column. */
  currencyTimestamp: entry({ stored: 'CurrencyTimestamp', value: (row) => row.CurrencyTimestamp ?? null }),
  currencyProvider: entry({ stored: 'CurrencyProvider', value: (row) => row.CurrencyProvider }),
  goldProvider: entry({ stored: 'GoldProvider', value: (row) => row.GoldProvider }),
  ingestedAt: entry({ stored: 'IngestedAt', value: (row) => row.IngestedAt }),
  /** `[]` for a clean row; null for rows written before the quality gates. */
  qualityFlags: entry({ stored: 'QualityFlags', value: (row): QualityFlag[] | null => parseQualityFlags(row.QualityFlags) }),
};

type Entries = typeof ROW_COLUMNS;
/** The stored columns the JSON view reads. */
export type JsonColumn = Entries[keyof Entries]['stored'];
export const JSON_COLUMNS: JsonColumn[] = Object.values(ROW_COLUMNS).map((column) => column.stored);

/** The stored columns the CSV reads: those of the entries with a CSV header. */
export type CsvColumn = {
  [K in keyof Entries]: Entries[K] extends ColumnEntry<infer C, unknown, infer H> ? (H extends string ? C : never) : never;
}[keyof Entries];
type CsvEntry = ColumnEntry<CsvColumn, unknown, string> & { readonly csv: string };
/** The entries the CSV shows, in the table's order. */
export const CSV_ENTRIES = Object.values(ROW_COLUMNS).filter((column) => column.csv !== undefined) as unknown as CsvEntry[];
export const CSV_COLUMNS: CsvColumn[] = CSV_ENTRIES.map((column) => column.stored);
