import { runAsProcess } from './commandIo.js';
import { dashboardCommand } from './dashboardCommand.js';

await runAsProcess(dashboardCommand);
