import { cleanUpstreamText } from '../domain/failureText.js';
import type { RunStage } from './contract.js';

/**
 * The one log line a daily run writes when it ends, completed or failed, for the alert rule to read
 * (infra/app/alerts.bicep queries Application Insights `traces` for lines starting with this name; the
 * infra-consistency test checks both sides use it). Host-free: the orchestrator logs it through its context.
 */
export const RUN_EVENT_NAME = 'FxGoldRunEvent';

export interface RunEvent {
  readonly outcome: 'completed' | 'failed';
  readonly instanceId: string;
  /** The business date; null only when the input itself was unreadable. */
  readonly date: string | null;
  /** The stage the run reached: `completed`, or the stage it failed in (`starting` = its input was refused). */
  readonly stage: RunStage | 'starting';
  /** Completed: the providers that served, in chain order. Failed: the sources that failed (`goldapi`, `storage`, ...). */
  readonly provider: string;
  /** Failed: the run's error text, one line, at most 300 characters, credential-looking values masked. Completed: null. */
  readonly cause: string | null;
}

export const completedRunEvent = (instanceId: string, date: string, providers: readonly string[]): RunEvent => ({
  outcome: 'completed',
  instanceId,
  date,
  stage: 'completed',
  provider: distinct(providers),
  cause: null,
});

export const failedRunEvent = (
  instanceId: string,
  date: string | null,
  stage: RunEvent['stage'],
  providers: readonly string[],
  cause: string,
): RunEvent => ({
  outcome: 'failed',
  instanceId,
  date,
  stage,
  provider: distinct(providers),
  cause: cleanUpstreamText(maskCredentials(cause)),
});

/** `FxGoldRunEvent {"outcome":...}`: the name first, so a query can filter on it before parsing the JSON. */
export const formatRunEvent = (event: RunEvent): string => `${RUN_EVENT_NAME} ${JSON.stringify(event)}`;

/** The event in a log line, or undefined when the line is not one. */
export function parseRunEvent(line: string): RunEvent | undefined {
  if (!line.startsWith(`${RUN_EVENT_NAME} {`)) return undefined;
  return JSON.parse(line.slice(RUN_EVENT_NAME.length + 1)) as RunEvent;
}

const distinct = (names: readonly string[]): string => [...new Set(names)].join(',');

/**
 * Failure texts reach the orchestrator already scrubbed by the activities, which hold the secrets; the orchestrator
 * holds none, so as a second line of defence it masks values that look like credentials whatever they are: URL or
 * connection-string parameters named like a key, signature, token or password, and bearer/basic tokens.
 */
const CREDENTIAL_PARAMETER =
  /\b((?:access_?key|api_?key|apikey|key|token|access_token|sig|code|password|pwd|secret|AccountKey|SharedAccessSignature)=)[^&;\s"']+/gi;
const AUTH_TOKEN = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;
const maskCredentials = (text: string): string => text.replace(CREDENTIAL_PARAMETER, '$1***').replace(AUTH_TOKEN, '$1 ***');
