import { getRunHandler } from '../http/getRunHandler.js';
import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { FunctionNames } from './names.js';

registerOperatorEndpoint(FunctionNames.getRun, { route: 'runs/{instanceId}', method: 'GET' }, (request, client, { secrets }) =>
  getRunHandler(request, client, secrets),
);
