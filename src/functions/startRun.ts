import * as df from 'durable-functions';
import { startRunHandler } from '../http/startRunHandler.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.client.http(FunctionNames.startRun, {
  route: 'runs',
  methods: ['POST'],
  authLevel: 'function',
  handler: (request, client) => startRunHandler(request, client, new Date()),
});
