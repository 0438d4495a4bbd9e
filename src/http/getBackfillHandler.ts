import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { cleanUpstreamText } from '../domain/failureText.js';
import { rangeOfBackfillId } from '../orchestration/backfillContract.js';
import { existingStatus } from '../orchestration/startSingleton.js';
import { toBackfillView } from './backfillView.js';
import { json, jsonError } from './responses.js';

/** GET /api/backfills/{id}: the backfill's progress, failed dates and, once it ended, its summary. 404 for an unknown one. */
export async function getBackfillHandler(
  request: HttpRequest,
  client: Pick<DurableClient, 'getStatus'>,
  secrets: readonly string[],
): Promise<HttpResponseInit> {
  const id = request.params.id ?? '';
  const range = rangeOfBackfillId(id);
  if (!range)
    return jsonError(404, `no backfill "${cleanUpstreamText(id, 60)}": backfill ids look like fxgold-backfill-YYYY-MM-DD-YYYY-MM-DD`);
  const status = await existingStatus(client, id);
  return status ? json(200, toBackfillView(status, range, secrets)) : jsonError(404, `no backfill ${id}`);
}
