import * as df from 'durable-functions';
import { persistRecord } from '../orchestration/activities.js';
import { FunctionNames } from './names.js';
import { appDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.persistRecord, { handler: (input: unknown) => persistRecord(input, appDependencies) });
