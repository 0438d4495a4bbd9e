import type { RateView } from '../contract/apiAnswers.js';
import type { RowPart } from '../storage/fxGoldRowReader.js';
import { ROW_COLUMNS as C, type JsonColumn } from './rowColumns.js';

export type RatesJsonRow = RowPart<JsonColumn>;

/** One stored row as GET /api/rates shows it; declared with the answer (src/contract/apiAnswers.ts). */
export type { RateView };

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
