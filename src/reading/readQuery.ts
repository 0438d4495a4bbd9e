import { z } from 'zod';
import {
  addDays,
  EARLIEST_RANGE_DATE as EARLIEST_DATE,
  IsoDateSchema,
  spansMoreThanYears,
  utcDateOf,
  type IsoDate,
} from '../domain/businessDate.js';
import { cleanUpstreamText, issueText } from '../domain/failureText.js';
import { failure, success, type Result } from '../domain/result.js';

/** The range when none is given: the last 90 days to today (UTC). */
export const DEFAULT_RANGE_DAYS = 90;
export const MAX_RANGE_YEARS = 30;

const RangeDateSchema = IsoDateSchema.refine(
  (date) => date >= EARLIEST_DATE,
  `must not be before ${EARLIEST_DATE} (no row is earlier than 1999-01-04)`,
);

/** `EUR,jpy, GBP`: codes upper-cased, duplicates dropped, order kept. */
const CurrencyListSchema = z
  .string()
  .transform((text) => [...new Set(text.split(',').map((code) => code.trim().toUpperCase()))])
  .check((ctx) => {
    const bad = ctx.value.find((code) => !/^[A-Z]{3}$/.test(code));
    if (bad !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        message: `must be comma-separated three-letter currency codes such as EUR,JPY; got "${cleanUpstreamText(bad, 20)}"`,
      });
    }
  });

/** The query parameters both read endpoints take; each endpoint extends it with its own. */
export const RangeQuerySchema = z.object({
  from: RangeDateSchema.optional(),
  to: RangeDateSchema.optional(),
  currencies: CurrencyListSchema.optional(),
});

/** A query string parsed with `schema` (a repeated parameter counts once, its last value); the error names the parameter and what is wrong with it. */
export function parseQuery<S extends z.ZodType>(query: URLSearchParams, schema: S): Result<z.output<S>, string> {
  const parsed = schema.safeParse(Object.fromEntries(query.entries()));
  if (parsed.success) return success(parsed.data);
  return failure(issueText(parsed.error.issues[0], 'query', true));
}

export interface ReadRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly currencies: readonly string[];
}

/**
 * The dates and currencies to read: `to` defaults to today (UTC), `from` to DEFAULT_RANGE_DAYS before `to`,
 * currencies to every configured one. Refused: `from` after `to`, a range over MAX_RANGE_YEARS years, a currency
 * that is not configured.
 */
export function resolveRange(
  query: z.output<typeof RangeQuerySchema>,
  configured: readonly string[],
  now: Date,
): Result<ReadRange, string> {
  const to = query.to ?? utcDateOf(now);
  const defaultFrom = addDays(to, -DEFAULT_RANGE_DAYS);
  const from = query.from ?? (defaultFrom < EARLIEST_DATE ? EARLIEST_DATE : defaultFrom);
  if (from > to) return failure(`"from" (${from}) must not be after "to" (${to})`);
  if (spansMoreThanYears(from, to, MAX_RANGE_YEARS))
    return failure(`the range ${from} to ${to} is longer than ${MAX_RANGE_YEARS} years; ask for it in parts`);
  const currencies = query.currencies ?? configured;
  const unknown = currencies.find((code) => !configured.includes(code));
  if (unknown !== undefined) return failure(`"currencies": ${unknown} is not a configured currency (configured: ${configured.join(',')})`);
  return success({ from, to, currencies });
}
