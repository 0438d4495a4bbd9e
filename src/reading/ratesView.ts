import type { FixedColumn, RowPart } from '../storage/fxGoldRowReader.js';

/** The columns the JSON answer shows. */
export const RATES_JSON_COLUMNS = [
  'GoldPrice',
  'GoldOpeningPrice',
  'GoldClosingPrice',
  'GoldHigh',
  'GoldLow',
  'GoldSource',
  'GoldTimestamp',
  'CurrencyDate',
  'CurrencyTimestamp',
  'CurrencyProvider',
  'GoldProvider',
  'IngestedAt',
  'QualityFlags',
] as const satisfies readonly FixedColumn[];
export type RatesJsonRow = RowPart<(typeof RATES_JSON_COLUMNS)[number]>;

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
  readonly qualityFlags: string[] | null;
}

export const rateView = (row: RatesJsonRow, currencies: readonly string[]): RateView => ({
  date: row.rowKey,
  rates: Object.fromEntries(currencies.map((code) => [code, row.rates[code] ?? null])),
  gold: {
    price: row.GoldPrice,
    open: row.GoldOpeningPrice ?? null,
    previousClose: row.GoldClosingPrice ?? null,
    high: row.GoldHigh ?? null,
    low: row.GoldLow ?? null,
    source: row.GoldSource,
    timestamp: row.GoldTimestamp,
  },
  currencyDate: row.CurrencyDate,
  currencyTimestamp: row.CurrencyTimestamp ?? null,
  currencyProvider: row.CurrencyProvider,
  goldProvider: row.GoldProvider,
  ingestedAt: row.IngestedAt,
  qualityFlags: row.QualityFlags === undefined ? null : row.QualityFlags.split(',').filter((flag) => flag !== ''),
});
