import { describe, expect, it } from 'vitest';
import type { CliRun } from '../support/cli.js';
import { commandTable, useFakeProviders } from '../support/commandTable.js';
import { documentedAnswers, type FakeAnswer, type RecordedRequest } from '../support/fakeProviders.js';
import { fixture } from '../support/fixtures.js';

/**
 * The quality gates end to end: the compiled `npm run once` against fake providers on loopback and the suite's
 * Azurite. A clean run writes a row first; then a run whose provider answers break one gate must exit 1 naming the
 * gate, write nothing, and leave the table byte for byte as it was (same entities, same ETags); a run inside a limit
 * stores its row with the flags it earned. Each limit is moved with its setting to show both sides of it.
 */
const GOLD_KEY = 'goldapi-gates-secret-8080-io';
const providers = useFakeProviders({ mirrors: true });
const [fake, mirrors] = [providers.fake, providers.mirrors];

function freshTable() {
  const setup = commandTable('FxGoldGates', { ...fake().settings(), ...mirrors().settings(), GOLDAPI_KEY: GOLD_KEY });
  const once = (args: string[], extra: Record<string, string> = {}) => setup.run('once', args, extra);
  return { ...setup, once };
}
type Table = ReturnType<typeof freshTable>;

/** A table holding one row written by a clean historical run for `date` (documented answers). */
async function tableWithRow(date: string): Promise<Table> {
  const table = freshTable();
  const clean = await table.once(['--date', date]);
  expect(clean.stderr).toMatch(/\(created\)\n$/);
  expect(clean.code).toBe(0);
  fake().reset();
  return table;
}

/** Runs `once` and checks the refusal: exit 1, the gate's message, nothing on stdout, no row for `date`, the table untouched. */
async function expectRefused(
  table: Table,
  date: string,
  args: string[],
  extra: Record<string, string>,
  message: string | RegExp,
): Promise<CliRun> {
  const before = await table.snapshot();
  const run = await table.once(['--date', date, ...args], extra);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  if (typeof message === 'string') expect(run.stderr).toBe(`fx-gold: ${message}\n`);
  else expect(run.stderr).toMatch(message);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  expect(await table.store.find('USD', date)).toBeUndefined();
  expect(await table.snapshot()).toEqual(before);
  return run;
}

/** Runs `once`, expects a stored row, and returns it as printed (which must equal what the table holds). */
async function expectStored(table: Table, date: string, args: string[], extra: Record<string, string> = {}) {
  const run = await table.once(['--date', date, ...args], extra);
  expect(run.stderr).toMatch(new RegExp(`stored row ${date} in table ${table.table} `));
  expect(run.code).toBe(0);
  const printed = JSON.parse(run.stdout) as Record<string, unknown>;
  expect(await table.store.find('USD', date)).toEqual(printed);
  return printed;
}

const RATES = fixture<{ rates: Record<string, number> }>('frankfurter-latest').rates;
/** Frankfurter's answer dated `date` (the ECB day the rates are from), with `rates` changed. */
const frankfurterAnswer = (date: string, rates: Record<string, number> = {}): FakeAnswer => ({
  json: { amount: 1, base: 'USD', date, rates: { ...RATES, ...rates } },
});
/** goldapi's historical answer: the LBMA fixing of `day` (10:30 UTC) at `price`. */
const goldFixing = (day: string, price = 3312.25): FakeAnswer => {
  const fixedAt = `${day}T10:30:00.000Z`;
  return { json: { ...fixture('goldapi-historical'), date: fixedAt, timestamp: Date.parse(fixedAt), price } };
};

describe('fx-as-of gate through npm run once', () => {
  it('an ECB holiday (Frankfurter answers the day before) stores the row flagged fx-carried-forward', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('frankfurter', frankfurterAnswer('2025-07-07'));
    const row = await expectStored(table, '2025-07-08', []);
    expect(row).toMatchObject({ rowKey: '2025-07-08', CurrencyDate: '2025-07-07', QualityFlags: 'fx-carried-forward', Rate_EUR: 0.8512 });
  });

  it('the same answer with FXGOLD_MAX_FX_AGE_DAYS=0 fails the gate, writes nothing and keeps the earlier row', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('frankfurter', frankfurterAnswer('2025-07-07'));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      { FXGOLD_MAX_FX_AGE_DAYS: '0' },
      'quality: fx-as-of gate: CurrencyDate 2025-07-07 is 1 business days before the business date 2025-07-08; limit 0 (FXGOLD_MAX_FX_AGE_DAYS) (permanent)',
    );
  });

  // 2025-07-08 is a Tuesday: rates of Thursday 2025-07-03 are 3 business days old, of Wednesday 2025-07-02 four.
  it.each([
    ['2025-07-03', undefined, 'stored'],
    ['2025-07-02', undefined, 'refused'],
    ['2025-07-02', '4', 'stored'],
    ['2025-07-01', '4', 'refused'],
  ] as const)('rates as of %s for 2025-07-08 with FXGOLD_MAX_FX_AGE_DAYS=%s: %s', async (asOf, limit, outcome) => {
    const table = await tableWithRow('2025-06-30');
    fake().answer('frankfurter', frankfurterAnswer(asOf));
    const extra: Record<string, string> = limit === undefined ? {} : { FXGOLD_MAX_FX_AGE_DAYS: limit };
    if (outcome === 'stored') {
      expect(await expectStored(table, '2025-07-08', [], extra)).toMatchObject({ CurrencyDate: asOf, QualityFlags: 'fx-carried-forward' });
    } else {
      const age = asOf === '2025-07-02' ? 4 : 5;
      await expectRefused(
        table,
        '2025-07-08',
        [],
        extra,
        `quality: fx-as-of gate: CurrencyDate ${asOf} is ${age} business days before the business date 2025-07-08; limit ${limit ?? 3} (FXGOLD_MAX_FX_AGE_DAYS) (permanent)`,
      );
    }
  });

  it('rates dated after the business date (CurrencyDate 2031-01-01) are refused, even with --accept-quality plausibility', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('frankfurter', frankfurterAnswer('2031-01-01'));
    const message = 'quality: fx-as-of gate: CurrencyDate 2031-01-01 is after the business date 2025-07-08 (permanent)';
    await expectRefused(table, '2025-07-08', [], {}, message);
    await expectRefused(table, '2025-07-08', ['--accept-quality', 'plausibility'], {}, message);
  });

  it('a refused re-run of a date already stored leaves that date’s row byte for byte as it was', async () => {
    const table = await tableWithRow('2025-07-08');
    const before = await table.snapshot();
    fake().answer('frankfurter', frankfurterAnswer('2031-01-01'));
    const run = await table.once(['--date', '2025-07-08']);
    expect(run.stderr).toBe('fx-gold: quality: fx-as-of gate: CurrencyDate 2031-01-01 is after the business date 2025-07-08 (permanent)\n');
    expect(run.code).toBe(1);
    expect(await table.snapshot()).toEqual(before);
    expect(before).toHaveLength(1);
  });

  it('rates from 2020 on the row for 2025-07-08 are refused', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('frankfurter', frankfurterAnswer('2020-07-08'));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      {},
      /^fx-gold: quality: fx-as-of gate: CurrencyDate 2020-07-08 is 1304 business days before the business date 2025-07-08; limit 3 \(FXGOLD_MAX_FX_AGE_DAYS\) \(permanent\)\n$/,
    );
  });
});

describe('gold-as-of gate through npm run once (historical quotes)', () => {
  it('no fixing on the day (goldapi answers the day before) stores the row flagged gold-carried-forward, GoldTimestamp from the fixing', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', goldFixing('2025-07-07'));
    const row = await expectStored(table, '2025-07-08', []);
    expect(row).toMatchObject({
      CurrencyDate: '2025-07-08',
      GoldTimestamp: '2025-07-07T10:30:00.000Z',
      GoldSource: 'LBMA',
      QualityFlags: 'gold-carried-forward',
    });
  });

  it('both flags together, in gate order', async () => {
    const table = await tableWithRow('2025-07-03');
    fake().answer('goldapi', goldFixing('2025-07-07'));
    fake().answer('frankfurter', frankfurterAnswer('2025-07-07'));
    expect(await expectStored(table, '2025-07-08', [])).toMatchObject({ QualityFlags: 'fx-carried-forward,gold-carried-forward' });
  });

  it.each([
    ['2025-07-03', undefined, 'stored'],
    ['2025-07-02', undefined, 'refused'],
    ['2025-07-07', '0', 'refused'],
    ['2025-07-02', '4', 'stored'],
  ] as const)('a fixing of %s for 2025-07-08 with FXGOLD_MAX_GOLD_AGE_DAYS=%s: %s', async (day, limit, outcome) => {
    const table = await tableWithRow('2025-06-30');
    fake().answer('goldapi', goldFixing(day));
    const extra: Record<string, string> = limit === undefined ? {} : { FXGOLD_MAX_GOLD_AGE_DAYS: limit };
    if (outcome === 'stored') {
      expect(await expectStored(table, '2025-07-08', [], extra)).toMatchObject({
        GoldTimestamp: `${day}T10:30:00.000Z`,
        QualityFlags: 'gold-carried-forward',
      });
    } else {
      const age = { '2025-07-02': 4, '2025-07-07': 1 }[day];
      await expectRefused(
        table,
        '2025-07-08',
        [],
        extra,
        `quality: gold-as-of gate: GoldTimestamp ${day}T10:30:00.000Z dates the quote ${day}, ${age} business days before the business date 2025-07-08; limit ${limit ?? 3} (FXGOLD_MAX_GOLD_AGE_DAYS) (permanent)`,
      );
    }
  });

  it('a fixing dated weeks earlier (2025-06-02) is refused', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', goldFixing('2025-06-02'));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      {},
      /^fx-gold: quality: gold-as-of gate: GoldTimestamp 2025-06-02T10:30:00.000Z dates the quote 2025-06-02, 26 business days before the business date 2025-07-08; limit 3/,
    );
  });

  it('a fixing dated after the business date is refused', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', goldFixing('2025-07-09'));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      {},
      'quality: gold-as-of gate: GoldTimestamp 2025-07-09T10:30:00.000Z dates the quote 2025-07-09, after the business date 2025-07-08 (permanent)',
    );
  });

  it('a 1970 gold timestamp: from goldapi the client already refuses it; from currency-api (a file dated 1970) the gate does', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', { json: { ...fixture('goldapi-historical'), timestamp: 86_400 } });
    await expectRefused(
      table,
      '2025-07-08',
      [],
      {},
      /^fx-gold: goldapi: invalid response: .*timestamp.*between 1999 and 2100.*\(permanent\)\n$/,
    );

    mirrors().answer('jsdelivr', { json: { ...fixture('currencyapi-historical'), date: '1970-01-02' } });
    await expectRefused(
      table,
      '2025-07-08',
      [],
      { FXGOLD_GOLD_PROVIDERS: 'currencyapi' },
      'quality: gold-as-of gate: GoldTimestamp 1970-01-02T00:00:00.000Z is before 1999-01-01, earlier than any gold quote (permanent)',
    );
  });
});

/** Today's date (UTC) and the weekdays before it: live quotes are asked for today only. */
const DAY_MS = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const isWeekday = (date: string) => ![0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
const weekdaysBefore = (date: string, count: number): string => {
  let day = Date.parse(`${date}T00:00:00Z`);
  for (let left = count; left > 0;) {
    day -= DAY_MS;
    if (isWeekday(new Date(day).toISOString().slice(0, 10))) left--;
  }
  return new Date(day).toISOString().slice(0, 10);
};
/** goldapi's live answer re-dated: its session opened at `openTime`, the request answered at `timestamp` (Unix seconds). */
const liveGold = (openTime: string, timestamp = Math.floor(Date.now() / 1000)): FakeAnswer => ({
  json: { ...fixture('goldapi-latest'), timestamp, open_time: Date.parse(openTime) / 1000 },
});
/** Live endpoints answer as `live` says; historical requests as documented. */
function answerToday(live: { gold: FakeAnswer; ratesDate?: string }) {
  fake().answer('goldapi', (request: RecordedRequest) => (request.path === '/XAU/USD' ? live.gold : documentedAnswers.goldapi(request)));
  fake().answer('frankfurter', (request: RecordedRequest) =>
    request.path === '/latest' ? frankfurterAnswer(live.ratesDate ?? today) : documentedAnswers.frankfurter(request),
  );
}

// Live quotes exist only for today, so these run on weekdays (a weekend has no business day to run for).
describe.runIf(isWeekday(today))(`gold-as-of gate through npm run once (live quotes, today ${today})`, () => {
  const yesterday = weekdaysBefore(today, 1);

  it('a live quote whose session opened on the previous trading day is flagged gold-carried-forward, GoldTimestamp = the session start', async () => {
    const table = await tableWithRow(yesterday);
    answerToday({ gold: liveGold(`${yesterday}T00:00:00Z`) });
    const run = await table.once([]);
    expect(run.code).toBe(0);
    const row = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(row).toMatchObject({
      rowKey: today,
      GoldSource: 'FOREXCOM',
      GoldPrice: 3301.45,
      GoldOpeningPrice: 3337.6,
      GoldTimestamp: `${yesterday}T00:00:00.000Z`,
      QualityFlags: 'gold-carried-forward',
    });
    expect(await table.store.find('USD', today)).toEqual(row);
    expect(
      fake()
        .requests.map((r) => `${r.provider} ${r.path}`)
        .sort(),
    ).toEqual(['frankfurter /latest', 'goldapi /XAU/USD']);
  });

  it('a session that opened the evening before (22:00 UTC) is today’s: stored clean, GoldTimestamp the request time', async () => {
    const table = await tableWithRow(yesterday);
    const requestedAt = Math.floor(Date.now() / 1000);
    const calendarYesterday = new Date(Date.parse(`${today}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
    answerToday({ gold: liveGold(`${calendarYesterday}T22:00:00Z`, requestedAt) });
    const run = await table.once([]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      rowKey: today,
      QualityFlags: '',
      GoldTimestamp: new Date(requestedAt * 1000).toISOString(),
    });
  });

  it.each([
    [1, '0', 'refused'],
    [5, undefined, 'refused'],
    [5, '4', 'refused'],
    [5, '5', 'stored'],
  ] as const)('a live quote %i trading days old with FXGOLD_MAX_GOLD_AGE_DAYS=%s: %s', async (age, limit, outcome) => {
    const table = await tableWithRow(yesterday);
    const sessionDay = weekdaysBefore(today, age);
    answerToday({ gold: liveGold(`${sessionDay}T00:00:00Z`) });
    const extra: Record<string, string> = limit === undefined ? {} : { FXGOLD_MAX_GOLD_AGE_DAYS: limit };
    const before = await table.snapshot();
    const run = await table.once([], extra);
    if (outcome === 'stored') {
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ GoldTimestamp: `${sessionDay}T00:00:00.000Z`, QualityFlags: 'gold-carried-forward' });
      return;
    }
    expect(run.stderr).toBe(
      `fx-gold: quality: gold-as-of gate: GoldTimestamp session start ${sessionDay}T00:00:00.000Z dates the quote ${sessionDay}, ${age} business days before the business date ${today}; limit ${limit ?? 3} (FXGOLD_MAX_GOLD_AGE_DAYS) (permanent)\n`,
    );
    expect(run.code).toBe(1);
    expect(await table.store.find('USD', today)).toBeUndefined();
    expect(await table.snapshot()).toEqual(before);
  });

  it('a live timestamp in the future is refused', async () => {
    const table = await tableWithRow(yesterday);
    const future = Math.floor(Date.now() / 1000) + 2 * 86_400;
    answerToday({ gold: liveGold(`${today}T00:00:00Z`, future) });
    const before = await table.snapshot();
    const run = await table.once([]);
    expect(run.stderr).toMatch(
      new RegExp(
        `^fx-gold: quality: gold-as-of gate: GoldTimestamp ${new Date(future * 1000).toISOString()} is in the future \\(now ${today}T.*\\) \\(permanent\\)\\n$`,
      ),
    );
    expect(run.code).toBe(1);
    expect(await table.store.find('USD', today)).toBeUndefined();
    expect(await table.snapshot()).toEqual(before);
  });
});

describe('plausibility gate through npm run once', () => {
  // The clean row of 2025-07-07 has GoldPrice 3312.25 and Rate_EUR 0.8512; 3643.5 is 10.0 % above, 0.953344 12 %.
  it.each([
    ['9.9', 'refused'],
    ['10.1', 'stored'],
  ] as const)('gold 10 %% above the previous row with FXGOLD_MAX_GOLD_MOVE_PCT=%s: %s', async (limit, outcome) => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', goldFixing('2025-07-08', 3643.5));
    if (outcome === 'stored') {
      expect(await expectStored(table, '2025-07-08', [], { FXGOLD_MAX_GOLD_MOVE_PCT: limit })).toMatchObject({
        GoldPrice: 3643.5,
        QualityFlags: '',
      });
    } else {
      await expectRefused(
        table,
        '2025-07-08',
        [],
        { FXGOLD_MAX_GOLD_MOVE_PCT: limit },
        `quality: plausibility gate: GoldPrice 3643.50 is 10.0 % above the previous row (2025-07-07: 3312.25); limit ${limit} % (FXGOLD_MAX_GOLD_MOVE_PCT) (permanent)`,
      );
    }
  });

  it.each([
    ['11.9', 'refused'],
    ['12.1', 'stored'],
  ] as const)('EUR 12 %% above the previous row with FXGOLD_MAX_FX_MOVE_PCT=%s: %s', async (limit, outcome) => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('frankfurter', frankfurterAnswer('2025-07-08', { EUR: 0.953344 }));
    if (outcome === 'stored') {
      expect(await expectStored(table, '2025-07-08', [], { FXGOLD_MAX_FX_MOVE_PCT: limit })).toMatchObject({
        Rate_EUR: 0.953344,
        QualityFlags: '',
      });
    } else {
      await expectRefused(
        table,
        '2025-07-08',
        [],
        { FXGOLD_MAX_FX_MOVE_PCT: limit },
        `quality: plausibility gate: Rate_EUR 0.953344 is 12.0 % above the previous row (2025-07-07: 0.8512); limit ${limit} % (FXGOLD_MAX_FX_MOVE_PCT) (permanent)`,
      );
    }
  });

  it('a gold price 98.8 % below the previous row names both values and the limit', async () => {
    const table = await tableWithRow('2025-07-07');
    fake().answer('goldapi', goldFixing('2025-07-08', 40));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      {},
      'quality: plausibility gate: GoldPrice 40.00 is 98.8 % below the previous row (2025-07-07: 3312.25); limit 20 % (FXGOLD_MAX_GOLD_MOVE_PCT) (permanent)',
    );
  });

  // No row in the week before 2025-07-08 (the clean one is from 2025-06-30), so the static bands decide.
  it.each([
    ['gold 0.0001', { gold: 0.0001 }, 'GoldPrice 0.0001 is outside the plausible range [100, 100000] USD per ounce'],
    ['gold 1e9', { gold: 1e9 }, 'GoldPrice 1000000000.00 is outside the plausible range [100, 100000] USD per ounce'],
    ['EUR 1e-12', { eur: 1e-12 }, 'Rate_EUR 1e-12 is outside the plausible range [0.4, 2.5] EUR per USD'],
    ['EUR 1e300', { eur: 1e300 }, 'Rate_EUR 1e+300 is outside the plausible range [0.4, 2.5] EUR per USD'],
  ] as const)('%s is refused by its static band', async (_name, values, text) => {
    const table = await tableWithRow('2025-06-30');
    if ('gold' in values) fake().answer('goldapi', goldFixing('2025-07-08', values.gold));
    if ('eur' in values) fake().answer('frankfurter', frankfurterAnswer('2025-07-08', { EUR: values.eur }));
    await expectRefused(table, '2025-07-08', [], {}, `quality: plausibility gate: ${text} (permanent)`);
  });

  it('--accept-quality plausibility lets the refused move through, flagged accepted:plausibility, after the other flags', async () => {
    const table = await tableWithRow('2025-07-03');
    fake().answer('goldapi', goldFixing('2025-07-08', 3643.5));
    fake().answer('frankfurter', frankfurterAnswer('2025-07-07'));
    await expectRefused(
      table,
      '2025-07-08',
      [],
      { FXGOLD_MAX_GOLD_MOVE_PCT: '5' },
      /plausibility gate: GoldPrice 3643.50 is 10.0 % above the previous row \(2025-07-03: 3312.25\); limit 5 %/,
    );
    const row = await expectStored(table, '2025-07-08', ['--accept-quality', 'plausibility'], { FXGOLD_MAX_GOLD_MOVE_PCT: '5' });
    expect(row).toMatchObject({ GoldPrice: 3643.5, CurrencyDate: '2025-07-07', QualityFlags: 'fx-carried-forward,accepted:plausibility' });
  });

  it.each(['fx-as-of', 'gold-as-of', 'completeness', 'all'])(
    '--accept-quality %s is refused with exit 2 before any provider is asked',
    async (gate) => {
      const table = freshTable();
      const run = await table.once(['--date', '2025-07-08', '--accept-quality', gate]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^fx-gold: --accept-quality: only "plausibility" can be accepted/);
      expect(run.stdout).toBe('');
      expect(fake().requests).toEqual([]);
    },
  );
});

describe('completeness through npm run once', () => {
  it('a provider answer missing a configured currency is refused (the client checks it before the gate), nothing written', async () => {
    const table = await tableWithRow('2025-07-07');
    const { NOK: _dropped, ...withoutNok } = RATES;
    fake().answer('frankfurter', { json: { amount: 1, base: 'USD', date: '2025-07-08', rates: withoutNok } });
    await expectRefused(table, '2025-07-08', [], {}, 'frankfurter: invalid response: no rate for NOK (base USD) (permanent)');
  });
});
