import { businessDaysBetween, utcDateOf, type IsoDate } from '../domain/businessDate.js';
import { failure, success } from '../domain/result.js';
import { gateFailure, type GateCheck, type GoldAsOf } from './gate.js';
import { QUALITY_LIMIT_SETTINGS } from './limits.js';

/** No provider has gold quotes this early; an earlier instant is a broken timestamp (such as 0, i.e. 1970). */
const EARLIEST_QUOTE = '1999-01-01T00:00:00.000Z';
/** A provider's clock may run a little ahead of ours; beyond this a quote "from the future" is a broken timestamp. */
const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * Gold trades in sessions that open the evening before their trading day: 18:00 New York (22:00 UTC in summer,
 * 23:00 UTC in winter; 17:00 New York, 21:00/22:00 UTC, at some venues), after the previous session closed at
 * 21:00-22:00 UTC. goldapi itself reports 00:00 UTC. So a session starting at 20:00 UTC or later belongs to the next
 * calendar day, and one starting earlier to its own day; no real session opens between 20:00 and 21:00 UTC.
 */
const SESSION_ROLLOVER_HOUR_UTC = 20;
const HOUR_MS = 3_600_000;

/** The trading day a quote's data belongs to, what told us, and the instant the data is from. */
interface GoldDating {
  readonly day: IsoDate;
  readonly evidence: string;
  readonly dataTime: string;
}

function datingOf(gold: GoldAsOf): GoldDating {
  if (gold.mode === 'latest' && gold.sessionStart !== null) {
    const start = new Date(gold.sessionStart);
    const day = utcDateOf(new Date(start.getTime() + (24 - SESSION_ROLLOVER_HOUR_UTC) * HOUR_MS));
    return { day, evidence: `session start ${start.toISOString()}`, dataTime: start.toISOString() };
  }
  return { day: utcDateOf(new Date(gold.timestamp)), evidence: gold.timestamp, dataTime: gold.timestamp };
}

/** Why an instant (`described` as in the message) cannot be a quote's, or undefined when it can be. */
function impossibleInstant(described: string, instant: string, now: Date): string | undefined {
  const time = Date.parse(instant);
  if (time < Date.parse(EARLIEST_QUOTE)) return `${described} is before ${EARLIEST_QUOTE.slice(0, 10)}, earlier than any gold quote`;
  if (time > now.getTime() + CLOCK_SKEW_MS) return `${described} is in the future (now ${now.toISOString()})`;
  return undefined;
}

/**
 * The gold quote must be the business date's or carried forward from at most maxGoldAgeDays business days before;
 * a carried-forward quote is flagged and its GoldTimestamp says when its data is from, not when it was requested.
 */
export const checkGoldAsOf: GateCheck = ({ row, gold, businessDate, now }, limits) => {
  const problem =
    impossibleInstant(gold.timestamp, gold.timestamp, now) ??
    (gold.sessionStart === null ? undefined : impossibleInstant(`session start ${gold.sessionStart}`, gold.sessionStart, now));
  if (problem !== undefined) return failure(gateFailure('gold-as-of', 'GoldTimestamp', problem));
  const { day, evidence, dataTime } = datingOf(gold);
  if (day > businessDate)
    return failure(
      gateFailure('gold-as-of', 'GoldTimestamp', `${evidence} dates the quote ${day}, after the business date ${businessDate}`),
    );
  const age = businessDaysBetween(day, businessDate);
  if (age > limits.maxGoldAgeDays) {
    return failure(
      gateFailure(
        'gold-as-of',
        'GoldTimestamp',
        `${evidence} dates the quote ${day}, ${age} business days before the business date ${businessDate}; limit ${limits.maxGoldAgeDays} (${QUALITY_LIMIT_SETTINGS.maxGoldAgeDays})`,
      ),
    );
  }
  return day < businessDate
    ? success({ row: { ...row, GoldTimestamp: dataTime }, flags: ['gold-carried-forward'] })
    : success({ row, flags: [] });
};
