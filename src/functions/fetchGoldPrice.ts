import * as df from 'durable-functions';
import { fetchGoldPrice } from '../orchestration/activities.js';
import { FunctionNames } from './names.js';
import { appDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.fetchGoldPrice, { handler: (input: unknown) => fetchGoldPrice(input, appDependencies) });
