import { app } from '@azure/functions';
import { BUILT_DASHBOARD_PAGE, cachedFile } from '../dashboard/builtPage.js';
import { dashboardHandler } from '../http/dashboardHandler.js';
import { answeringFailures } from '../http/responses.js';
import { FunctionNames } from './names.js';

const page = cachedFile(BUILT_DASHBOARD_PAGE);

// Anonymous: the page holds no data; /api/rates and /api/analysis, which it calls with the key, do.
app.http(FunctionNames.dashboard, {
  route: 'dashboard',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: (_request, context) => answeringFailures([], context, () => dashboardHandler(page)),
});
