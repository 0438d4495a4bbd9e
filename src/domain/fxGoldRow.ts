import { z } from 'zod';
import { CurrencyCodeSchema, CurrencyRatesSchema, GoldQuoteSchema, PositiveNumberSchema } from './quotes.js';
import { IsoDateSchema } from './businessDate.js';
import { failure, success, type Result } from './result.js';

export const rateColumn = (code: string): `Rate_${string}` => `Rate_${code}`;

/**
 * One stored row per business day. Keys are the @azure/data-tables names (`partitionKey`, `rowKey`);
 * the Table service shows them as PartitionKey and RowKey. Gold columns a quote does not have are absent.
 */
export const FixedColumnsSchema = z.object({
  partitionKey: CurrencyCodeSchema,
  rowKey: IsoDateSchema,
  BaseCurrency: CurrencyCodeSchema,
  GoldPrice: PositiveNumberSchema,
  GoldOpeningPrice: PositiveNumberSchema.optional(),
  GoldClosingPrice: PositiveNumberSchema.optional(),
  GoldHigh: PositiveNumberSchema.optional(),
  GoldLow: PositiveNumberSchema.optional(),
  GoldSource: z.string(),
  GoldTimestamp: z.iso.datetime(),
  CurrencyDate: IsoDateSchema,
  CurrencyProvider: z.string(),
  /** When the FX rates were fixed (ISO 8601); absent on rows written before the column. */
  CurrencyTimestamp: z.iso.datetime().optional(),
  GoldProvider: z.string(),
  IngestedAt: z.iso.datetime(),
  /** Comma-separated data-quality flags (src/quality), '' for a clean row; absent on rows written before the gates. */
  QualityFlags: z.string().optional(),
});
export type FxGoldRow = z.infer<typeof FixedColumnsSchema> & { [column: `Rate_${string}`]: number };
/** The fixed columns plus any number of `Rate_<CODE>` Doubles. zod cannot type a catch-all beside string columns, so the row type is stated here once. */
export const FxGoldRowSchema = FixedColumnsSchema.catchall(PositiveNumberSchema).refine(
  (row) => Object.keys(row).every((key) => key in FixedColumnsSchema.shape || /^Rate_[A-Z]{3}$/.test(key)),
  'has a column that is neither a documented column nor Rate_<CODE>',
) as unknown as z.ZodType<FxGoldRow>;

export const TransformInputSchema = z.object({
  date: IsoDateSchema,
  currency: CurrencyRatesSchema,
  gold: GoldQuoteSchema,
  ingestedAt: z.iso.datetime(),
});
export type TransformInput = z.infer<typeof TransformInputSchema>;

/** Merges one day's FX rates and gold quote into the stored row. Pure: the caller supplies the time. */
export function toTableRow(input: TransformInput): Result<FxGoldRow, string> {
  const { date, currency, gold, ingestedAt } = input;
  if (gold.currency !== currency.base) {
    return failure(`gold is quoted in ${gold.currency} but the rates are based on ${currency.base}`);
  }
  const row: FxGoldRow = {
    partitionKey: currency.base,
    rowKey: date,
    BaseCurrency: currency.base,
    ...Object.fromEntries(Object.entries(currency.rates).map(([code, rate]) => [rateColumn(code), rate])),
    GoldPrice: gold.price,
    ...optionalColumn('GoldOpeningPrice', gold.open),
    ...optionalColumn('GoldClosingPrice', gold.previousClose),
    ...optionalColumn('GoldHigh', gold.high),
    ...optionalColumn('GoldLow', gold.low),
    GoldSource: gold.source,
    GoldTimestamp: gold.timestamp,
    CurrencyDate: currency.asOfDate,
    CurrencyProvider: currency.provider,
    GoldProvider: gold.provider,
    IngestedAt: ingestedAt,
  };
  return success(row);
}

const optionalColumn = (column: string, value: number | null): Record<string, number> => (value === null ? {} : { [column]: value });

/** What an orchestration reports about the row it stored: the key, the provenance and the values. */
export interface RowSummary {
  readonly table: { readonly partitionKey: string; readonly rowKey: string };
  readonly currencyDate: string;
  readonly goldSource: string;
  readonly goldPrice: number;
  readonly rates: Record<string, number>;
}

export const summarizeRow = (row: FxGoldRow): RowSummary => ({
  table: { partitionKey: row.partitionKey, rowKey: row.rowKey },
  currencyDate: row.CurrencyDate,
  goldSource: row.GoldSource,
  goldPrice: row.GoldPrice,
  rates: Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k.startsWith('Rate_'))
      .map(([k, v]) => [k.slice(5), v as number]),
  ),
});
