import type { FxGoldRow } from '../domain/fxGoldRow.js';
import type { QuoteRequest } from '../domain/quotes.js';
import { failure, success, type Result } from '../domain/result.js';
import type { JobDependencies } from './jobDependencies.js';
import type { SaveOutcome } from '../storage/fxGoldTable.js';
import type { AcceptableGate } from '../quality/gate.js';
import { askProvider, chainOf, checkRow, saveRow, type QuoteKind } from './jobSteps.js';
import { viewOf, type AttemptView } from './providerChain.js';
import { drive, driverFor, type DriveOptions } from './chainDriver.js';

export interface RunOptions extends DriveOptions {
  /** Quality gates the operator vouches for (`--accept-quality plausibility`): their failures flag the row instead. */
  readonly accepted?: readonly AcceptableGate[];
}

export interface DailyJobResult {
  readonly row: FxGoldRow;
  /** What the store did with the row. */
  readonly saved: SaveOutcome;
  /** Every provider call of both fetch chains. */
  readonly attempts: readonly AttemptView[];
}

/**
 * The whole job without the Functions host, with the same steps and the same chain decisions as the orchestrator:
 * both failover chains at once, then the row, then one upsert (retried like the providers). Nothing is written unless
 * both chains served and the row is valid. The failure is one message with every provider's reason.
 */
export async function runDailyJob(
  request: QuoteRequest,
  deps: JobDependencies,
  options: RunOptions,
): Promise<Result<DailyJobResult, string>> {
  const driver = driverFor(options);
  const fetchChain = <K extends QuoteKind>(kind: K) =>
    drive(chainOf(deps, kind), (provider) => askProvider(kind, provider, request, deps), driver);

  const [rates, gold] = await Promise.all([fetchChain('rates'), fetchChain('gold')]);
  const attempts = [...rates.attempts.map((a) => viewOf('rates', a)), ...gold.attempts.map((a) => viewOf('gold', a))];
  if (!rates.outcome.ok || !gold.outcome.ok)
    return failure([rates.outcome, gold.outcome].flatMap((o) => (o.ok ? [] : [o.error])).join('; '));

  // Reading the row to compare with may pass on a retry; a refused row fails at once (its failure names no chain member).
  const quotes = { rates: rates.outcome.value, gold: gold.outcome.value };
  const row = await drive(
    ['storage'] as const,
    () => checkRow({ date: request.date, mode: request.mode, accepted: options.accepted ?? [] }, quotes, deps),
    driver,
  );
  if (!row.outcome.ok) return failure(row.outcome.error);
  const checked = row.outcome.value;
  const saved = await drive(['storage'] as const, () => saveRow(checked, deps), driver);
  if (!saved.outcome.ok) return failure(saved.outcome.error);
  return success({ row: checked, saved: saved.outcome.value, attempts });
}
