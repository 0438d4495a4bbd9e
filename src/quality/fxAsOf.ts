import { failure, success } from '../domain/result.js';
import { businessDaysBetween } from '../domain/businessDate.js';
import { gateFailure, type GateCheck } from './gate.js';
import { QUALITY_LIMIT_SETTINGS } from './limits.js';

/**
 * The rates' as-of date (CurrencyDate) may lag the business date, as on an ECB holiday, but only by up to
 * maxFxAgeDays business days, and is flagged when it does; rates dated after the business date cannot be its rates.
 */
export const checkFxAsOf: GateCheck = ({ row, businessDate }, limits) => {
  const asOf = row.CurrencyDate;
  if (asOf > businessDate) return failure(gateFailure('fx-as-of', 'CurrencyDate', `${asOf} is after the business date ${businessDate}`));
  const age = businessDaysBetween(asOf, businessDate);
  if (age > limits.maxFxAgeDays) {
    return failure(
      gateFailure(
        'fx-as-of',
        'CurrencyDate',
        `${asOf} is ${age} business days before the business date ${businessDate}; limit ${limits.maxFxAgeDays} (${QUALITY_LIMIT_SETTINGS.maxFxAgeDays})`,
      ),
    );
  }
  return success({ row, flags: asOf < businessDate ? ['fx-carried-forward'] : [] });
};
