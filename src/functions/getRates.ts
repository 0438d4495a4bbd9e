import { ratesHandler } from '../http/ratesHandler.js';
import { registerReadEndpoint } from '../http/readEndpoint.js';
import { FunctionNames } from '../orchestration/contract.js';

registerReadEndpoint(FunctionNames.getRates, 'rates', ratesHandler);
