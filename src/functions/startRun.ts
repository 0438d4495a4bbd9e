import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { startRunHandler } from '../http/startRunHandler.js';
import { FunctionNames } from './names.js';

registerOperatorEndpoint(FunctionNames.startRun, { route: 'runs', method: 'POST' }, (request, client, { now }) =>
  startRunHandler(request, client, now),
);
