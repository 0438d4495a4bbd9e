import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { FunctionNames, HOST_SETTING_NAMES } from './names.js';
import { appReadDependencies } from '../reading/readDependencies.js';
import { answeringFailures, dependenciesOrThrow } from '../http/responses.js';
import { recentDailyRuns, statusHandler } from '../http/statusHandler.js';

// Read with the readers' key, as getRates; the durable client only lists the daily runs.
app.http(FunctionNames.getStatus, {
  route: 'status',
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: (_request, context) => {
    const secrets = secretsInEnvironment(process.env);
    const now = new Date();
    return answeringFailures(secrets, context, () =>
      statusHandler(
        {
          read: dependenciesOrThrow(appReadDependencies()),
          runs: () => recentDailyRuns(df.getClient(context), secrets, now),
          schedule: process.env[HOST_SETTING_NAMES.schedule],
        },
        now,
      ),
    );
  },
});
