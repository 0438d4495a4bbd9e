import { getRunHandler } from '../http/getRunHandler.js';
import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { FunctionNames } from '../orchestration/contract.js';

registerOperatorEndpoint(FunctionNames.getRun, { route: 'runs/{instanceId}', method: 'GET' }, (request, client, { secrets }) =>
  getRunHandler(request, client, secrets),
);
