import { app } from '@azure/functions';
import { secretsInEnvironment } from '../config/settings.js';
import { answeringFailures, dependenciesOrThrow } from '../http/responses.js';
import { usageHandler } from '../http/usageHandler.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../backfill/dependencies.js';

// No durable client: the counts live in the usage table, shared with the host-free commands.
app.http(FunctionNames.getUsage, {
  route: 'usage',
  methods: ['GET'],
  authLevel: 'function',
  handler: (_request, context) =>
    answeringFailures(secretsInEnvironment(process.env), context, () =>
      usageHandler(dependenciesOrThrow(appBackfillDependencies()), new Date()),
    ),
});
