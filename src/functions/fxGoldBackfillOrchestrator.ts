import * as df from 'durable-functions';
import { backfillOrchestration } from '../orchestration/backfillOrchestrator.js';
import { FunctionNames } from '../orchestration/contract.js';

df.app.orchestration(FunctionNames.backfillOrchestrator, backfillOrchestration);
