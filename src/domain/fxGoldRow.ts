import { z } from 'zod';
import { QUALITY_FLAGS, type QualityFlag } from '../contract/qualityFlags.js';
import { CurrencyCodeSchema, CurrencyRatesSchema, GoldQuoteSchema, PositiveNumberSchema } from './quotes.js';
import { BusinessDateSchema, IsoDateSchema, type BusinessDate, type IsoDate } from './businessDate.js';
import { failure, success, type Result } from './result.js';

/** What a row's QualityFlags column may hold (src/contract/qualityFlags.ts: the list is part of /api/rates' answer). */
export const QualityFlagSchema = z.enum(QUALITY_FLAGS);
export type { QualityFlag };

/**
 * The QualityFlags column as flags, the one reading of it: `[]` for a clean row, null for a row written before the
 * gates. A flag this version does not know is left out rather than failing the row.
 */
export function parseQualityFlags(column: string | undefined): QualityFlag[] | null {
  if (column === undefined) return null;
  return column.split(',').flatMap((text) => {
    const flag = QualityFlagSchema.safeParse(text);
    return flag.success ? [flag.data] : [];
  });
}

/** The row holds an earlier day's FX rates or gold price (its source had nothing newer for the date). */
export const isCarriedForward = (flags: readonly QualityFlag[] | null): boolean =>
  flags?.some((flag) => flag === 'fx-carried-forward' || flag === 'gold-carried-forward') ?? false;

export const rateColumn = (code: string): `Rate_${string}` => `Rate_${code}`;

/**
 * One stored row per business day. Keys are the @azure/data-tables names (`partitionKey`, `rowKey`);
 * the Table service shows them as PartitionKey and RowKey. Gold columns a quote does not have are absent.
 */
export const FixedColumnsSchema = z.object({
  partitionKey: CurrencyCodeSchema,
  rowKey: BusinessDateSchema,
  BaseCurrency: CurrencyCodeSchema,
  GoldPrice: PositiveNumberSchema,
  GoldOpeningPrice: PositiveNumberSchema.optional(),
  GoldClosingPrice: PositiveNumberSchema.optional(),
  GoldHigh: PositiveNumberSchema.optional(),
  GoldLow: PositiveNumberSchema.optional(),
  GoldSource: z.string(),
  GoldTimestamp: z.iso.datetime(),
  CurrencyDate: IsoDateSchema,
  /** When the FX rates were fixed (ECB: 14:15 Frankfurt on CurrencyDate); absent on rows written before it was kept. */
  CurrencyTimestamp: z.iso.datetime().optional(),
  CurrencyProvider: z.string(),
  GoldProvider: z.string(),
  IngestedAt: z.iso.datetime(),
  /** Comma-separated data-quality flags (QualityFlagSchema), '' for a clean row; absent on rows written before the gates. */
  QualityFlags: z.string().optional(),
});
export type FxGoldRow = z.infer<typeof FixedColumnsSchema> & { [column: `Rate_${string}`]: number };
/** The fixed columns plus any number of `Rate_<CODE>` Doubles. zod cannot type a catch-all beside string columns, so the row type is stated here once. */
export const FxGoldRowSchema = FixedColumnsSchema.catchall(PositiveNumberSchema).refine(
  (row) => Object.keys(row).every((key) => key in FixedColumnsSchema.shape || /^Rate_[A-Z]{3}$/.test(key)),
  'has a column that is neither a documented column nor Rate_<CODE>',
) as unknown as z.ZodType<FxGoldRow>;

export const TransformInputSchema = z.object({
  date: BusinessDateSchema,
  currency: CurrencyRatesSchema,
  gold: GoldQuoteSchema,
  /** When the FX rates were fixed; null when nobody says (exchangerate.host's series has no time of day). */
  currencyTimestamp: z.iso.datetime().nullable(),
  ingestedAt: z.iso.datetime(),
});
export type TransformInput = z.infer<typeof TransformInputSchema>;

/** Merges one day's FX rates and gold quote into the stored row. Pure: the caller supplies the time. */
export function toTableRow(input: TransformInput): Result<FxGoldRow, string> {
  const { date, currency, gold, currencyTimestamp, ingestedAt } = input;
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
    ...(currencyTimestamp === null ? {} : { CurrencyTimestamp: currencyTimestamp }),
    CurrencyProvider: currency.provider,
    GoldProvider: gold.provider,
    IngestedAt: ingestedAt,
  };
  return success(row);
}

const optionalColumn = (column: string, value: number | null): Record<string, number> => (value === null ? {} : { [column]: value });

/** What an orchestration reports about the row it stored: the key, the provenance and the values. */
export interface RowSummary {
  readonly table: { readonly partitionKey: string; readonly rowKey: BusinessDate };
  readonly currencyDate: IsoDate;
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
