import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import type { RatesAnswer } from '../contract/apiAnswers.js';
import { ratesCsv } from '../reading/ratesCsv.js';
import { rateView } from '../reading/ratesView.js';
import { CSV_COLUMNS, JSON_COLUMNS } from '../reading/rowColumns.js';
import type { ReadDependencies } from '../reading/readDependencies.js';
import { parseQuery, RangeQuerySchema, resolveRange } from '../reading/readQuery.js';
import { json, jsonError } from './responses.js';
import { storageAnswer } from './storageAnswer.js';

const RatesQuerySchema = RangeQuerySchema.extend({ format: z.enum(['json', 'csv'], { error: 'must be json or csv' }).optional() });

/** `format` wins; without it, a client that accepts text/csv gets CSV. */
const wantsCsv = (format: 'json' | 'csv' | undefined, request: HttpRequest): boolean =>
  (format ?? (/\btext\/csv\b/i.test(request.headers.get('accept') ?? '') ? 'csv' : 'json')) === 'csv';

/**
 * GET /api/rates?from&to&currencies&format: the stored rows in [from, to] (default: the last 90 days to today), oldest
 * first, as JSON `{base, from, to, count, rows}` or as a CSV download. 400 naming the parameter for bad input; 503/500
 * when the table could not be read.
 */
export async function ratesHandler(request: HttpRequest, deps: ReadDependencies, now: Date): Promise<HttpResponseInit> {
  const query = parseQuery(request.query, RatesQuerySchema);
  if (!query.ok) return jsonError(400, query.error);
  const range = resolveRange(query.value, deps.currencies, now);
  if (!range.ok) return jsonError(400, range.error);
  const { from, to, currencies } = range.value;
  const asked = { base: deps.baseCurrency, from, to, currencies };

  if (wantsCsv(query.value.format, request)) {
    const rows = await deps.rows.queryRows({ ...asked, columns: CSV_COLUMNS });
    if (!rows.ok) return storageAnswer(rows.error, deps.secrets);
    return {
      status: 200,
      body: await ratesCsv(rows.value, currencies),
      headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="fxgold-${from}-${to}.csv"` },
    };
  }
  const rows = await deps.rows.queryRows({ ...asked, columns: JSON_COLUMNS });
  if (!rows.ok) return storageAnswer(rows.error, deps.secrets);
  return json(200, {
    base: deps.baseCurrency,
    from,
    to,
    count: rows.value.length,
    rows: rows.value.map((row) => rateView(row, currencies)),
  } satisfies RatesAnswer);
}
