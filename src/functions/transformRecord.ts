import * as df from 'durable-functions';
import { transformRecord } from '../orchestration/activities.js';
import { FunctionNames } from './names.js';
import { appDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.transformRecord, { handler: (input: unknown) => transformRecord(input, appDependencies) });
