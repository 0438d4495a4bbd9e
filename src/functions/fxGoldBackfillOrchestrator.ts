import * as df from 'durable-functions';
import { backfillOrchestration } from '../orchestration/backfillOrchestrator.js';
import { FunctionNames } from './names.js';

df.app.orchestration(FunctionNames.backfillOrchestrator, backfillOrchestration);
