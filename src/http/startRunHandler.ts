import type { HttpRequest, HttpResponse, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { startRunFor } from '../orchestration/startSingleton.js';
import { readJsonBody, StartFields } from './jsonBody.js';
import { jsonError } from './responses.js';

const StartRunBodySchema = z.strictObject(
  {
    date: z.string({ error: '"date" must be a string YYYY-MM-DD' }).optional(),
    ...StartFields,
  },
  { error: 'request body must be a JSON object: {"date":"YYYY-MM-DD","force":true,"acceptQuality":["plausibility"]}, all optional' },
);

/**
 * POST /api/runs `{ "date"?: "YYYY-MM-DD", "force"?: boolean, "acceptQuality"?: ["plausibility"] }`: starts the run for
 * that business date (default today, UTC) under the singleton rule. 202 with the check-status links, 409 when that
 * date is running or already completed (unless forced), 400 for bad input. `force` never bypasses a quality gate;
 * `acceptQuality` lets a plausibility failure through, flagged on the row.
 */
export async function startRunHandler(
  request: HttpRequest,
  client: Pick<DurableClient, 'getStatus' | 'startNew' | 'createCheckStatusResponse'>,
  now: Date,
): Promise<HttpResponseInit> {
  const body = await readJsonBody(request, StartRunBodySchema, 'request body is not valid JSON; send {"date":"YYYY-MM-DD"} or nothing');
  if (!body.ok) return body.error;
  const date = parseBusinessDate(body.value.date ?? utcDateOf(now), now);
  if (!date.ok) return jsonError(400, date.error);

  const decision = await startRunFor(client, date.value, {
    force: body.value.force ?? false,
    acceptQuality: body.value.acceptQuality ?? [],
  });
  switch (decision.action) {
    case 'started':
      return withoutSystemKey(
        client.createCheckStatusResponse(request, decision.instanceId),
        new URL(`/api/runs/${decision.instanceId}`, request.url).href,
      );
    case 'alreadyRunning':
      return jsonError(409, `the run for ${date.value} is already ${decision.runtimeStatus.toLowerCase()}`, {
        instanceId: decision.instanceId,
        runtimeStatus: decision.runtimeStatus,
      });
    case 'alreadyCompleted':
      return jsonError(409, `the run for ${date.value} already completed; send "force": true to run it again`, {
        instanceId: decision.instanceId,
        runtimeStatus: 'Completed',
      });
  }
}

/**
 * Durable's check-status answer, minus the `code` its URLs carry: that is the extension's system key, which opens
 * every instance's management API, far more than the function key the caller used. Adds our own status URL.
 */
async function withoutSystemKey(checkStatus: HttpResponse, runStatusUri: string): Promise<HttpResponseInit> {
  const links = Object.fromEntries(
    Object.entries((await checkStatus.json()) as Record<string, string>).map(([name, value]) => [name, dropCode(value)]),
  );
  // Location must work with the caller's own key, so it names our status endpoint rather than the webhook.
  return { status: 202, jsonBody: { ...links, runStatusUri }, headers: { Location: runStatusUri, 'Retry-After': '10' } };
}

function dropCode(link: string): string {
  const [path, query] = link.split('?', 2);
  if (query === undefined) return link;
  const kept = query.split('&').filter((pair) => !pair.startsWith('code='));
  return kept.length > 0 ? `${path}?${kept.join('&')}` : (path ?? link);
}
