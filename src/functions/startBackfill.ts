import { registerOperatorEndpoint } from '../http/operatorEndpoint.js';
import { dependenciesOrThrow } from '../http/responses.js';
import { startBackfillHandler } from '../http/startBackfillHandler.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../backfill/dependencies.js';

registerOperatorEndpoint(FunctionNames.startBackfill, { route: 'backfills', method: 'POST' }, (request, client, { now }) =>
  startBackfillHandler(request, client, () => dependenciesOrThrow(appBackfillDependencies()), now),
);
