import nodeFetch from 'node-fetch';
import type { HttpOptions, FetchLike } from '../../src/clients/http.js';

/** The production fetch (node-fetch) with a short timeout and the default size cap, for tests against local servers. */
export const realHttp = (timeoutMs = 2_000, maxResponseBytes = 1_048_576): HttpOptions => ({
  fetch: nodeFetch as unknown as FetchLike,
  timeoutMs,
  maxResponseBytes,
});
export const G10 = ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'];
