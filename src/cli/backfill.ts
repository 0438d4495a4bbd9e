import { runAsProcess } from './commandIo.js';
import { backfillCommand } from './backfillCommand.js';

await runAsProcess(backfillCommand);
