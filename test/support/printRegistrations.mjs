// Loads the compiled app the way the host does (every file matching package.json "main", by native ESM
// import under plain Node, with the fake core preloaded by --require) and prints what got registered.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deployedEntries } from './deployedEntries.mjs';

const root = process.cwd();
const entries = deployedEntries(root);

for (const entry of entries) await import(pathToFileURL(join(root, entry)).href);

const { registrations } = createRequire(import.meta.url)('@azure/functions-core');
console.log(JSON.stringify({ entries, functions: registrations.map((r) => r.metadata) }));
