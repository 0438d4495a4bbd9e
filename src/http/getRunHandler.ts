import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { cleanUpstreamText } from '../domain/failureText.js';
import { dateOfInstanceId } from '../orchestration/contract.js';
import { isNotFound } from '../orchestration/startSingleton.js';
import { json, jsonError } from './responses.js';
import { toRunView } from './runView.js';

/** GET /api/runs/{instanceId}: the run's status, stage, output or error. 404 for an unknown run. */
export async function getRunHandler(
  request: HttpRequest,
  client: Pick<DurableClient, 'getStatus'>,
  secrets: readonly string[],
): Promise<HttpResponseInit> {
  const instanceId = request.params.instanceId ?? '';
  if (!dateOfInstanceId(instanceId))
    return jsonError(404, `no run "${cleanUpstreamText(instanceId, 40)}": run ids look like fxgold-YYYY-MM-DD`);
  try {
    return json(200, toRunView(await client.getStatus(instanceId), secrets));
  } catch (error) {
    if (isNotFound(error)) return jsonError(404, `no run ${instanceId}`);
    throw error;
  }
}
