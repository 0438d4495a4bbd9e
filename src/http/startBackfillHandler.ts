import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { businessDatesIn, parseBackfillRange } from '../backfill/plan.js';
import type { BackfillDependencies } from '../backfill/dependencies.js';
import { planWithinQuota } from '../backfill/planWithinQuota.js';
import { backfillInstanceIdFor, type BackfillInput } from '../orchestration/backfillContract.js';
import { FunctionNames } from '../functions/names.js';
import { existingStatus, isActive, startSingleton } from '../orchestration/startSingleton.js';
import { readJsonBody, StartFields } from './jsonBody.js';
import { jsonError } from './responses.js';

const StartBackfillBodySchema = z.strictObject(
  {
    from: z.string({ error: '"from" is required, a date YYYY-MM-DD' }),
    to: z.string({ error: '"to" is required, a date YYYY-MM-DD' }),
    ...StartFields,
    retryGaps: z.boolean({ error: '"retryGaps" must be true or false' }).optional(),
  },
  {
    error:
      'request body must be a JSON object: {"from":"YYYY-MM-DD","to":"YYYY-MM-DD","force":true,"retryGaps":true,"acceptQuality":["plausibility"]}, force, retryGaps and acceptQuality optional',
  },
);

/**
 * POST /api/backfills `{ "from", "to", "force"?, "retryGaps"?, "acceptQuality"? }`: starts the backfill of that range (instance
 * `fxgold-backfill-<from>-<to>`) after planning it and checking the gold quota. 202 `{id, statusUri}`, 400 for a bad
 * range, 409 while that range is running, 422 when the quota guard refuses it (the error says how many requests it
 * needs, how many are left and which setting to change); otherwise its gold requests are reserved before it starts. A completed range may be started again: it skips the dates
 * stored since (all of them unless `force`) and the dates recorded as gaps (unless `retryGaps`).
 */
export async function startBackfillHandler(
  request: HttpRequest,
  client: Pick<DurableClient, 'getStatus' | 'startNew'>,
  deps: () => BackfillDependencies,
  now: Date,
): Promise<HttpResponseInit> {
  const body = await readJsonBody(
    request,
    StartBackfillBodySchema,
    'request body is not valid JSON; send {"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}',
  );
  if (!body.ok) return body.error;
  const parsed = parseBackfillRange(body.value);
  if (!parsed.ok) return jsonError(400, parsed.error);
  const range = parsed.value;
  const dates = businessDatesIn(range, now);
  if (!dates.ok) return jsonError(400, dates.error);

  const instanceId = backfillInstanceIdFor(range);
  const running = (runtimeStatus: string) =>
    jsonError(409, `the backfill of ${range.from}..${range.to} is already ${runtimeStatus.toLowerCase()}`, {
      id: instanceId,
      runtimeStatus,
    });
  const current = await existingStatus(client, instanceId);
  if (current && isActive(current.runtimeStatus)) return running(current.runtimeStatus);

  const force = body.value.force ?? false;
  const retryGaps = body.value.retryGaps ?? false;
  // Reserved here, under the instance id, so that backfills started together are judged one after another and the
  // ones that do not fit are refused now; a start that then finds the range running leaves the reservation to it.
  const planned = await planWithinQuota(range, deps(), { force, retryGaps, now, holder: instanceId });
  if (!planned.ok && planned.error.kind === 'quota') return jsonError(422, planned.error.message);
  // The range was checked above, so what is left is the table or the ledger not answering: an internal error.
  if (!planned.ok) throw new Error(`cannot plan the backfill: ${planned.error.message}`);

  const input: BackfillInput = { range, force, retryGaps, acceptQuality: body.value.acceptQuality ?? [] };
  const decision = await startSingleton(client, { name: FunctionNames.backfillOrchestrator, instanceId, input, replaceCompleted: true });
  if (decision.action === 'alreadyRunning') return running(decision.runtimeStatus);
  const statusUri = new URL(`/api/backfills/${instanceId}`, request.url).href;
  return {
    status: 202,
    jsonBody: {
      id: instanceId,
      statusUri,
      plan: {
        dates: planned.value.plan.dates.length,
        skipped: planned.value.plan.skipped.length,
        knownGaps: planned.value.plan.knownGaps.length,
        chunks: planned.value.plan.chunks.length,
      },
      quota: planned.value.quota,
    },
    headers: { Location: statusUri, 'Retry-After': '10' },
  };
}
