import { analysisHandler } from '../http/analysisHandler.js';
import { registerReadEndpoint } from '../http/readEndpoint.js';
import { FunctionNames } from './names.js';

registerReadEndpoint(FunctionNames.getAnalysis, 'analysis', analysisHandler);
