import { checkQuota } from '../backfill/quota.js';
import { planBackfill, type PlanOptions } from '../backfill/plan.js';
import { runChunk } from '../backfill/runChunk.js';
import type { BackfillPlan, BackfillRange, ChunkResult, QuotaView } from '../backfill/contract.js';
import { describeFailure } from '../domain/failure.js';
import { describeIssues } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';
import type { BackfillDependencies } from '../pipeline/jobDependencies.js';
import { loadDependencies } from './activityOutcome.js';
import { ChunkRequestSchema, PlanRequestSchema, type PlanOutcome } from './backfillContract.js';

/**
 * The backfill's activities: thin adapters from the orchestrator's JSON to src/backfill/. Each validates what it was
 * sent and answers a value; none throws for a failure. A chunk request that is not one throws (there are no dates to
 * fail): the orchestrator then fails that chunk's dates with the host's report.
 */
type Dependencies = () => Result<BackfillDependencies, string>;

/** Why a backfill may not start: its plan could not be made, or the gold quota refuses it. */
export type PlanRefusal = { readonly kind: 'plan' | 'quota'; readonly message: string };

/** The plan for a range, checked against the gold quota: the same rule for the start endpoint and the plan activity. */
export async function planWithinQuota(
  range: BackfillRange,
  deps: BackfillDependencies,
  options: PlanOptions,
): Promise<Result<{ plan: BackfillPlan; quota: QuotaView }, PlanRefusal>> {
  const plan = await planBackfill(range, deps, options);
  if (!plan.ok) return failure({ kind: 'plan', message: plan.error });
  const quota = await checkQuota(plan.value, deps, options.now);
  if (!quota.ok) return failure({ kind: 'quota', message: quota.error });
  return success({ plan: plan.value, quota: quota.value });
}

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
