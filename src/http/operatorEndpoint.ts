import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { answeringOutages } from './responses.js';

export interface OperatorCall {
  /** Values to scrub from the answer. */
  readonly secrets: readonly string[];
  readonly now: Date;
}

/**
 * Registers one of the operators' HTTP endpoints the same way as the others: function-key auth, a durable
 * client, and a JSON 503 rather than an empty 500 when the Durable extension does not answer.
 */
export function registerOperatorEndpoint(
  name: string,
  binding: { route: string; method: 'GET' | 'POST' },
  handler: (request: HttpRequest, client: DurableClient, call: OperatorCall) => Promise<HttpResponseInit>,
): void {
  df.app.client.http(name, {
    route: binding.route,
    methods: [binding.method],
    authLevel: 'function',
    handler: (request, client) => {
      const secrets = secretsInEnvironment(process.env);
      return answeringOutages(secrets, () => handler(request, client, { secrets, now: new Date() }));
    },
  });
}
