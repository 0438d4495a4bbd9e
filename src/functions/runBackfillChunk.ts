import * as df from 'durable-functions';
import { runBackfillChunkActivity } from '../orchestration/backfillActivities.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../backfill/dependencies.js';

df.app.activity(FunctionNames.runBackfillChunk, { handler: (input: unknown) => runBackfillChunkActivity(input, appBackfillDependencies) });
