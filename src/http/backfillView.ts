import * as df from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';
import { z } from 'zod';
import { BackfillSummarySchema, type BackfillRange } from '../backfill/contract.js';
import { BackfillStatusSchema, progressOf, type BackfillProgress } from '../orchestration/backfillContract.js';
import { failureText, scrubbed } from './runView.js';

/** What operators see of a backfill: where it stands, and once it ended, its summary (or why it failed). */
export interface BackfillView {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly runtimeStatus: string;
  readonly stage: string;
  readonly progress: BackfillProgress;
  /** Every failed date once the backfill completed; while it runs, the first ones (the count is in progress.failed). */
  readonly failedDates: readonly { date: string; error: string }[];
  readonly gaps: readonly { date: string; reason: string }[];
  readonly requests: { currency: number; gold: number };
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly summary: z.infer<typeof BackfillSummarySchema> | null;
  readonly error: string | null;
}

const NOTHING_YET = { total: 0, stored: 0, skipped: 0, failed: 0, gaps: 0 };

export function toBackfillView(status: DurableOrchestrationStatus, range: BackfillRange, secrets: readonly string[]): BackfillView {
  const failed = status.runtimeStatus === df.OrchestrationRuntimeStatus.Failed;
  // Both crossed the extension as JSON: read, not trusted (a status from before the first chunk has no progress).
  const summary = failed ? undefined : BackfillSummarySchema.safeParse(status.output).data;
  const current = BackfillStatusSchema.safeParse(status.customStatus).data;
  const view: BackfillView = {
    id: status.instanceId,
    ...range,
    runtimeStatus: status.runtimeStatus,
    stage: current?.stage ?? 'pending',
    progress: summary ? progressOf(summary) : (current?.progress ?? NOTHING_YET),
    failedDates: summary?.failed ?? current?.failedDates ?? [],
    gaps: summary?.gaps ?? current?.gaps ?? [],
    requests: summary?.requests ?? current?.requests ?? { currency: 0, gold: 0 },
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    summary: summary ?? null,
    error: failed ? failureText(status.output) : null,
  };
  return scrubbed(view, secrets);
}
