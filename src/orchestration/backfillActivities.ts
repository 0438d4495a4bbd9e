import { runChunk } from '../backfill/runChunk.js';
import type { ChunkResult } from '../backfill/contract.js';
import { describeFailure } from '../domain/failure.js';
import { describeIssues } from '../domain/failureText.js';
import type { Result } from '../domain/result.js';
import type { BackfillDependencies } from '../backfill/dependencies.js';
import { planWithinQuota } from '../backfill/planWithinQuota.js';
import { loadDependencies } from './activityOutcome.js';
import { ChunkRequestSchema, PlanRequestSchema, type PlanOutcome } from './backfillContract.js';

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
  const planned = await planWithinQuota(request.data.range, loaded.value, { ...request.data, now: loaded.value.clock() });
  if (!planned.ok) return { ok: false, error: planned.error.message };
  return { ok: true, value: { plan: planned.value.plan, parallelism: loaded.value.backfillParallelism } };
}

/** Runs one chunk: fetch, check and write its dates (runChunk retries and fails over inside and never throws). */
export async function runBackfillChunkActivity(input: unknown, deps: Dependencies): Promise<ChunkResult> {
  const request = ChunkRequestSchema.safeParse(input);
  if (!request.success) throw new Error(`runBackfillChunk: invalid input: ${describeIssues(request.error, 'input')}`);
  const { chunk, acceptQuality } = request.data;
  const loaded = loadDependencies(deps, 'runBackfillChunk');
  if (!loaded.ok)
    return {
      stored: [],
      gaps: [],
      failed: chunk.dates.map((date) => ({ date, error: describeFailure(loaded.error) })),
      requests: { currency: 0, gold: 0 },
    };
  return runChunk(chunk, loaded.value, { retry: true, accepted: acceptQuality });
}
