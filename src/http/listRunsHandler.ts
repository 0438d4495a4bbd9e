import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { z } from 'zod';
import { IsoDateSchema, utcDateOf } from '../domain/businessDate.js';
import { dateOfInstanceId } from '../orchestration/contract.js';
import { json, jsonError } from './responses.js';
import { toRunView } from './runView.js';

const MAX_RUNS = 100;
/** The default window: today and the 30 days before it. */
const DEFAULT_WINDOW_DAYS = 30;
const STATUSES = Object.values(df.OrchestrationRuntimeStatus) as string[];

const ListRunsQuerySchema = z
  .object({
    from: IsoDateSchema.optional(),
    to: IsoDateSchema.optional(),
    status: z
      .string()
      .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
      .pipe(z.array(z.enum(STATUSES as [string, ...string[]], { error: `"status" values must be among ${STATUSES.join(', ')}` })))
      .optional(),
    limit: z.coerce.number({ error: '"limit" must be a number' }).int().min(1).max(MAX_RUNS, `"limit" must be at most ${MAX_RUNS}`).optional(),
  });

/**
 * GET /api/runs?from&to&status&limit: runs whose business date is in [from, to] (default: today and the 30 days before),
 * newest date first, at most `limit` (≤ 100).
 */
export async function listRunsHandler(request: HttpRequest, client: Pick<DurableClient, 'getStatusBy'>, secrets: readonly string[], now: Date): Promise<HttpResponseInit> {
  const query = ListRunsQuerySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!query.success) {
    const issue = query.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    const message = issue?.message ?? 'invalid query';
    return jsonError(400, field && !message.startsWith('"') ? `"${field}" ${message}` : message);
  }
  const to = query.data.to ?? utcDateOf(now);
  const from = query.data.from ?? utcDateOf(new Date(Date.parse(`${to}T00:00:00Z`) - DEFAULT_WINDOW_DAYS * 86_400_000));
  if (from > to) return jsonError(400, `"from" (${from}) must not be after "to" (${to})`);
  const limit = query.data.limit ?? MAX_RUNS;

  // A run for date D is never created before D (future dates are refused), so D >= from bounds the scan.
  const statuses = await client.getStatusBy({
    createdTimeFrom: new Date(`${from}T00:00:00Z`),
    ...(query.data.status ? { runtimeStatus: query.data.status as df.OrchestrationRuntimeStatus[] } : {}),
  });
  const inWindow = statuses
    .map((status) => ({ status, date: dateOfInstanceId(status.instanceId) }))
    .filter((run): run is { status: (typeof statuses)[number]; date: string } => run.date !== undefined && run.date >= from && run.date <= to)
    .sort((a, b) => b.date.localeCompare(a.date));
  const runs = inWindow.slice(0, limit).map(({ status }) => toRunView(status, secrets));
  return json(200, { from, to, count: runs.length, truncated: inWindow.length > runs.length, runs });
}
