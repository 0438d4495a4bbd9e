import * as df from 'durable-functions';
import { FunctionNames, HOST_SETTING_NAMES } from './names.js';
import { startDailyRun } from '../orchestration/dailyStarter.js';

// Weekdays at close of business; the NCRONTAB expression lives in the FXGOLD_SCHEDULE app setting (UTC).
df.app.client.timer(FunctionNames.dailyStarter, {
  schedule: `%${HOST_SETTING_NAMES.schedule}%`,
  handler: async (timer, client, context) => {
    await startDailyRun(timer, client, context, new Date());
  },
});
