import { isMetered, type ProviderName } from '../clients/registry.js';
import { lastDayOfMonth, utcDateOf, weekdaysIn } from '../domain/businessDate.js';
import { describeFailure } from '../domain/failure.js';
import { failure, success, type Result } from '../domain/result.js';
import type { BackfillDependencies } from './dependencies.js';
import { usageMonthOf } from '../storage/usageLedger.js';
import type { BackfillPlan, QuotaView } from './contract.js';

/** Gold requests one daily run makes (one per business day, retries aside): what the reserve keeps per remaining weekday. */
const REQUESTS_PER_DAILY_RUN = 1;

/** Weekdays from `now`'s date (included: today's run may still be to come) to the end of its UTC month. */
export function remainingWeekdays(now: Date): number {
  const today = utcDateOf(now);
  return weekdaysIn(today, lastDayOfMonth(today)).length;
}

/**
 * The quota guard, checked before a backfill's first gold request. Two limits, on the gold chain's first provider
 * when it is metered (a monthly quota: goldapi; keyless providers are not limited):
 * - FXGOLD_GOLD_REQUEST_BUDGET: the requests one backfill may make;
 * - FXGOLD_GOLD_MONTHLY_QUOTA (0 = none) minus what the usage ledger counted this UTC month (every path) minus a
 *   reserve of one request for each weekday left in the month (today included) for the daily runs.
 * Answers the numbers, or a refusal that says how many requests the backfill needs, how many are left and which
 * setting to change. A failure to read the ledger is an error too (nothing is asked of an unknown quota).
 */
export async function checkQuota(plan: BackfillPlan, deps: BackfillDependencies, now: Date): Promise<Result<QuotaView, string>> {
  const provider = deps.goldChain[0]?.name ?? 'none';
  const month = usageMonthOf(now);
  const needed = plan.requests.gold;
  const view: QuotaView = {
    provider,
    metered: false,
    needed,
    budget: deps.goldRequestBudget,
    month,
    monthlyQuota: deps.goldMonthlyQuota,
    used: 0,
    reserve: 0,
    left: null,
  };
  if (!isMetered(provider as ProviderName)) return success(view);

  const usage = await deps.usage.monthUsage(month);
  if (!usage.ok) return failure(`cannot check the ${provider} quota: ${describeFailure(usage.error)}`);
  const used = usage.value[provider] ?? 0;
  const reserve = remainingWeekdays(now) * REQUESTS_PER_DAILY_RUN;
  const left = deps.goldMonthlyQuota === 0 ? null : Math.max(0, deps.goldMonthlyQuota - used - reserve);
  const checked: QuotaView = { ...view, metered: true, used, reserve, left };

  if (needed > deps.goldRequestBudget) {
    return failure(
      `refused: the backfill needs ${needed} ${provider} requests (one per date) and FXGOLD_GOLD_REQUEST_BUDGET allows ${deps.goldRequestBudget} per backfill; raise FXGOLD_GOLD_REQUEST_BUDGET or backfill a shorter range`,
    );
  }
  if (left !== null && needed > left) {
    return failure(
      `refused: the backfill needs ${needed} ${provider} requests and only ${left} are left in ${month} (FXGOLD_GOLD_MONTHLY_QUOTA ${deps.goldMonthlyQuota}, ${used} used, ${reserve} kept for the ${reserve} weekday runs left this month); set FXGOLD_GOLD_MONTHLY_QUOTA to your plan's monthly quota (0 = no limit), or backfill a shorter range or next month`,
    );
  }
  return success(checked);
}
