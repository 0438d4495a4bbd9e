import { toTableRow, type FxGoldRow } from '../domain/fxGoldRow.js';
import { describeFailure } from '../domain/providerFailure.js';
import type { QuoteRequest } from '../domain/quotes.js';
import { redact } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';
import type { JobDependencies } from './jobDependencies.js';

/**
 * The whole job without the Functions host: both providers at once, then the merge, then one upsert.
 * Nothing is written unless both providers answered and the row is valid.
 */
export async function runDailyJob(request: QuoteRequest, deps: JobDependencies): Promise<Result<FxGoldRow, string>> {
  const [currency, gold] = await Promise.all([deps.rates.fetchRates(request), deps.gold.fetchGoldPrice(request)]);
  const failures = [currency, gold].flatMap((r) => (r.ok ? [] : [describeFailure(r.error)]));
  if (!currency.ok || !gold.ok) return failure(redact(failures.join('; '), deps.secrets));

  const row = toTableRow({ date: request.date, currency: currency.value, gold: gold.value, ingestedAt: deps.clock().toISOString() });
  if (!row.ok) return failure(`transform: ${row.error}`);
  const saved = await deps.store.save(row.value);
  if (!saved.ok) return failure(redact(describeFailure(saved.error), deps.secrets));
  return success(row.value);
}
