import type { HttpResponseInit } from '@azure/functions';
import { checkQuota } from '../backfill/quota.js';
import { utcDateOf } from '../domain/businessDate.js';
import type { BackfillDependencies } from '../backfill/dependencies.js';
import { usageMonthOf } from '../storage/usageLedger.js';
import { storageAnswer } from './storageAnswer.js';
import { json, jsonError } from './responses.js';

/**
 * GET /api/usage: the requests the usage ledger counted this UTC month for each metered provider (every path: daily
 * runs, `npm run once`, backfills), and the quota guard's view of the gold chain's first provider: the monthly quota,
 * what the running backfills hold reserved, what it keeps for the month's weekday runs and what a backfill may still
 * reserve (the numbers a backfill is checked against).
 */
export async function usageHandler(deps: BackfillDependencies, now: Date): Promise<HttpResponseInit> {
  const month = usageMonthOf(now);
  const counts = await deps.usage.monthUsage(month);
  if (!counts.ok) return storageAnswer(counts.error, deps.secrets);
  // The quota guard's own numbers, for a backfill that needs nothing.
  const today = utcDateOf(now);
  const quota = await checkQuota(
    { range: { from: today, to: today }, dates: [], skipped: [], knownGaps: [], chunks: [], requests: { currency: 0, gold: 0 } },
    deps,
    now,
  );
  if (!quota.ok) return jsonError(503, quota.error);
  const { provider, metered, monthlyQuota, used, reserved, reserve, left, budget } = quota.value;
  return json(200, {
    month,
    requests: counts.value,
    gold: { provider, metered, monthlyQuota, used, reserved, reserve, left, backfillBudget: budget },
  });
}
