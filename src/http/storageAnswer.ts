import type { HttpResponseInit } from '@azure/functions';
import { redact } from '../domain/failureText.js';
import { describeFailure, type Failure } from '../domain/failure.js';
import { jsonError } from './responses.js';

/** A table read that failed: 503 when it may pass (network, timeout, 5xx), else 500; the cause named, secrets scrubbed. */
export const storageAnswer = (failed: Failure, secrets: readonly string[]): HttpResponseInit =>
  failed.kind === 'transient'
    ? jsonError(503, redact(`the table could not be read (${describeFailure(failed)}), try again later`, secrets))
    : jsonError(500, redact(`the table could not be read: ${describeFailure(failed)}`, secrets));
