import * as df from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { listRunsHandler } from '../http/listRunsHandler.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.client.http(FunctionNames.listRuns, {
  route: 'runs',
  methods: ['GET'],
  authLevel: 'function',
  handler: (request, client) => listRunsHandler(request, client, secretsInEnvironment(process.env), new Date()),
});
