import * as df from 'durable-functions';
import { planBackfillActivity } from '../orchestration/backfillActivities.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.planBackfill, { handler: (input: unknown) => planBackfillActivity(input, appBackfillDependencies) });
