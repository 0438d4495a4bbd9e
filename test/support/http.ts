import nodeFetch from 'node-fetch';
import type { HttpOptions, FetchLike } from '../../src/clients/http.js';

/** The production fetch (node-fetch) with a short timeout, for tests against local servers. */
export const realHttp = (timeoutMs = 2_000): HttpOptions => ({ fetch: nodeFetch as unknown as FetchLike, timeoutMs });
export const G10 = ['EUR', 'JPY', 'GBP', 'CHF', 'CAD', 'AUD', 'NZD', 'SEK', 'NOK'];
