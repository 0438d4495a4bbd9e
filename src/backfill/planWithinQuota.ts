import { failure, success, type Result } from '../domain/result.js';
import type { BackfillPlan, BackfillRange, QuotaView } from './contract.js';
import type { BackfillDependencies } from './dependencies.js';
import { planBackfill, type PlanOptions } from './plan.js';
import { checkQuota } from './quota.js';

/** Why a backfill may not start: its plan could not be made, or the gold quota refuses it. */
export type PlanRefusal = { readonly kind: 'plan' | 'quota'; readonly message: string };

/**
 * The plan for a range, checked against the gold quota and reserved for `holder` (the backfill's instance id): the
 * same rule for the start endpoint and the plan activity.
 */
export async function planWithinQuota(
  range: BackfillRange,
  deps: BackfillDependencies,
  options: PlanOptions & { readonly holder: string },
): Promise<Result<{ plan: BackfillPlan; quota: QuotaView }, PlanRefusal>> {
  const plan = await planBackfill(range, deps, options);
  if (!plan.ok) return failure({ kind: 'plan', message: plan.error });
  const quota = await checkQuota(plan.value, deps, options.now, options.holder);
  if (!quota.ok) return failure({ kind: 'quota', message: quota.error });
  return success({ plan: plan.value, quota: quota.value });
}
