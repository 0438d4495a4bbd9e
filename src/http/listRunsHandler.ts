import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import {
  addDays,
  EARLIEST_RANGE_DATE as EARLIEST_DATE,
  IsoDateSchema,
  startOfUtcDay,
  utcDateOf,
  type BusinessDate,
} from '../domain/businessDate.js';
import { cleanUpstreamText, issueText } from '../domain/failureText.js';
import { dateOfInstanceId } from '../orchestration/contract.js';
import { json, jsonError } from './responses.js';
import { toRunView } from './runView.js';

const MAX_RUNS = 100;
/** The default window: today and the 30 days before it. */
const DEFAULT_WINDOW_DAYS = 30;
/** No run can be earlier than the first business date, 1999-01-04: a window may start on 1 January of that year, no earlier. */
const STATUSES = Object.values(df.OrchestrationRuntimeStatus) as string[];

/** A window bound: a real date from EARLIEST_DATE on (the YYYY format itself ends at 9999-12-31). */
const WindowDateSchema = IsoDateSchema.refine((date) => date >= EARLIEST_DATE, `must not be before ${EARLIEST_DATE}`);

/** Comma-separated runtime statuses; duplicates dropped, so the extension is asked for each known status at most once. */
const StatusListSchema = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ])
  .check((ctx) => {
    const unknown = ctx.value.find((value) => !STATUSES.includes(value));
    if (unknown !== undefined)
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `values must be among ${STATUSES.join(', ')}; got "${cleanUpstreamText(unknown, 40)}"`,
      });
  });

/** A decimal whole number as written in a URL: digits only, so `0x10`, `1e2`, ` 5` and `1.5` are refused, not coerced. */
const LimitSchema = z
  .string()
  .refine((text) => !/^-[0-9]+$/.test(text), { error: 'must be at least 1', abort: true })
  .regex(/^[0-9]+$/, { error: `must be a whole number from 1 to ${MAX_RUNS}, in decimal digits`, abort: true })
  .transform(Number)
  .pipe(z.number().min(1, 'must be at least 1').max(MAX_RUNS, `must be at most ${MAX_RUNS}`));

const ListRunsQuerySchema = z.object({
  from: WindowDateSchema.optional(),
  to: WindowDateSchema.optional(),
  status: StatusListSchema.optional(),
  limit: LimitSchema.optional(),
});

/**
 * The list needs no inputs, and the extension sends every instance's input by default (a large one would make the
 * list slow for every later window). durable-functions 3's getStatusBy has no such option in its types, and passes
 * the filter on as the query: over the extension's RPC endpoint (the one the v4 programming model uses) it sends
 * `showInput=<value>` only when the value is truthy, so the text 'false' is what gets `showInput=false` there.
 */
const WITHOUT_INPUTS = { showInput: 'false' } as unknown as df.OrchestrationFilter;

/**
 * GET /api/runs?from&to&status&limit: runs whose business date is in [from, to] (default: today and the 30 days before),
 * newest date first, at most `limit` (≤ 100).
 */
export async function listRunsHandler(
  request: HttpRequest,
  client: Pick<DurableClient, 'getStatusBy'>,
  secrets: readonly string[],
  now: Date,
): Promise<HttpResponseInit> {
  const query = ListRunsQuerySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!query.success) return jsonError(400, issueText(query.error.issues[0], 'query', true));
  const to = query.data.to ?? utcDateOf(now);
  const windowStart = addDays(to, -DEFAULT_WINDOW_DAYS);
  const from = query.data.from ?? (windowStart < EARLIEST_DATE ? EARLIEST_DATE : windowStart);
  if (from > to) return jsonError(400, `"from" (${from}) must not be after "to" (${to})`);
  const limit = query.data.limit ?? MAX_RUNS;

  // A run for date D is never created before D (future dates are refused), so D >= from bounds the scan.
  const statuses = await client.getStatusBy({
    createdTimeFrom: startOfUtcDay(from),
    ...(query.data.status ? { runtimeStatus: query.data.status as df.OrchestrationRuntimeStatus[] } : {}),
    ...WITHOUT_INPUTS,
  });
  const inWindow = statuses
    .map((status) => ({ status, date: dateOfInstanceId(status.instanceId) }))
    .filter(
      (run): run is { status: (typeof statuses)[number]; date: BusinessDate } =>
        run.date !== undefined && run.date >= from && run.date <= to,
    )
    .sort((a, b) => b.date.localeCompare(a.date));
  const runs = inWindow.slice(0, limit).map(({ status }) => toRunView(status, secrets));
  return json(200, { from, to, count: runs.length, truncated: inWindow.length > runs.length, runs });
}
