import { readFile } from 'node:fs/promises';

/**
 * Where the build writes the dashboard (src/devtools/buildDashboard.ts): `dist/dashboard/index.html`, resolved from
 * where this module's code runs, so the app and `npm run dashboard` find it wherever they run: tsc's output,
 * `dist/src/dashboard/`, for the commands, and the bundle, `dist/bundle/functions/`, for the Functions app; both are
 * two folders below `dist/` (the bundle's place is chosen so; the lazy-loading contract test serves the page from it).
 */
export const BUILT_DASHBOARD_PAGE = new URL('../../dashboard/index.html', import.meta.url);

/**
 * The file read on first use and then kept: the page is fixed at build time and one instance serves it many times.
 * A failed read is not kept, so the next request tries again.
 */
export function cachedFile(file: URL): () => Promise<string> {
  let text: Promise<string> | undefined;
  return () =>
    (text ??= readFile(file, 'utf8').catch((error: unknown) => {
      text = undefined;
      throw error;
    }));
}
