import { failure, success, type Result } from '../domain/result.js';
import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { checkCompleteness } from './completeness.js';
import { checkFxAsOf } from './fxAsOf.js';
import type { QualityFlag } from '../domain/fxGoldRow.js';
import type { Gate, GateCheck, QualityFailure, QualityInput } from './gate.js';
import { checkGoldAsOf } from './goldAsOf.js';
import type { QualityLimits } from './limits.js';
import { checkPlausibility } from './plausibility.js';

/** In this order, so that a row is judged complete and of the right day before its values are. */
const GATES: ReadonlyArray<readonly [Gate, GateCheck]> = [
  ['completeness', checkCompleteness],
  ['fx-as-of', checkFxAsOf],
  ['gold-as-of', checkGoldAsOf],
  ['plausibility', checkPlausibility],
];

export interface QualityPass {
  /** The candidate row with QualityFlags set (and GoldTimestamp corrected for a carried-forward live quote). */
  readonly row: FxGoldRow;
  readonly flags: readonly QualityFlag[];
}

/**
 * Runs every gate on a candidate row before it is written. The first failure stops it (a failure is permanent:
 * write nothing), except in a gate the operator accepted, whose failure instead flags the row `accepted:<gate>`.
 */
export function applyQualityGates(input: QualityInput, limits: QualityLimits): Result<QualityPass, QualityFailure> {
  let row = input.row;
  const flags: QualityFlag[] = [];
  for (const [gate, check] of GATES) {
    const outcome = check({ ...input, row }, limits);
    if (outcome.ok) {
      row = outcome.value.row;
      flags.push(...outcome.value.flags);
      continue;
    }
    const accepted = input.accepted.find((acceptable) => acceptable === gate);
    if (accepted === undefined) return failure(outcome.error);
    flags.push(`accepted:${accepted}`);
  }
  return success({ row: { ...row, QualityFlags: flags.join(',') }, flags });
}
