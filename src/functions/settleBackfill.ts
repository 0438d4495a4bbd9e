import * as df from 'durable-functions';
import { settleBackfillActivity } from '../orchestration/backfillActivities.js';
import { FunctionNames } from './names.js';
import { appBackfillDependencies } from '../backfill/dependencies.js';

df.app.activity(FunctionNames.settleBackfill, { handler: (input: unknown) => settleBackfillActivity(input, appBackfillDependencies) });
