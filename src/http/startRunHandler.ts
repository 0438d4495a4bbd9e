import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { parseBusinessDate, utcDateOf } from '../domain/businessDate.js';
import { startRunFor } from '../orchestration/startSingleton.js';
import { jsonError } from './responses.js';

const StartRunBodySchema = z.strictObject({
  date: z.string({ error: '"date" must be a string YYYY-MM-DD' }).optional(),
  force: z.boolean({ error: '"force" must be true or false' }).optional(),
});

/**
 * POST /api/runs `{ "date"?: "YYYY-MM-DD", "force"?: boolean }`: starts the run for that business date
 * (default today, UTC) under the singleton rule. 202 with the check-status links, 409 when that date is
 * running or already completed (unless forced), 400 for bad input.
 */
export async function startRunHandler(request: HttpRequest, client: DurableClient, now: Date): Promise<HttpResponseInit> {
  const text = await request.text();
  let raw: unknown = {};
  if (text.trim() !== '') {
    try {
      raw = JSON.parse(text);
    } catch {
      return jsonError(400, 'request body is not valid JSON; send {"date":"YYYY-MM-DD"} or nothing');
    }
  }
  const body = StartRunBodySchema.safeParse(raw);
  if (!body.success) {
    const issue = body.error.issues[0];
    const message = issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: "date", "force"` : issue?.message;
    return jsonError(400, message ?? 'request body must be a JSON object');
  }
  const date = parseBusinessDate(body.data.date ?? utcDateOf(now), now);
  if (!date.ok) return jsonError(400, date.error);

  const decision = await startRunFor(client, date.value, { force: body.data.force ?? false });
  switch (decision.action) {
    case 'started':
      return client.createCheckStatusResponse(request, decision.instanceId);
    case 'alreadyRunning':
      return jsonError(409, `the run for ${date.value} is already ${decision.runtimeStatus.toLowerCase()}`, { instanceId: decision.instanceId, runtimeStatus: decision.runtimeStatus });
    case 'alreadyCompleted':
      return jsonError(409, `the run for ${date.value} already completed; send "force": true to run it again`, { instanceId: decision.instanceId, runtimeStatus: 'Completed' });
  }
}
