// Loads the compiled app the way the host does (every file matching package.json "main", by native ESM
// import under plain Node, with the fake core preloaded by --require) and prints what got registered.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.cwd();
const { main } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// The host's glob syntax as far as this project uses it: `*` within a segment and `{a,b}` alternatives.
const pattern = new RegExp(
  `^${main.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\{([^}]*)\}/g, (_, alts) => `(?:${alts.split(',').join('|')})`)}$`,
);
const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
const entries = walk(join(root, 'dist')).map((f) => relative(root, f).split('\\').join('/')).filter((f) => pattern.test(f)).sort();

for (const entry of entries) await import(pathToFileURL(join(root, entry)).href);

const { registrations } = createRequire(import.meta.url)('@azure/functions-core');
console.log(JSON.stringify({ entries, functions: registrations.map((r) => r.metadata) }));
