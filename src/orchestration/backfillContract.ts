import { z } from 'zod';
import {
  BackfillPlanSchema,
  BackfillRangeSchema,
  BackfillSummarySchema,
  ChunkResultSchema,
  ChunkSchema,
  type BackfillRange,
  type BackfillSummary,
} from '../backfill/contract.js';
import { AcceptableGateSchema } from '../quality/gate.js';

/** What the Durable backfill sends across its JSON boundaries: its input, its activities' inputs and answers, its status. */

/** One instance per range, so a second start for the same range finds the first. */
export const backfillInstanceIdFor = (range: BackfillRange): string => `fxgold-backfill-${range.from}-${range.to}`;

export const rangeOfBackfillId = (instanceId: string): BackfillRange | undefined => {
  const match = /^fxgold-backfill-(\d{4}-\d{2}-\d{2})-(\d{4}-\d{2}-\d{2})$/.exec(instanceId);
  const range = BackfillRangeSchema.safeParse({ from: match?.[1], to: match?.[2] });
  return range.success ? range.data : undefined;
};

/** What one execution hands the next through continueAsNew: the chunks still to run and the summary so far. */
export const BackfillCarriedSchema = z.object({
  parallelism: z.number().int().min(1),
  remaining: z.array(ChunkSchema),
  summary: BackfillSummarySchema,
});
export type BackfillCarried = z.infer<typeof BackfillCarriedSchema>;

/** The orchestration's input: the range and options from the start request; `carried` from the second execution on. */
export const BackfillInputSchema = z.object({
  range: BackfillRangeSchema,
  force: z.boolean().default(false),
  retryGaps: z.boolean().default(false),
  acceptQuality: z.array(AcceptableGateSchema).default([]),
  carried: BackfillCarriedSchema.optional(),
});
export type BackfillInput = z.input<typeof BackfillInputSchema>;

export const PlanRequestSchema = z.object({ range: BackfillRangeSchema, force: z.boolean(), retryGaps: z.boolean().default(false) });
export type PlanRequest = z.infer<typeof PlanRequestSchema>;

/** planBackfill's answer: the plan and how many chunks may run at once (a setting, read in the activity), or why not. */
export const PlanOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.object({ plan: BackfillPlanSchema, parallelism: z.number().int().min(1) }) }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type PlanOutcome = z.infer<typeof PlanOutcomeSchema>;

/** `holder`: whose quota reservation the chunk spends (the backfill's instance id); absent in instances started before reservations. */
export const ChunkRequestSchema = z.object({
  chunk: ChunkSchema,
  acceptQuality: z.array(AcceptableGateSchema),
  holder: z.string().optional(),
});
export type ChunkRequest = z.infer<typeof ChunkRequestSchema>;

export const SettleRequestSchema = z.object({ holder: z.string() });
export type SettleRequest = z.infer<typeof SettleRequestSchema>;
export { ChunkResultSchema };

export const BackfillStageSchema = z.enum(['planning', 'running', 'completed']);

/** The most failed dates and gaps the custom status lists (Durable caps it at 16 KB); the output lists them all. */
export const STATUS_LIST_LIMIT = 20;

export const BackfillProgressSchema = z.object({
  total: z.number().int().nonnegative(),
  stored: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  gaps: z.number().int().nonnegative(),
});
export type BackfillProgress = z.infer<typeof BackfillProgressSchema>;

/** The custom status, set after the plan and after every chunk. */
export const BackfillStatusSchema = z.object({
  from: z.string(),
  to: z.string(),
  stage: BackfillStageSchema,
  progress: BackfillProgressSchema,
  failedDates: BackfillSummarySchema.shape.failed,
  gaps: BackfillSummarySchema.shape.gaps,
  requests: BackfillSummarySchema.shape.requests,
});
export type BackfillStatus = z.infer<typeof BackfillStatusSchema>;

export const progressOf = (summary: BackfillSummary): BackfillProgress => ({
  total: summary.dates,
  stored: summary.stored,
  skipped: summary.skipped,
  failed: summary.failed.length,
  gaps: summary.gaps.length,
});
