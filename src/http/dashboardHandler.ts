import type { HttpResponseInit } from '@azure/functions';

/**
 * GET /api/dashboard: the page, one self-contained HTML document (script, styles and charting library inlined at
 * build time). It holds no data and no key, so it is served without one; its own data calls send the function key
 * it reads from the URL fragment. Its inline Content-Security-Policy limits it to its own script and style and to
 * calls to this origin; the headers add what a policy in the page cannot (framing) and keep referrers off.
 */
export async function dashboardHandler(page: () => Promise<string>): Promise<HttpResponseInit> {
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': "frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
    body: await page(),
  };
}
