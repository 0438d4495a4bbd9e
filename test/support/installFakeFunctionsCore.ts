import { createRequire } from 'node:module';

// Must run before anything loads @azure/functions (vitest setupFiles), so registrations reach the fake core.
createRequire(import.meta.url)('./fakeFunctionsCore.cjs');
