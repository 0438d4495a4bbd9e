// The files the Functions host would import: every file matching package.json "main" (a path, or a glob in the
// host's syntax as far as this project uses it: `*` within a segment and `{a,b}` alternatives), relative to the root.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export function deployedEntries(root) {
  const { main } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pattern = new RegExp(
    `^${main
      .replace(/[.+^$()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\{([^}]*)\}/g, (_, alts) => `(?:${alts.split(',').join('|')})`)}$`,
  );
  const walk = (dir) =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(join(root, 'dist'))
    .map((f) => relative(root, f).split('\\').join('/'))
    .filter((f) => pattern.test(f))
    .sort();
}
