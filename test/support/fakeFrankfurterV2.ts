import type { FakeAnswer, RecordedRequest } from './fakeProviders.js';

/**
 * Frankfurter v2's `GET /rates` for gold as its source answers it (lineofflight/frankfurter lib/versions/v2.rb,
 * rate_query.rb, carry_forward.rb, roundable.rb): always a JSON array of `{date, base, quote, rate}`; `date=` is the
 * latest fixing on or before it within 14 days (`[]` when none); `from`/`to` lists the dates the source published,
 * beginning with the latest one before `from` when `from` itself has none; no weekend rows; values rounded by size;
 * a bad parameter is 422 `{status, message}`.
 */
export interface GoldCalendar {
  /** Weekdays the source did not publish (NBP: Polish public holidays). */
  readonly holidays?: readonly string[];
  /** The unrounded XAU/USD price published on a date. */
  readonly priceOn?: (date: string) => number;
}

const ALLOWED_PARAMS = ['base', 'quotes', 'providers', 'date', 'from', 'to', 'group', 'expand'];
const LOOKBACK_DAYS = 14;
const DAY_MS = 86_400_000;

const dayNumber = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse('2016-01-01T00:00:00Z')) / DAY_MS);
/** An NBP-like price around 1000–5500 USD/oz over 2016–2026, different every day. */
export const nbpPriceOn = (date: string): number => 1050.1234 + dayNumber(date) * 1.1371;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** lib/roundable.rb. */
export function roundLikeFrankfurter(value: number): number {
  if (value > 5000) return Math.round(value);
  if (value > 80) return Number(value.toFixed(2));
  if (value > 20) return Number(value.toFixed(3));
  if (value > 1) return Number(value.toFixed(4));
  if (value > 0.0001) return Number(value.toFixed(5));
  return Number(value.toFixed(6));
}

export function frankfurterV2Gold(calendar: GoldCalendar = {}): (request: RecordedRequest) => FakeAnswer {
  const priceOn = calendar.priceOn ?? nbpPriceOn;
  const published = (date: string) => isWeekday(date) && !(calendar.holidays ?? []).includes(date);
  const element = (date: string) => ({ date, base: 'XAU', quote: 'USD', rate: roundLikeFrankfurter(priceOn(date)) });
  const latestOnOrBefore = (date: string) => {
    for (let day = date; day >= addDays(date, -LOOKBACK_DAYS); day = addDays(day, -1)) if (published(day)) return day;
    return undefined;
  };
  const refuse = (message: string): FakeAnswer => ({ status: 422, json: { status: 422, message } });

  return ({ path, query }) => {
    if (path !== '/rates') return { status: 404, json: { status: 404, message: 'not found' } };
    const unknown = [...query.keys()].filter((key) => !ALLOWED_PARAMS.includes(key));
    if (unknown.length > 0) return refuse(`unknown parameter: ${unknown.join(', ')}`);
    if (query.get('base') !== 'XAU' || query.get('quotes') !== 'USD') return { json: [] };
    const date = query.get('date');
    if (date !== null) {
      const latest = latestOnOrBefore(date);
      return { json: latest === undefined ? [] : [element(latest)] };
    }
    const from = query.get('from');
    const to = query.get('to');
    if (from === null || to === null) return refuse('this fake needs date= or from= and to=');
    const dates: string[] = [];
    const first = latestOnOrBefore(from);
    if (first !== undefined && first < from) dates.push(first);
    for (let day = from; day <= to; day = addDays(day, 1)) if (published(day)) dates.push(day);
    return { json: dates.map(element) };
  };
}
