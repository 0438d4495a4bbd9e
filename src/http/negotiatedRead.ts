import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { utcDateOf } from '../domain/businessDate.js';
import { pinnedReader } from '../reading/cachedRowReader.js';
import type { ReadDependencies } from '../reading/readDependencies.js';
import { storageAnswer } from './storageAnswer.js';

export type ReadHandler = (request: HttpRequest, deps: ReadDependencies, now: Date) => Promise<HttpResponseInit>;

/** Smaller answers are sent as they are: compressing them saves less than its headers cost. */
const MIN_COMPRESSED_BYTES = 1024;
const compressors = {
  br: promisify(brotliCompress),
  gzip: promisify(gzip),
};
type Coding = keyof typeof compressors | 'identity';
/** Brotli's default (11) takes seconds on a 25-year answer; 5 is about as fast as gzip's default and smaller. */
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };

/**
 * A read endpoint with HTTP validators and compression, over one check of the cache (rowCache.ts): the handler reads
 * the snapshot that check returned, so the ETag names exactly the rows it answers with. The ETag is strong: a hash of
 * the data version, the query, the Accept header (it picks CSV), today's UTC date (the default range ends today) and
 * the content coding. `If-None-Match` that matches → 304 with no body. `Cache-Control: private, no-cache`: a browser
 * keeps the answer but asks every time, so a new row is never hidden. The Functions host on Linux (Flex Consumption)
 * does not compress answers unless its opt-in `EnableResponseCompression` feature flag is set, and that middleware
 * leaves an answer that already has a Content-Encoding alone: so the answer is compressed here, never twice.
 */
export function negotiatedRead(handler: ReadHandler): ReadHandler {
  return async (request, deps, now) => {
    const snapshot = await deps.cache.snapshot(deps.baseCurrency);
    if (!snapshot.ok) return storageAnswer(snapshot.error, deps.secrets);
    const coding = chosenCoding(request.headers.get('accept-encoding'));
    const etag = strongEtag(
      [snapshot.value.version, request.url.split('?')[1] ?? '', request.headers.get('accept') ?? '', utcDateOf(now)],
      coding,
    );
    const validators = { ETag: etag, 'Cache-Control': 'private, no-cache', Vary: 'Accept, Accept-Encoding' };
    if (matchesAny(request.headers.get('if-none-match'), etag)) return { status: 304, headers: validators };

    const answer = await handler(request, { ...deps, rows: pinnedReader(deps.baseCurrency, snapshot.value, deps.rows) }, now);
    if (answer.status !== 200) return answer;
    const headers: Record<string, string> = { ...(answer.headers as Record<string, string> | undefined), ...validators };
    if (coding === 'identity') return { ...answer, headers };
    const text = answer.jsonBody === undefined ? answer.body : JSON.stringify(answer.jsonBody);
    if (typeof text !== 'string' || Buffer.byteLength(text) < MIN_COMPRESSED_BYTES) return { ...answer, headers };
    const compressed = await compressors[coding](Buffer.from(text), coding === 'br' ? BROTLI_OPTIONS : {});
    return {
      status: 200,
      headers: { ...(answer.jsonBody === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers, 'Content-Encoding': coding },
      body: new Uint8Array(compressed),
    };
  };
}

/** br when the client accepts it, else gzip, else identity; `q=0` refuses a coding, `*` stands for any not named. */
export function chosenCoding(acceptEncoding: string | null): Coding {
  const weights = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...parameters] = part.trim().toLowerCase().split(';');
    const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
    if (name !== '') weights.set(name, q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  return (['br', 'gzip'] as const).find((coding) => weight(coding) > 0) ?? 'identity';
}

const strongEtag = (parts: readonly string[], coding: Coding): string =>
  `"${createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27)}${coding === 'identity' ? '' : `-${coding}`}"`;

/** If-None-Match compares weakly (RFC 9110 13.1.2): a `W/` prefix does not matter; `*` matches any current answer. */
const matchesAny = (ifNoneMatch: string | null, etag: string): boolean =>
  ifNoneMatch !== null && ifNoneMatch.split(',').some((tag) => ['*', etag].includes(tag.trim().replace(/^W\//, '')));
