import { runAsProcess } from './commandIo.js';
import { onceCommand } from './onceCommand.js';

await runAsProcess(onceCommand);
