import { noData, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';
import type { DatedGoldQuote } from '../clients/providers.js';
import type { ProviderName } from '../clients/registry.js';
import { quoteRequestFor, type GoldQuote } from '../domain/quotes.js';
import { businessDaysBetween, type BusinessDate, type IsoDate } from '../domain/businessDate.js';
import type { BackfillDependencies } from './dependencies.js';
import { askGoldSeries, askProvider, chainOf } from '../pipeline/jobSteps.js';

/** A date's ask of one gold provider, as the chain driver calls it (once per attempt). */
export type GoldAsk = (provider: ProviderName) => Promise<Outcome<GoldQuote>>;

/**
 * The gold asks of one chunk. A provider with a gold series (Frankfurter v2) is asked once per chunk for the series
 * from `seriesFrom` to the chunk's last date, and each date takes the latest fixing on or before it, no more than
 * FXGOLD_MAX_GOLD_AGE_DAYS business days old, as the daily run's `date=` request would be answered; older or none is
 * "no data" for that date (a gap). Any other provider is asked for the date itself. Retries of the series are shared:
 * every date's n-th attempt awaits the chunk's n-th request, so a chunk sends a series provider no more requests than
 * one date's retries would. `prefetch` sends the first series request at once when the chain's first provider has a
 * series, so that it travels beside the chunk's FX request. A request to the chain's first provider, when metered, is
 * taken from `holder`'s reservation (the backfill's).
 */
export function chunkGoldAsks(
  range: { readonly from: IsoDate; readonly to: IsoDate },
  deps: BackfillDependencies,
  onRequest: () => void,
  holder?: string,
): { readonly prefetch: () => Promise<unknown>; readonly forDate: (date: BusinessDate) => GoldAsk } {
  const seriesAttempts = new Map<ProviderName, Promise<Outcome<DatedGoldQuote[]>>[]>();
  const attempt = (provider: ProviderName, index: number) => {
    const shared = seriesAttempts.get(provider) ?? [];
    seriesAttempts.set(provider, shared);
    return (shared[index] ??= askGoldSeries(provider, range, deps, onRequest));
  };
  const hasSeries = (provider: ProviderName) => deps.goldChain.find((p) => p.name === provider)?.fetchGoldSeries !== undefined;
  const [first] = chainOf(deps, 'gold');
  const prefetch = () => (first === undefined || !hasSeries(first) ? Promise.resolve() : attempt(first, 0));
  const forDate = (date: BusinessDate): GoldAsk => {
    const attemptsOfDate = new Map<ProviderName, number>();
    return async (provider) => {
      if (!hasSeries(provider)) {
        onRequest();
        // The backfill reserved for the chain's first provider only (src/backfill/quota.ts); a later one counts as a manual run's.
        return askProvider('gold', provider, quoteRequestFor(date, deps.clock()), deps, provider === first ? holder : undefined);
      }
      const index = attemptsOfDate.get(provider) ?? 0;
      attemptsOfDate.set(provider, index + 1);
      const series = await attempt(provider, index);
      return series.ok ? fixingFor(series.value, date, provider, deps.quality.maxGoldAgeDays) : series;
    };
  };
  return { prefetch, forDate };
}

function fixingFor(series: readonly DatedGoldQuote[], date: BusinessDate, provider: ProviderName, maxAgeDays: number): Outcome<GoldQuote> {
  const latest = series.filter((element) => element.date <= date).at(-1);
  if (latest === undefined || businessDaysBetween(latest.date, date) > maxAgeDays)
    return noData(provider, `no gold fixing on or up to ${maxAgeDays} business days before ${date}`);
  return success(latest.quote);
}
