import { ratesHandler } from '../http/ratesHandler.js';
import { registerReadEndpoint } from '../http/readEndpoint.js';
import { FunctionNames } from './names.js';

registerReadEndpoint(FunctionNames.getRates, 'rates', ratesHandler);
