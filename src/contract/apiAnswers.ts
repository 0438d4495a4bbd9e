// The answers of the read endpoints (/api/rates JSON, /api/analysis, /api/status) and their error body, declared once
// for both sides: the handlers (src/http, and the reading and analysis modules that build the parts) type what they
// answer by these, so a change on one side that the other does not follow fails the type check; the dashboard
// (web/dashboard/api.ts) checks each answer it receives with the same schemas. zod's mini build, because the
// dashboard bundles this module: the full one would add ~450 kB to the page. Browser-safe: contract/ is the lowest
// layer and imports nothing else of src/ (.dependency-cruiser.cjs); the server imports only its types (and the lists).
import * as z from 'zod/mini';
import { INTERVALS } from './intervals.js';
import { QUALITY_FLAGS } from './qualityFlags.js';

const Count = z.int().check(z.minimum(0));
const Figure = z.nullable(z.number());
const Series = z.array(Figure);
const Band = z.nullable(z.tuple([z.number(), z.number()]));
/** One stored row as GET /api/rates shows it; an absent value is null. */
export const RateViewSchema = z.object({
  date: z.string(),
  rates: z.record(z.string(), Figure),
  gold: z.object({
    price: z.number(),
    open: Figure,
    previousClose: Figure,
    high: Figure,
    low: Figure,
    source: z.string(),
    timestamp: z.string(),
  }),
  currencyDate: z.string(),
  /** When the FX rates were fixed (ISO 8601 UTC); null for rows written before it was kept. */
  currencyTimestamp: z.nullable(z.string()),
  currencyProvider: z.string(),
  goldProvider: z.string(),
  ingestedAt: z.string(),
  /** The row's data-quality flags (`[]` for a clean row); null for rows written before the quality gates. */
  qualityFlags: z.nullable(z.array(z.enum(QUALITY_FLAGS))),
});
export type RateView = z.infer<typeof RateViewSchema>;

/** GET /api/rates as JSON: the range the API settled on, the row count and the rows, oldest first. */
export const RatesAnswerSchema = z.object({
  base: z.string(),
  from: z.string(),
  to: z.string(),
  count: Count,
  rows: z.array(RateViewSchema),
});
export type RatesAnswer = z.infer<typeof RatesAnswerSchema>;

const LaggedCorrelationSchema = z.object({ k: z.int(), n: Count, r: Figure });
export type LaggedCorrelation = z.infer<typeof LaggedCorrelationSchema>;

const GrangerTestSchema = z.object({ F: z.number(), df1: z.number(), df2: z.number(), p: z.number() });
export type GrangerTest = z.infer<typeof GrangerTestSchema>;

/** `/api/analysis`'s `stats.<CODE>`: everything the analysis says about gold against one series. */
const SeriesStatsSchema = z.object({
  n: Count,
  r: Figure,
  ci95: Band,
  p: Figure,
  beta: Figure,
  betaSe: Figure,
  betaSeHac: Figure,
  hacLag: z.nullable(z.int()),
  r2: Figure,
  leadLag: z.array(LaggedCorrelationSchema),
  granger: z.object({ goldToX: z.nullable(GrangerTestSchema), xToGold: z.nullable(GrangerTestSchema) }),
});
export type SeriesStats = z.infer<typeof SeriesStatsSchema>;

const ExcludedPairSchema = z.object({ from: z.string(), to: z.string(), reason: z.string() });
export type ExcludedPair = z.infer<typeof ExcludedPairSchema>;

const CorrelationMatrixSchema = z.object({ labels: z.array(z.string()), values: z.array(Series) });
export type CorrelationMatrix = z.infer<typeof CorrelationMatrixSchema>;

const SamplingGapSchema = z.object({ medianGapHours: Figure, rowsTimed: Count, rowsUntimed: Count, warning: z.nullable(z.string()) });
export type SamplingGap = z.infer<typeof SamplingGapSchema>;

/** `rolling` and `index` hold, beside their named fields, one series per requested code (`EUR`, `DXY`, ...). */
const RollingSchema = z.catchall(
  z.object({ window: z.int(), dates: z.array(z.string()), ci95: z.record(z.string(), z.array(Band)) }),
  Series,
);
const IndexSchema = z.catchall(z.object({ dates: z.array(z.string()), gold: Series, goldIn: z.record(z.string(), Series) }), Series);

/** GET /api/analysis (definitions in src/analysis). */
export const AnalysisAnswerSchema = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(INTERVALS),
  lags: z.int(),
  observations: Count,
  excludedPairs: Count,
  exclusions: z.array(ExcludedPairSchema),
  correlation: z.record(z.string(), Figure),
  stats: z.record(z.string(), SeriesStatsSchema),
  returns: z.object({ dates: z.array(z.string()), gold: z.array(z.number()), series: z.record(z.string(), z.array(z.number())) }),
  matrix: CorrelationMatrixSchema,
  sampling: SamplingGapSchema,
  rolling: RollingSchema,
  index: IndexSchema,
  /** The dollar index's level on the index's dates, when DXY was asked for. */
  dollarIndex: z.optional(z.object({ dates: z.array(z.string()), values: Series })),
});
export type AnalysisAnswer = z.infer<typeof AnalysisAnswerSchema>;

const DailyRunSchema = z.object({
  date: z.string(),
  status: z.string(),
  /** Why it failed, scrubbed of secrets; null unless it failed. */
  reason: z.nullable(z.string()),
});
export type DailyRun = z.infer<typeof DailyRunSchema>;

/** GET /api/status: how fresh the data is. */
export const StatusAnswerSchema = z.object({
  latest: z.nullable(z.object({ date: z.string(), ingestedAt: z.nullable(z.string()) })),
  missingDays: z.object({ count: Count, dates: z.array(z.string()) }),
  runs: z.array(DailyRunSchema),
  nextRun: z.nullable(z.string()),
  /** Why there is no next run, when FXGOLD_SCHEDULE is set but unusable. */
  nextRunError: z.optional(z.string()),
  currencies: z.array(z.string()),
  /** `left` is null when there is no quota (FXGOLD_GOLD_MONTHLY_QUOTA 0). */
  goldUsage: z.object({
    month: z.string(),
    provider: z.nullable(z.string()),
    used: Count,
    /** Held by running backfills and not yet spent. */
    reserved: Count,
    monthlyQuota: Count,
    left: z.nullable(Count),
  }),
});
export type StatusAnswer = z.infer<typeof StatusAnswerSchema>;

/** Every error answer: `{"error": "<what was wrong>", ...details}`; a 500 carries the correlation id of its log line. */
export const ErrorBodySchema = z.object({ error: z.string(), correlationId: z.optional(z.string()) });
