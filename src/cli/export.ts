import { runAsProcess } from './commandIo.js';
import { exportCommand } from './exportCommand.js';

await runAsProcess(exportCommand);
