import { failure, success } from '../domain/result.js';
import { gateFailure, type GateCheck } from './gate.js';

/** Every configured currency has its Rate_<CODE> column: a row missing one would be silently incomplete. */
export const checkCompleteness: GateCheck = ({ row, currencies }) => {
  const missing = currencies.find((code) => row[`Rate_${code}`] === undefined);
  return missing === undefined
    ? success({ row, flags: [] })
    : failure(gateFailure('completeness', `Rate_${missing}`, `is missing; the configured currencies are ${currencies.join(',')}`));
};
