import { isMetered, type ProviderName } from '../clients/registry.js';
import { dailyReserveAt } from '../domain/dailyReserve.js';
import { describeFailure } from '../domain/failure.js';
import { failure, success, type Result } from '../domain/result.js';
import type { BackfillDependencies } from './dependencies.js';
import { quotaLeft, usageMonthOf, type ReserveAnswer } from '../storage/usageLedger.js';
import type { BackfillPlan, QuotaView } from './contract.js';

/**
 * The requests a backfill reserves beyond its plan, for retries: a tenth of the plan, rounded up, plus 2 (so a small
 * backfill can still retry a date through a short outage). It never makes more than plan plus allowance.
 */
export const retryAllowanceFor = (planned: number): number => (planned === 0 ? 0 : Math.ceil(planned / 10) + 2);

/**
 * The quota guard, before a backfill's first gold request. Two limits, on the gold chain's first provider when it is
 * metered (a monthly quota: goldapi; keyless providers are not limited):
 * - FXGOLD_GOLD_REQUEST_BUDGET: the requests one backfill may plan;
 * - FXGOLD_GOLD_MONTHLY_QUOTA (0 = none) minus what the usage ledger counted this UTC month (every path) minus what the
 *   other backfills hold reserved minus the daily reserve (one request for each weekday left in the month, today
 *   included): the backfill needs its planned requests plus the retry allowance (retryAllowanceFor) of that.
 * With a `holder`, the backfill's reservation is made (or replaced: the plan activity reserves again under the same
 * holder as the start endpoint) in the same conditional write that judges it, so backfills started together cannot
 * all pass on the same numbers; without one, the numbers are only read (`--dry-run`, GET /api/usage).
 * Answers the numbers, or a refusal that says how many requests the backfill needs, how many are left and which
 * setting to change. A failure to read or write the ledger is an error too (nothing is asked of an unknown quota).
 */
export async function checkQuota(
  plan: BackfillPlan,
  deps: BackfillDependencies,
  now: Date,
  holder?: string,
): Promise<Result<QuotaView, string>> {
  const provider = deps.goldChain[0]?.name ?? 'none';
  const month = usageMonthOf(now);
  const needed = plan.requests.gold;
  const allowance = retryAllowanceFor(needed);
  const view: QuotaView = {
    provider,
    metered: false,
    needed,
    allowance,
    budget: deps.goldRequestBudget,
    month,
    monthlyQuota: deps.goldMonthlyQuota,
    used: 0,
    reserved: 0,
    reserve: 0,
    left: null,
  };
  if (!isMetered(provider as ProviderName)) return success(view);
  if (needed > deps.goldRequestBudget) {
    return failure(
      `refused: the backfill needs ${needed} ${provider} requests (one per date) and FXGOLD_GOLD_REQUEST_BUDGET allows ${deps.goldRequestBudget} per backfill; raise FXGOLD_GOLD_REQUEST_BUDGET or backfill a shorter range`,
    );
  }

  const reserve = dailyReserveAt(now);
  const judged = holder === undefined ? await readNumbers(provider, month, reserve, deps) : await reserveFor(holder);
  if (!judged.ok) return failure(`cannot check the ${provider} quota: ${judged.error}`);
  const { spent: used, reserved, left } = judged.value;
  const checked: QuotaView = { ...view, metered: true, used, reserved, reserve, left };
  if (left !== null && needed + allowance > left) {
    return failure(
      `refused: the backfill needs ${needed + allowance} ${provider} requests (${needed} planned + ${allowance} retry allowance) and only ${left} are left in ${month} (FXGOLD_GOLD_MONTHLY_QUOTA ${deps.goldMonthlyQuota}, ${used} used, ${reserved} reserved by other backfills, ${reserve} kept for the ${reserve} weekday runs left this month); set FXGOLD_GOLD_MONTHLY_QUOTA to your plan's monthly quota (0 = no limit), or backfill a shorter range, later or next month`,
    );
  }
  return success(checked);

  async function reserveFor(name: string): Promise<Result<ReserveAnswer, string>> {
    const reserved = await deps.usage.reserve(provider, month, name, needed + allowance, reserve);
    return reserved.ok ? reserved : failure(describeFailure(reserved.error));
  }
}

/** The numbers a reservation would be judged on, read only. */
async function readNumbers(
  provider: string,
  month: string,
  reserve: number,
  deps: BackfillDependencies,
): Promise<Result<ReserveAnswer, string>> {
  const book = await deps.usage.monthBook(month);
  if (!book.ok) return failure(describeFailure(book.error));
  const { requests: spent, reserved } = book.value[provider] ?? { requests: 0, reserved: 0 };
  const left = quotaLeft(deps.goldMonthlyQuota, spent, reserved, reserve);
  return success({ granted: left === null || left > 0, spent, reserved, left });
}

/**
 * Keeps a backfill's reservation alive for another RESERVATION_TTL_MS (before each chunk). Its answer is not needed:
 * a reservation that expired meanwhile shows in the chunk's requests, refused as used up.
 */
export async function renewQuota(deps: BackfillDependencies, holder: string, now: Date): Promise<void> {
  const provider = deps.goldChain[0]?.name;
  if (provider !== undefined && isMetered(provider as ProviderName)) await deps.usage.renew(provider, usageMonthOf(now), holder);
}

/** Frees what a backfill reserved and did not spend; a failure only delays that until the reservation expires. */
export async function releaseQuota(deps: BackfillDependencies, holder: string, now: Date): Promise<Result<void, string>> {
  const provider = deps.goldChain[0]?.name;
  if (provider === undefined || !isMetered(provider as ProviderName)) return success(undefined);
  const released = await deps.usage.release(provider, usageMonthOf(now), holder);
  return released.ok ? released : failure(describeFailure(released.error));
}
