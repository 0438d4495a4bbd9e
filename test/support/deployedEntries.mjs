// The files the Functions host would import: every file matching package.json "main" (a path, or a glob in the
// host's syntax as far as this project uses it: `*` within a segment and `{a,b}` alternatives), relative to the root.
// Shared by the host-contract test and the benchmark's cold-load child, so both load exactly what the host would.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export function deployedEntries(root) {
  const { main } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pattern = new RegExp(
    `^${main
      .replace(/[.+^$()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\{([^}]*)\}/g, (_, alts) => `(?:${alts.split(',').join('|')})`)}$`,
  );
  // Walk only the folder "main" starts in (its part before the first glob character).
  const fixedPart = main.split(/[*{]/)[0];
  const start = join(root, fixedPart.includes('/') ? fixedPart.slice(0, fixedPart.lastIndexOf('/')) : '.');
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const files = statSync(start, { throwIfNoEntry: false })?.isDirectory() ? walk(start) : [];
  return files
    .map((f) => relative(root, f).split('\\').join('/'))
    .filter((f) => pattern.test(f))
    .sort();
}
