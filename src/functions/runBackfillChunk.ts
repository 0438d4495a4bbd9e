import * as df from 'durable-functions';
import { runBackfillChunkActivity } from '../orchestration/backfillActivities.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.runBackfillChunk, { handler: (input: unknown) => runBackfillChunkActivity(input, appBackfillDependencies) });
