import { readFile } from 'node:fs/promises';

/**
 * Where the build writes the dashboard (src/devtools/buildDashboard.ts): `dist/dashboard/index.html`, resolved from
 * this module's compiled place, `dist/src/dashboard/`, so the app and `npm run dashboard` find it wherever they run.
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
