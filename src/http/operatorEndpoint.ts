import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import * as df from 'durable-functions';
import type { DurableClient } from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { answeringFailures } from './responses.js';

export interface OperatorCall {
  /** Values to scrub from the answer. */
  readonly secrets: readonly string[];
  readonly now: Date;
}

/**
 * Registers one of the operators' HTTP endpoints the same way as the others: function-key auth, a durable client,
 * and a JSON answer whatever happens (503 when the Durable extension does not answer, 500 with a correlation id
 * for anything else). The client is built inside that guard, so even an unusable binding answers JSON.
 */
export function registerOperatorEndpoint(
  name: string,
  binding: { route: string; method: 'GET' | 'POST' },
  handler: (request: HttpRequest, client: DurableClient, call: OperatorCall) => Promise<HttpResponseInit>,
): void {
  app.http(name, {
    route: binding.route,
    methods: [binding.method],
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: (request, context) => {
      const secrets = secretsInEnvironment(process.env);
      return answeringFailures(secrets, context, () => handler(request, df.getClient(context), { secrets, now: new Date() }));
    },
  });
}
