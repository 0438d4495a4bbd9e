// Loads the deployed entry the way the Functions worker does: every file matching package.json "main" (read now,
// so a later bundle is what gets measured), imported by native ESM under plain Node, with the stand-in
// @azure/functions-core preloaded (--require test/support/fakeFunctionsCore.cjs) recording the registrations.
// The same selection as the host-contract test (test/support/deployedEntries.mjs).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deployedEntries } from '../../test/support/deployedEntries.mjs';

const root = process.cwd();
const entries = deployedEntries(root);

for (const entry of entries) await import(pathToFileURL(join(root, entry)).href);

const { registrations } = createRequire(import.meta.url)('@azure/functions-core');
globalThis.__benchLoaded = { entries: entries.length, functions: registrations.length };
