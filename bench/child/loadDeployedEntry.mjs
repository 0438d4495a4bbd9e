// Loads the deployed entry the way the Functions worker does: every file matching package.json "main" (read now,
// so a later bundle is what gets measured), imported by native ESM under plain Node, with the stand-in
// @azure/functions-core preloaded (--require test/support/fakeFunctionsCore.cjs) recording the registrations.
// Same selection as test/support/printRegistrations.mjs, which the host-contract test uses.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
const { main } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The host's glob syntax as far as this project uses it: `*` within a segment and `{a,b}` alternatives.
const pattern = new RegExp(
  `^${main
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\{([^}]*)\}/g, (_, alts) => `(?:${alts.split(',').join('|')})`)}$`,
);
// Walk only the folder "main" starts in (its part before the first glob character).
const fixedPart = main.split(/[*{]/)[0];
const start = fixedPart.includes('/') ? fixedPart.slice(0, fixedPart.lastIndexOf('/')) : '.';
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const files = statSync(join(root, start)).isDirectory() ? walk(join(root, start)) : [];
const entries = files
  .map((f) => relative(root, f).split('\\').join('/'))
  .filter((f) => pattern.test(f))
  .sort();

for (const entry of entries) await import(pathToFileURL(join(root, entry)).href);

const { registrations } = createRequire(import.meta.url)('@azure/functions-core');
globalThis.__benchLoaded = { entries: entries.length, functions: registrations.length };
