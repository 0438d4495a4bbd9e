import { z } from 'zod';
import { IsoDateSchema } from '../domain/businessDate.js';

/**
 * What the backfill's two drivers share: `npm run backfill` (host-free, src/cli/backfill.ts) and the Durable backfill
 * orchestrator (src/orchestration/). Both plan with planBackfill, run each chunk with runChunk and keep the same
 * summary; only the driving differs (a loop with a progress bar, or waves of activities with continueAsNew).
 */

/** A range of business dates, both ends included. */
export const BackfillRangeSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema });
export type BackfillRange = z.infer<typeof BackfillRangeSchema>;

/** At most one calendar month of dates to fetch: one FX time-series request, one gold request per date. */
export const ChunkSchema = z.object({ from: IsoDateSchema, to: IsoDateSchema, dates: z.array(IsoDateSchema).min(1) });
export type Chunk = z.infer<typeof ChunkSchema>;

export const DateProblemSchema = z.object({ date: IsoDateSchema, reason: z.string() });
export const DateFailureSchema = z.object({ date: IsoDateSchema, error: z.string() });

/** What one chunk did: rows stored, dates the market did not trade (gaps), dates that failed, requests made. */
export const ChunkResultSchema = z.object({
  stored: z.array(IsoDateSchema),
  gaps: z.array(DateProblemSchema),
  failed: z.array(DateFailureSchema),
  requests: z.object({ currency: z.number().int().nonnegative(), gold: z.number().int().nonnegative() }),
});
export type ChunkResult = z.infer<typeof ChunkResultSchema>;

/** The plan: every business date of the range, those already stored (skipped unless forced), the chunks to run. */
export const BackfillPlanSchema = z.object({
  range: BackfillRangeSchema,
  dates: z.array(IsoDateSchema),
  skipped: z.array(IsoDateSchema),
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
  gaps: z.array(DateProblemSchema),
  failed: z.array(DateFailureSchema),
  requests: z.object({ currency: z.number().int().nonnegative(), gold: z.number().int().nonnegative() }),
});
export type BackfillSummary = z.infer<typeof BackfillSummarySchema>;
