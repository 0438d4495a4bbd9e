import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { secretsInEnvironment } from '../config/settings.js';
import { appReadDependencies, type ReadDependencies } from '../reading/readDependencies.js';
import { answeringFailures, dependenciesOrThrow } from './responses.js';

/**
 * Registers one of the read endpoints: GET, function-key auth, no durable client. The dependencies are built inside
 * the guard, so unusable settings still answer JSON (500 with a correlation id, the cause in the log).
 */
export function registerReadEndpoint(
  name: string,
  route: string,
  handler: (request: HttpRequest, deps: ReadDependencies, now: Date) => Promise<HttpResponseInit>,
): void {
  app.http(name, {
    route,
    methods: ['GET'],
    authLevel: 'function',
    handler: (request, context) =>
      answeringFailures(secretsInEnvironment(process.env), context, () =>
        handler(request, dependenciesOrThrow(appReadDependencies()), new Date()),
      ),
  });
}
