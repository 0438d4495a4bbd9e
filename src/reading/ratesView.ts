import type { QualityFlag } from '../domain/fxGoldRow.js';
import type { RowPart } from '../storage/fxGoldRowReader.js';
import { ROW_COLUMNS as C, type JsonColumn } from './rowColumns.js';

export type RatesJsonRow = RowPart<JsonColumn>;

/** One stored row as GET /api/rates shows it; an absent value is null. */
export interface RateView {
  readonly date: string;
  readonly rates: Record<string, number | null>;
  readonly gold: {
    readonly price: number;
    readonly open: number | null;
    readonly previousClose: number | null;
    readonly high: number | null;
    readonly low: number | null;
    readonly source: string;
    readonly timestamp: string;
  };
  readonly currencyDate: string;
  /** When the FX rates were fixed (ISO 8601 UTC); null for rows written before it was kept. */
  readonly currencyTimestamp: string | null;
  readonly currencyProvider: string;
  readonly goldProvider: string;
  readonly ingestedAt: string;
  /** The row's data-quality flags (`[]` for a clean row); null for rows written before the quality gates. */
  readonly qualityFlags: QualityFlag[] | null;
}

/** The JSON view of a row, each value read through its entry of the column table (rowColumns.ts). */
export const rateView = (row: RatesJsonRow, currencies: readonly string[]): RateView => ({
  date: row.rowKey,
  rates: Object.fromEntries(currencies.map((code) => [code, row.rates[code] ?? null])),
  gold: {
    price: C.goldPrice.value(row),
    open: C.goldOpen.value(row),
    previousClose: C.goldPreviousClose.value(row),
    high: C.goldHigh.value(row),
    low: C.goldLow.value(row),
    source: C.goldSource.value(row),
    timestamp: C.goldTimestamp.value(row),
  },
  currencyDate: C.currencyDate.value(row),
  currencyTimestamp: C.currencyTimestamp.value(row),
  currencyProvider: C.currencyProvider.value(row),
  goldProvider: C.goldProvider.value(row),
  ingestedAt: C.ingestedAt.value(row),
  qualityFlags: C.qualityFlags.value(row),
});
