import * as df from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { listRunsHandler } from '../http/listRunsHandler.js';
import { answeringOutages } from '../http/responses.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.client.http(FunctionNames.listRuns, {
  route: 'runs',
  methods: ['GET'],
  authLevel: 'function',
  handler: (request, client) => {
    const secrets = secretsInEnvironment(process.env);
    return answeringOutages(secrets, () => listRunsHandler(request, client, secrets, new Date()));
  },
});
