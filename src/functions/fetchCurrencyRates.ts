import * as df from 'durable-functions';
import { fetchCurrencyRates } from '../orchestration/activities.js';
import { FunctionNames } from './names.js';
import { appDependencies } from '../pipeline/jobDependencies.js';

df.app.activity(FunctionNames.fetchCurrencyRates, { handler: (input: unknown) => fetchCurrencyRates(input, appDependencies) });
