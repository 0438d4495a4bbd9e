import { app } from '@azure/functions';
import { secretsInEnvironment } from '../config/settings.js';
import { appReadDependencies } from '../reading/readDependencies.js';
import { negotiatedRead, type ReadHandler } from './negotiatedRead.js';
import { answeringFailures, dependenciesOrThrow } from './responses.js';

/**
 * Registers one of the read endpoints: GET, function-key auth, no durable client, ETag and compression
 * (negotiatedRead.ts). The dependencies are built inside the guard, so unusable settings still answer JSON (500 with
 * a correlation id, the cause in the log).
 */
export function registerReadEndpoint(name: string, route: string, handler: ReadHandler): void {
  const negotiated = negotiatedRead(handler);
  app.http(name, {
    route,
    methods: ['GET'],
    authLevel: 'function',
    handler: (request, context) =>
      answeringFailures(secretsInEnvironment(process.env), context, () =>
        negotiated(request, dependenciesOrThrow(appReadDependencies()), new Date()),
      ),
  });
}
