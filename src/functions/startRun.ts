import * as df from 'durable-functions';
import { secretsInEnvironment } from '../config/settings.js';
import { answeringOutages } from '../http/responses.js';
import { startRunHandler } from '../http/startRunHandler.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.client.http(FunctionNames.startRun, {
  route: 'runs',
  methods: ['POST'],
  authLevel: 'function',
  handler: (request, client) => answeringOutages(secretsInEnvironment(process.env), () => startRunHandler(request, client, new Date())),
});
