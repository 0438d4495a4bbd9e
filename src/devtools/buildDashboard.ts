import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILT_DASHBOARD_PAGE } from '../dashboard/builtPage.js';

/**
 * Part of `npm run build` (src/devtools/build.mjs): bundles the dashboard page (web/dashboard: TypeScript, uPlot
 * and the styles) with esbuild into ONE html file with everything inlined, so serving it is one file read, and the
 * page loads nothing from anywhere (no CDN, no second request). Done at build time, not per request: the page never
 * changes between deployments. The page's Content-Security-Policy allows exactly the inlined script and style, by
 * hash, and data calls to its own origin.
 */

/** The page's sources, from this module's compiled place, dist/src/devtools/. */
const SOURCE = new URL('../../../web/dashboard/', import.meta.url);

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

async function buildDashboard(): Promise<void> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('main.ts', SOURCE))],
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    outdir: 'page', // names the outputs only: nothing is written
    write: false,
    logLevel: 'warning',
  });
  const output = (extension: string) => {
    const file = bundle.outputFiles.find((f) => f.path.endsWith(extension));
    if (!file) throw new Error(`esbuild produced no ${extension}`);
    return file.text;
  };
  const js = output('.js');
  const css = output('.css');
  // Inlined text must not end its element early; esbuild escapes these, and this keeps it that way.
  if (/<\/script/i.test(js) || /<\/style/i.test(css)) throw new Error('the bundle contains a closing </script> or </style> tag');

  const policy = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const template = readFileSync(new URL('index.html', SOURCE), 'utf8');
  const parts: Record<string, string> = { CSP: policy, CSS: css, JS: js };
  // One pass with a function: inserted text is not scanned again, and `$&` in the bundle is not a pattern.
  const page = template.replace(/%(CSP|CSS|JS)%/g, (_, name: string) => parts[name] ?? '');
  mkdirSync(new URL('.', BUILT_DASHBOARD_PAGE), { recursive: true });
  writeFileSync(BUILT_DASHBOARD_PAGE, page);
}

// Silent on success, as tsc is: `npm run once` and `npm start` build first.
await buildDashboard();
