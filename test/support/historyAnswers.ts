import { fixture } from './fixtures.js';
import { exchangerateHostTimeframe, frankfurterSeries, SERIES_PATH, type FakeHandler, type FakeProviders } from './fakeProviders.js';

/**
 * Provider answers for history tests: values that differ from date to date (so a row shows which date's answer it
 * holds), the same for a single date as in a series, with ECB holidays (no FX), LBMA gaps (goldapi: no data),
 * dates goldapi answers with the day before's fixing, and dates it refuses (403).
 */
export interface History {
  readonly fxHolidays?: readonly string[];
  readonly goldGaps?: readonly string[];
  readonly goldFromDayBefore?: readonly string[];
  readonly goldRefused?: readonly string[];
}

const BASE_RATES = fixture<{ rates: Record<string, number> }>('frankfurter-latest').rates;
const dayNumber = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse('2025-01-01T00:00:00Z')) / 86_400_000);
const round = (value: number) => Math.round(value * 1e6) / 1e6;

/** The rates served for a date (units per USD). */
export const ratesOn = (date: string): Record<string, number> =>
  Object.fromEntries(Object.entries(BASE_RATES).map(([code, rate]) => [code, round(rate * (1 + dayNumber(date) * 0.0002))]));
/** The LBMA price served for a date. */
export const goldOn = (date: string): number => 3000 + dayNumber(date) / 4;

const previousWeekday = (date: string): string => {
  let day = Date.parse(`${date}T00:00:00Z`) - 86_400_000;
  while ([0, 6].includes(new Date(day).getUTCDay())) day -= 86_400_000;
  return new Date(day).toISOString().slice(0, 10);
};

export function historyAnswers(history: History = {}): { frankfurter: FakeHandler; exchangeratehost: FakeHandler; goldapi: FakeHandler } {
  const fxOn = (date: string) => (history.fxHolidays?.includes(date) ? undefined : ratesOn(date));
  return {
    frankfurter: ({ path }) => {
      const series = SERIES_PATH.exec(path);
      if (series) return { json: frankfurterSeries(series[1] as string, series[2] as string, fxOn) };
      // `/{date}`: the latest ECB day on or before it, as Frankfurter answers.
      let date = path.slice(1);
      while (fxOn(date) === undefined || [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay())) date = previousWeekday(date);
      return { json: { amount: 1, base: 'USD', date, rates: fxOn(date) } };
    },
    exchangeratehost: ({ path, query }) => {
      const quotesOn = (date: string) => {
        const rates = fxOn(date);
        return rates && Object.fromEntries(Object.entries(rates).map(([code, rate]) => [`USD${code}`, rate]));
      };
      if (path !== '/timeframe') return { status: 404, json: { success: false, error: { code: 103, info: 'not in this fake' } } };
      return { json: exchangerateHostTimeframe(query.get('start_date') ?? '', query.get('end_date') ?? '', quotesOn) };
    },
    goldapi: ({ path }) => {
      const day = /^\/XAU\/USD\/(\d{4})(\d{2})(\d{2})$/.exec(path);
      if (!day) return { status: 404, json: { error: 'not in this fake' } };
      const asked = `${day[1]}-${day[2]}-${day[3]}`;
      if (history.goldRefused?.includes(asked)) return { status: 403, json: { error: 'Invalid API Key' } };
      if (history.goldGaps?.includes(asked)) return { status: 404, json: { error: 'No data available for this date' } };
      const date = history.goldFromDayBefore?.includes(asked) ? previousWeekday(asked) : asked;
      const fixedAt = `${date}T10:30:00.000Z`;
      const price = goldOn(date);
      return {
        json: {
          date: fixedAt,
          timestamp: Date.parse(fixedAt),
          metal: 'XAU',
          exchange: 'LBMA',
          currency: 'USD',
          prev_close_price: price - 5,
          price,
          ch: 5,
          chp: 0.1,
        },
      };
    },
  };
}

/** Makes the fake answer with `historyAnswers(history)`. */
export function serveHistory(fake: FakeProviders, history: History = {}): void {
  const answers = historyAnswers(history);
  fake.answer('frankfurter', answers.frankfurter);
  fake.answer('exchangeratehost', answers.exchangeratehost);
  fake.answer('goldapi', answers.goldapi);
}
