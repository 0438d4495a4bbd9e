import { describe, expect, it } from 'vitest';
import type { Failure } from '../../src/domain/failure.js';
import { chainFailure, nextStep, RETRY_POLICY, waitAfter, type ChainAttempt } from '../../src/pipeline/providerChain.js';

/** The one piece that decides retries and failover, for the orchestrator and the runner alike. */
const fail = (provider: Failure['source'], kind: Failure['kind'], message = 'down', retryAfterSeconds?: number): ChainAttempt => ({
  provider,
  failure: { source: provider, kind, message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
});
const served = (provider: Failure['source']): ChainAttempt => ({ provider });
const times = (n: number, attempt: ChainAttempt) => Array.from({ length: n }, () => attempt);

describe('waitAfter', () => {
  it('backs off 5 s, 10 s, 20 s', () => {
    expect([1, 2, 3].map((n) => waitAfter(n, undefined))).toEqual([5_000, 10_000, 20_000]);
  });

  it('honours a Retry-After longer than the back-off, but not one shorter', () => {
    expect(waitAfter(1, 30)).toBe(30_000);
    expect(waitAfter(2, 9)).toBe(10_000);
    expect(waitAfter(2, 11)).toBe(11_000);
  });

  it('caps a Retry-After at the policy’s longest wait', () => {
    expect(waitAfter(1, 60)).toBe(60_000);
    expect(waitAfter(1, 61)).toBe(RETRY_POLICY.maxWaitMs);
    expect(waitAfter(1, 3_600)).toBe(60_000);
  });
});

describe('nextStep', () => {
  it('starts with the first provider, at once', () => {
    expect(nextStep(['goldapi', 'currencyapi'], [])).toEqual({ action: 'call', provider: 'goldapi', attempt: 1, waitMs: 0 });
  });

  it('is done as soon as a provider served', () => {
    expect(nextStep(['goldapi'], [fail('goldapi', 'transient'), served('goldapi')])).toEqual({ action: 'done' });
  });

  it('asks the same provider again after a transient failure, up to the 4th attempt and not beyond', () => {
    expect(nextStep(['goldapi'], times(3, fail('goldapi', 'transient')))).toEqual({
      action: 'call',
      provider: 'goldapi',
      attempt: 4,
      waitMs: 20_000,
    });
    expect(nextStep(['goldapi'], times(4, fail('goldapi', 'transient', 'server error, HTTP 503')))).toEqual({
      action: 'failed',
      message: 'goldapi: server error, HTTP 503 (transient) (gave up after 4 attempts)',
    });
  });

  it('passes the Retry-After on to the wait', () => {
    expect(nextStep(['goldapi'], [fail('goldapi', 'transient', 'rate limited', 45)])).toMatchObject({
      action: 'call',
      attempt: 2,
      waitMs: 45_000,
    });
  });

  it('never retries a permanent failure: the chain fails at once when no provider is left', () => {
    expect(nextStep(['goldapi'], [fail('goldapi', 'permanent', 'request refused, HTTP 403')])).toEqual({
      action: 'failed',
      message: 'goldapi: request refused, HTTP 403 (permanent)',
    });
  });

  it('hands over to the next provider after a permanent failure, or after the last retry, at once', () => {
    expect(nextStep(['goldapi', 'currencyapi'], [fail('goldapi', 'permanent')])).toEqual({
      action: 'call',
      provider: 'currencyapi',
      attempt: 1,
      waitMs: 0,
    });
    expect(nextStep(['goldapi', 'currencyapi'], times(4, fail('goldapi', 'transient')))).toEqual({
      action: 'call',
      provider: 'currencyapi',
      attempt: 1,
      waitMs: 0,
    });
  });

  it('fails with every provider’s reason once the last one failed too', () => {
    const attempts = [...times(4, fail('goldapi', 'transient', 'server error, HTTP 503')), fail('currencyapi', 'permanent', 'HTTP 404')];
    expect(nextStep(['goldapi', 'currencyapi'], attempts)).toEqual({
      action: 'failed',
      message: 'goldapi: server error, HTTP 503 (transient) (gave up after 4 attempts); currencyapi: HTTP 404 (permanent)',
    });
  });

  it('with one attempt allowed (the runner’s --no-retry), fails over without retrying', () => {
    const once = { ...RETRY_POLICY, attempts: 1 };
    expect(nextStep(['frankfurter', 'currencyapi'], [fail('frankfurter', 'transient')], once)).toMatchObject({
      action: 'call',
      provider: 'currencyapi',
      attempt: 1,
    });
    expect(nextStep(['frankfurter'], [fail('frankfurter', 'transient', 'timeout')], once)).toEqual({
      action: 'failed',
      message: 'frankfurter: timeout (transient) (gave up after 1 attempt)',
    });
  });

  it('a failure outside the chain (the settings) ends it: every provider would meet it', () => {
    expect(nextStep([], [fail('settings', 'permanent', 'GOLDAPI_KEY is required')])).toEqual({
      action: 'failed',
      message: 'settings: GOLDAPI_KEY is required (permanent)',
    });
    expect(nextStep([], [])).toEqual({ action: 'failed', message: 'no provider configured' });
  });
});

describe('chainFailure', () => {
  it('names each provider once, with its last reason', () => {
    expect(chainFailure([fail('goldapi', 'transient', 'first'), fail('goldapi', 'permanent', 'second')])).toBe(
      'goldapi: second (permanent)',
    );
  });
});
