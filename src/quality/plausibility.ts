import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { failure, success } from '../domain/result.js';
import { goldBand, rateBand } from './bands.js';
import { gateFailure, type GateCheck, type QualityFailure } from './gate.js';
import { QUALITY_LIMIT_SETTINGS, type QualityLimits } from './limits.js';

type RateColumn = `Rate_${string}`;
const ratesOf = (row: FxGoldRow): Array<[RateColumn, number]> =>
  Object.entries(row).filter((entry): entry is [RateColumn, number] => entry[0].startsWith('Rate_'));

/** Prices are quoted to the cent, so two decimals; rates are shown exactly as stored. */
const formatValue = (column: string, value: number): string => (column === 'GoldPrice' && value >= 0.01 ? value.toFixed(2) : String(value));

function outsideBand(row: FxGoldRow): QualityFailure | undefined {
  const base = row.BaseCurrency;
  const checks = [
    { column: 'GoldPrice', value: row.GoldPrice, band: goldBand(base), unit: `${base} per ounce` },
    ...ratesOf(row).map(([column, value]) => {
      const code = column.slice('Rate_'.length);
      return { column, value, band: rateBand(code, base), unit: `${code} per ${base}` };
    }),
  ];
  // Written as "not inside" so that NaN fails too.
  const wrong = checks.find(({ value, band }) => !(value >= band.min && value <= band.max));
  return (
    wrong &&
    gateFailure(
      'plausibility',
      wrong.column,
      `${formatValue(wrong.column, wrong.value)} is outside the plausible range [${wrong.band.min}, ${wrong.band.max}] ${wrong.unit}`,
    )
  );
}

function tooLargeMove(row: FxGoldRow, previous: FxGoldRow, limits: QualityLimits): QualityFailure | undefined {
  const moves = [
    {
      column: 'GoldPrice',
      value: row.GoldPrice,
      before: previous.GoldPrice,
      limit: limits.maxGoldMovePct,
      setting: QUALITY_LIMIT_SETTINGS.maxGoldMovePct,
    },
    ...ratesOf(row).flatMap(([column, value]) => {
      const before = previous[column];
      return before === undefined
        ? []
        : [{ column, value, before, limit: limits.maxFxMovePct, setting: QUALITY_LIMIT_SETTINGS.maxFxMovePct }];
    }),
  ];
  for (const { column, value, before, limit, setting } of moves) {
    const movePct = (Math.abs(value - before) / before) * 100;
    if (movePct > limit) {
      const direction = value < before ? 'below' : 'above';
      return gateFailure(
        'plausibility',
        column,
        `${formatValue(column, value)} is ${movePct.toFixed(1)} % ${direction} the previous row (${previous.rowKey}: ${formatValue(column, before)}); limit ${limit} % (${setting})`,
      );
    }
  }
  return undefined;
}

/**
 * No day-over-day move beyond the limits against `previous`, and gold and every rate inside their static bands. The
 * move is checked first: "99 % below yesterday's 3301.45" tells an operator more than "outside [100, 100000]".
 */
export const checkPlausibility: GateCheck = ({ row, previous }, limits) => {
  const problem = (previous === undefined ? undefined : tooLargeMove(row, previous, limits)) ?? outsideBand(row);
  return problem === undefined ? success({ row, flags: [] }) : failure(problem);
};
