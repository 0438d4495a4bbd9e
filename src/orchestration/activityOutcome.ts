import { z } from 'zod';
import { FxGoldRowSchema } from '../domain/fxGoldRow.js';
import { ProviderNameSchema } from '../clients/registry.js';
import { FailureSchema, unexpectedFailure, type Outcome } from '../domain/failure.js';
import { BusinessDateSchema } from '../domain/businessDate.js';
import { CurrencyRatesSchema, GoldQuoteSchema, QuoteModeSchema, QuoteRequestSchema } from '../domain/quotes.js';
import { AcceptableGateSchema } from '../quality/gate.js';
import { failure, type Result } from '../domain/result.js';

/**
 * What crosses the JSON boundary between the orchestrator and the activities. Activities never throw for a failure
 * they know: every outcome, transient or permanent, comes back as a value, and the orchestrator decides on retries.
 */
const resultOf = <V extends z.ZodType, E extends z.ZodType>(value: V, error: E) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error })]);

/** A fetch activity's input: the request, and which provider to ask (none: the first of the configured chain). */
export const FetchInputSchema = z.object({ request: QuoteRequestSchema, provider: ProviderNameSchema.optional() });
export type FetchInput = z.infer<typeof FetchInputSchema>;

/**
 * A fetch activity's answer: the configured chain (the settings live in the activities, so this is how the
 * orchestrator learns it, from the first answer, deterministically), who was asked, and what came of it.
 */
const fetchReport = <S extends z.ZodType>(quote: S) =>
  z.object({ chain: z.array(ProviderNameSchema), result: resultOf(quote, FailureSchema) });
export const FetchReportSchemas = { rates: fetchReport(CurrencyRatesSchema), gold: fetchReport(GoldQuoteSchema) };
export type FetchReport<T> = { readonly chain: z.infer<typeof ProviderNameSchema>[]; readonly result: Outcome<T> };

/** transformRecord's input: the business date, how it was asked (the mode dates a gold quote), the accepted gates and both quotes. */
export const TransformRequestSchema = z.object({
  date: BusinessDateSchema,
  mode: QuoteModeSchema,
  accepted: z.array(AcceptableGateSchema),
  currency: CurrencyRatesSchema,
  gold: GoldQuoteSchema,
});
export type TransformRequest = z.input<typeof TransformRequestSchema>;

export const TransformOutcomeSchema = resultOf(FxGoldRowSchema, FailureSchema);

/** persistRecord answers the stored row's summary; the orchestrator passes it on as the run's output. */
export const PersistOutcomeSchema = resultOf(z.record(z.string(), z.unknown()), FailureSchema);

/**
 * The dependencies for one activity call. Building them reads the settings; a settings problem is permanent (a retry
 * would read the same settings), and so is anything else thrown while building them.
 */
export function loadDependencies<D>(deps: () => Result<D, string>, step: string): Outcome<D> {
  try {
    const loaded = deps();
    return loaded.ok ? loaded : failure({ source: 'settings', kind: 'permanent', message: loaded.error });
  } catch (error) {
    return unexpectedFailure('settings', step, error);
  }
}
