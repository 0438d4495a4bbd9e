import * as df from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { getRunHandler } from '../http/getRunHandler.js';
import { answeringOutages } from '../http/responses.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.client.http(FunctionNames.getRun, {
  route: 'runs/{instanceId}',
  methods: ['GET'],
  authLevel: 'function',
  handler: (request, client) => {
    const secrets = secretsInEnvironment(process.env);
    return answeringOutages(secrets, () => getRunHandler(request, client, secrets));
  },
});
