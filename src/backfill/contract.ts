import { z } from 'zod';
import { BusinessDateSchema, IsoDateSchema } from '../domain/businessDate.js';

/**
 * What the backfill's two drivers share: `npm run backfill` (host-free, src/cli/backfill.ts) and the Durable backfill
 * orchestrator (src/orchestration/). Both plan with planBackfill, run each chunk with runChunk and keep the same
 * summary; only the driving differs (a loop with a progress bar, or waves of activities with continueAsNew).
 */

/** A range of business dates, both ends included. */
export const BackfillRangeSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema });
export type BackfillRange = z.infer<typeof BackfillRangeSchema>;

/** At most one calendar month of dates to fetch: one FX time-series request, one gold request per date. */
export const ChunkSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema, dates: z.array(BusinessDateSchema).min(1) });
export type Chunk = z.infer<typeof ChunkSchema>;

export const DateProblemSchema = z.object({ date: BusinessDateSchema, reason: z.string() });
export const DateFailureSchema = z.object({ date: BusinessDateSchema, error: z.string() });

/** What one chunk did: rows stored, dates the market did not trade (gaps), dates that failed, requests made. */
export const ChunkResultSchema = z.object({
  stored: z.array(BusinessDateSchema),
  gaps: z.array(DateProblemSchema),
  failed: z.array(DateFailureSchema),
  requests: z.object({ currency: z.number().int().nonnegative(), gold: z.number().int().nonnegative() }),
});
export type ChunkResult = z.infer<typeof ChunkResultSchema>;

/** The plan: every business date of the range, those already stored (skipped unless forced), the chunks to run. */
export const BackfillPlanSchema = z.object({
  range: BackfillRangeSchema,
  dates: z.array(BusinessDateSchema),
  skipped: z.array(BusinessDateSchema),
  /** Dates a backfill before found no data for (src/storage/gapsTable.ts): not asked again unless retrying gaps. */
  knownGaps: z.array(BusinessDateSchema),
  chunks: z.array(ChunkSchema),
  /** Requests the plan will make of each provider kind. */
  requests: z.object({ currency: z.number().int().nonnegative(), gold: z.number().int().nonnegative() }),
});
export type BackfillPlan = z.infer<typeof BackfillPlanSchema>;

/** The one JSON summary both drivers end with (issue 9). */
export const BackfillSummarySchema = z.object({
  from: IsoDateSchema,
  to: IsoDateSchema,
  dates: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  /** Dates recorded as gaps by an earlier backfill, not asked again (the plan's knownGaps). */
  knownGaps: z.number().int().nonnegative(),
  gaps: z.array(DateProblemSchema),
  failed: z.array(DateFailureSchema),
  requests: z.object({ currency: z.number().int().nonnegative(), gold: z.number().int().nonnegative() }),
});
export type BackfillSummary = z.infer<typeof BackfillSummarySchema>;

/**
 * The quota guard's numbers for one backfill (src/backfill/quota.ts): what it needs of the gold chain's first provider
 * and what that provider's limits leave. Only a metered provider (a monthly quota: goldapi) is limited; for any other
 * the view says so (`metered: false`) and nothing is refused.
 */
export const QuotaViewSchema = z.object({
  provider: z.string(),
  metered: z.boolean(),
  /** Gold requests the plan makes (one per date to fetch; retries come on top). */
  needed: z.number().int().nonnegative(),
  /** Requests reserved beyond the plan for retries (src/backfill/quota.ts retryAllowanceFor): the backfill makes at most needed + allowance. */
  allowance: z.number().int().nonnegative(),
  /** FXGOLD_GOLD_REQUEST_BUDGET: the most one backfill may make. */
  budget: z.number().int().nonnegative(),
  /** The UTC month the ledger counts in, `YYYY-MM`. */
  month: z.string().regex(/^\d{4}-\d{2}$/),
  /** FXGOLD_GOLD_MONTHLY_QUOTA; 0 = no monthly limit. */
  monthlyQuota: z.number().int().nonnegative(),
  /** Requests the usage ledger counted for the provider this month, every path together. */
  used: z.number().int().nonnegative(),
  /** Reserved this month by the other backfills still running (expired reservations left out). */
  reserved: z.number().int().nonnegative(),
  /** Kept for the month's remaining weekday runs (today included), one request each. */
  reserve: z.number().int().nonnegative(),
  /** What a backfill may still reserve this month: quota − used − reserved − reserve (never below 0); null without a monthly limit. */
  left: z.number().int().nonnegative().nullable(),
});
export type QuotaView = z.infer<typeof QuotaViewSchema>;
