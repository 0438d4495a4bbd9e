import { analysisHandler } from '../http/analysisHandler.js';
import { registerReadEndpoint } from '../http/readEndpoint.js';
import { FunctionNames } from '../orchestration/contract.js';

registerReadEndpoint(FunctionNames.getAnalysis, 'analysis', analysisHandler);
