import * as df from 'durable-functions';
import { planBackfillActivity } from '../orchestration/backfillActivities.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../backfill/dependencies.js';

df.app.activity(FunctionNames.planBackfill, { handler: (input: unknown) => planBackfillActivity(input, appBackfillDependencies) });
