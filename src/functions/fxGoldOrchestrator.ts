import * as df from 'durable-functions';
import { FunctionNames } from './names.js';
import { fxGoldOrchestration } from '../orchestration/fxGoldOrchestrator.js';

df.app.orchestration(FunctionNames.orchestrator, fxGoldOrchestration);
