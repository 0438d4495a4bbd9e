import type { HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import type { DailyRun, StatusAnswer } from '../contract/apiAnswers.js';
import { addDays, startOfUtcDay, utcDateOf } from '../domain/businessDate.js';
import { METERED_GOLD_PROVIDERS } from '../clients/registry.js';
import { cleanUpstreamText, redact } from '../domain/failureText.js';
import { dateOfInstanceId } from '../orchestration/contract.js';
import { missingDays, nextRunOf } from '../reading/freshness.js';
import { quotaLeft, usageMonthOf } from '../storage/usageLedger.js';
import type { ReadDependencies } from '../reading/readDependencies.js';
import { failureText } from './runView.js';
import { json } from './responses.js';
import { storageAnswer } from './storageAnswer.js';

/** How many of the latest daily runs the status lists. */
const RECENT_RUNS = 10;
/** Daily runs are created on or after their date: a month back holds the last ten. */
const RUNS_LOOKBACK_DAYS = 31;

export type { DailyRun };

export interface StatusDependencies {
  readonly read: ReadDependencies;
  /** The latest daily runs, newest first; `[]` where no Durable host runs (`npm run dashboard`). */
  readonly runs: () => Promise<DailyRun[]>;
  /** FXGOLD_SCHEDULE, as the timer reads it; undefined when it is not set. */
  readonly schedule: string | undefined;
}

/**
 * GET /api/status: how fresh the data is. The latest stored date and when it was stored, the weekdays of the last 90
 * calendar days without a row, the latest daily runs, the next scheduled run and the configured currencies.
 */
export async function statusHandler(deps: StatusDependencies, now: Date): Promise<HttpResponseInit> {
  const { read } = deps;
  const snapshot = await read.cache.snapshot(read.baseCurrency);
  if (!snapshot.ok) return storageAnswer(snapshot.error, read.secrets);
  const latestDate = snapshot.value.latestDate;
  const latestRow = latestDate === undefined ? undefined : snapshot.value.between(latestDate, latestDate);
  const nextRun = deps.schedule === undefined ? undefined : await nextRunOf(deps.schedule, now);
  const month = usageMonthOf(now);
  const usage = await read.usage.monthBook(month);
  if (!usage.ok) return storageAnswer(usage.error, read.secrets);
  // The gold provider with a monthly quota (goldapi): what this UTC month counted and what backfills hold reserved.
  const provider = METERED_GOLD_PROVIDERS[0] ?? null;
  const { requests: used, reserved } = (provider === null ? undefined : usage.value[provider]) ?? { requests: 0, reserved: 0 };
  return json(200, {
    latest:
      latestDate === undefined ? null : { date: latestDate, ingestedAt: latestRow?.ok ? (latestRow.value[0]?.IngestedAt ?? null) : null },
    missingDays: missingDays(snapshot.value.has, now),
    runs: await deps.runs(),
    nextRun: nextRun?.ok ? nextRun.value : null,
    ...(nextRun && !nextRun.ok ? { nextRunError: nextRun.error } : {}),
    currencies: [...read.currencies],
    // `left` is null when there is no quota (FXGOLD_GOLD_MONTHLY_QUOTA 0).
    goldUsage: {
      month,
      provider,
      used,
      reserved,
      monthlyQuota: read.goldMonthlyQuota,
      left: quotaLeft(read.goldMonthlyQuota, used, reserved, 0),
    },
  } satisfies StatusAnswer);
}

/** The latest RECENT_RUNS daily runs (instance `fxgold-<date>`; backfills left out) from the Durable client, newest date first. */
export async function recentDailyRuns(
  client: Pick<DurableClient, 'getStatusBy'>,
  secrets: readonly string[],
  now: Date,
): Promise<DailyRun[]> {
  const statuses = await client.getStatusBy({ createdTimeFrom: startOfUtcDay(addDays(utcDateOf(now), -RUNS_LOOKBACK_DAYS)) });
  return statuses
    .flatMap((status) => {
      const date = dateOfInstanceId(status.instanceId);
      if (date === undefined) return [];
      const failed = status.runtimeStatus === df.OrchestrationRuntimeStatus.Failed;
      return [
        { date, status: status.runtimeStatus, reason: failed ? cleanUpstreamText(redact(failureText(status.output), secrets), 500) : null },
      ];
    })
    .sort((a, b) => b.date.localeCompare(a.date))
    .slice(0, RECENT_RUNS);
}
