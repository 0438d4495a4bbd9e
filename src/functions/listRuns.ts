import { listRunsHandler } from '../http/listRunsHandler.js';
import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { FunctionNames } from './names.js';

registerOperatorEndpoint(FunctionNames.listRuns, { route: 'runs', method: 'GET' }, (request, client, { secrets, now }) =>
  listRunsHandler(request, client, secrets, now),
);
