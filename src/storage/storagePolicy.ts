/**
 * How long a storage call may take, written down once. Plain data, no SDK import: settings read the default.
 *
 * Each store operation (`save`, `find`) gets one abort signal of `FXGOLD_STORAGE_TIMEOUT_MS`, passed to every SDK
 * call it makes, so it covers the SDK's own retries and their back-off too: an operation always ends within that
 * budget (plus the moment it takes to close the socket). Inside the budget the SDK retries network errors, 408 and
 * 5xx at most twice, after 100-200 ms and 200-400 ms (exponential with jitter, never over 1 s; a 429 or 503 asking
 * for a longer Retry-After is still cut off by the budget): the job has its own retries (Durable's for persistRecord),
 * so the SDK's only smooth over a blip instead of waiting out its defaults (3 retries from 1 s up to 64 s).
 */
export const DEFAULT_STORAGE_TIMEOUT_MS = 10_000;

/** The SDK's `retryOptions` (core-rest-pipeline's exponential and throttling strategies). */
export const STORAGE_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 } as const;

/**
 * The largest storage answer the store accepts. The SDK reads a whole answer before parsing it, so this cannot save
 * the download (the time budget bounds that), but it stops a huge one before the SDK spends seconds of CPU parsing it.
 * A page of 1,000 rows of this table is about 1 MiB; the cap leaves room for far wider rows.
 */
export const STORAGE_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
