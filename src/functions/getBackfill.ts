import { getBackfillHandler } from '../http/getBackfillHandler.js';
import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { FunctionNames } from './names.js';

registerOperatorEndpoint(FunctionNames.getBackfill, { route: 'backfills/{id}', method: 'GET' }, (request, client, { secrets }) =>
  getBackfillHandler(request, client, secrets),
);
