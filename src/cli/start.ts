import { startLocal } from '../devtools/localHost.js';

process.exitCode = await startLocal(process.cwd(), process.argv.slice(2), process.env);
