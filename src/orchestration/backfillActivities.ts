import { runChunk } from '../backfill/runChunk.js';
import type { ChunkResult } from '../backfill/contract.js';
import { describeFailure } from '../domain/failure.js';
import { describeIssues } from '../domain/failureText.js';
import type { Result } from '../domain/result.js';
import type { BackfillDependencies } from '../backfill/dependencies.js';
import { planWithinQuota } from '../backfill/planWithinQuota.js';
import { loadDependencies } from './activityOutcome.js';
import { backfillInstanceIdFor, ChunkRequestSchema, PlanRequestSchema, SettleRequestSchema, type PlanOutcome } from './backfillContract.js';
import { releaseQuota } from '../backfill/quota.js';

/**
 * The backfill's activities: thin adapters from the orchestrator's JSON to src/backfill/. Each validates what it was
 * sent and answers a value; none throws for a failure. A chunk request that is not one throws (there are no dates to
 * fail): the orchestrator then fails that chunk's dates with the host's report.
 */
type Dependencies = () => Result<BackfillDependencies, string>;

/** Plans the backfill and checks the quota again (time passed since the start), with how many chunks may run at once. */
export async function planBackfillActivity(input: unknown, deps: Dependencies): Promise<PlanOutcome> {
  const loaded = loadDependencies(deps, 'planBackfill');
  if (!loaded.ok) return { ok: false, error: describeFailure(loaded.error) };
  const request = PlanRequestSchema.safeParse(input);
  if (!request.success) return { ok: false, error: `planBackfill: invalid input: ${describeIssues(request.error, 'input')}` };
  // The start endpoint reserved under the instance id already; reserving again replaces that with the new plan's need.
  const holder = backfillInstanceIdFor(request.data.range);
  const planned = await planWithinQuota(request.data.range, loaded.value, { ...request.data, now: loaded.value.clock(), holder });
  if (!planned.ok) return { ok: false, error: planned.error.message };
  return { ok: true, value: { plan: planned.value.plan, parallelism: loaded.value.backfillParallelism } };
}

/** Runs one chunk: fetch, check and write its dates (runChunk retries and fails over inside and never throws). */
export async function runBackfillChunkActivity(input: unknown, deps: Dependencies): Promise<ChunkResult> {
  const request = ChunkRequestSchema.safeParse(input);
  if (!request.success) throw new Error(`runBackfillChunk: invalid input: ${describeIssues(request.error, 'input')}`);
  const { chunk, acceptQuality, holder } = request.data;
  const loaded = loadDependencies(deps, 'runBackfillChunk');
  if (!loaded.ok)
    return {
      stored: [],
      gaps: [],
      failed: chunk.dates.map((date) => ({ date, error: describeFailure(loaded.error) })),
      requests: { currency: 0, gold: 0 },
    };
  return runChunk(chunk, loaded.value, { retry: true, accepted: acceptQuality, ...(holder === undefined ? {} : { holder }) });
}

/** Frees what the backfill reserved and did not spend, once its last chunk has ended; a failure leaves it to expire. */
export async function settleBackfillActivity(input: unknown, deps: Dependencies): Promise<{ ok: true } | { ok: false; error: string }> {
  const request = SettleRequestSchema.safeParse(input);
  if (!request.success) return { ok: false, error: `settleBackfill: invalid input: ${describeIssues(request.error, 'input')}` };
  const loaded = loadDependencies(deps, 'settleBackfill');
  if (!loaded.ok) return { ok: false, error: describeFailure(loaded.error) };
  const released = await releaseQuota(loaded.value, request.data.holder, loaded.value.clock());
  return released.ok ? { ok: true } : { ok: false, error: released.error };
}
