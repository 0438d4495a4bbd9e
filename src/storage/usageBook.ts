import { z } from 'zod';
import { permanent, type Outcome } from '../domain/failure.js';
import { success } from '../domain/result.js';

/**
 * One provider's month in the usage ledger: the requests spent, and the requests reserved by holders (backfills)
 * that will spend them. The decisions below are pure: the ledger (usageLedger.ts) reads the row, decides, and writes
 * the next book back with the ETag it read, so a decision is only ever applied to the row it was made on.
 */
export interface Reservation {
  readonly requests: number;
  /** An ISO instant: past it the holder is taken for dead, and its reservation counts for nothing. */
  readonly expiresAt: string;
}
export interface UsageBook {
  readonly requests: number;
  readonly reservations: Readonly<Record<string, Reservation>>;
}

export const ReservationsSchema = z.record(z.string(), z.object({ requests: z.number().int().nonnegative(), expiresAt: z.iso.datetime() }));

/**
 * Who a request is counted for. `keep`: a request of its own (a run), allowed while what is neither spent nor
 * reserved leaves `keep` over (the daily reserve, kept from manual runs; 0 for the daily run). `holder`: a request
 * taken from that holder's reservation (a backfill), allowed while the reservation lasts.
 */
export type Claim = { readonly keep: number } | { readonly holder: string };

/** What a decision answers, and the book to write (none: nothing changes, nothing is written). */
export interface Decision<A> {
  readonly answer: A;
  readonly next?: UsageBook;
}

/** What a reservation found: granted or not, with the numbers it was judged on (`left` null: no monthly limit). */
export interface ReserveAnswer {
  readonly granted: boolean;
  readonly spent: number;
  /** Reserved by the other holders, expired reservations left out. */
  readonly reserved: number;
  readonly left: number | null;
}

/**
 * What a monthly limit leaves for a new reservation or a count: the limit less what is spent, what others hold
 * reserved and what must be kept; null without a limit (0).
 */
export const quotaLeft = (limit: number, spent: number, reserved: number, keep: number): number | null =>
  limit === 0 ? null : Math.max(0, limit - spent - reserved - keep);

export const EMPTY_BOOK: UsageBook = { requests: 0, reservations: {} };

/** The book without the reservations that expired by `now` or hold nothing: what every decision starts from. */
export function live(book: UsageBook, now: Date): UsageBook {
  const at = now.toISOString();
  const reservations = Object.fromEntries(Object.entries(book.reservations).filter(([, r]) => r.requests > 0 && r.expiresAt > at));
  return { requests: book.requests, reservations };
}

export const reservedIn = (book: UsageBook, except?: string): number =>
  Object.entries(book.reservations).reduce((sum, [holder, r]) => (holder === except ? sum : sum + r.requests), 0);

const expiryAfter = (now: Date, ttlMs: number) => new Date(now.getTime() + ttlMs).toISOString();

/** The provider's own permanent failure, so the chain hands over to the next provider with this reason in the attempts. */
function quotaSpent(provider: string, limit: number, book: UsageBook, keep: number): Outcome<never> {
  const reserved = reservedIn(book);
  const parts = [
    `${book.requests} used`,
    ...(reserved > 0 ? [`${reserved} reserved by backfills`] : []),
    ...(keep > 0 ? [`${keep} kept for the weekday runs left this month`] : []),
  ];
  const detail = reserved > 0 || keep > 0 ? `: ${parts.join(', ')}` : '';
  return permanent(provider, `skipped, monthly quota of ${limit} spent (FXGOLD_GOLD_MONTHLY_QUOTA)${detail}`);
}

const reservationUsedUp = (provider: string, holder: string): Outcome<never> =>
  permanent(
    provider,
    `skipped, the reservation of ${holder} is used up or expired (a backfill makes no more requests than it reserved; run it again to resume)`,
  );

/** Counts `count` requests for `claim`; refused (nothing written) when the claim does not cover them. `limit` 0: no limit. */
export function decideRecord(
  provider: string,
  stored: UsageBook,
  count: number,
  claim: Claim,
  { limit, now, ttlMs }: { limit: number; now: Date; ttlMs: number },
): Decision<Outcome<number>> {
  const book = live(stored, now);
  const requests = book.requests + count;
  if (limit === 0) return { answer: success(requests), next: { ...book, requests } };
  if ('holder' in claim) {
    const mine = book.reservations[claim.holder];
    if (mine === undefined || mine.requests < count) return { answer: reservationUsedUp(provider, claim.holder) };
    const rest = { ...book.reservations, [claim.holder]: { requests: mine.requests - count, expiresAt: expiryAfter(now, ttlMs) } };
    return { answer: success(requests), next: { requests, reservations: rest } };
  }
  if (requests + reservedIn(book) + claim.keep > limit) return { answer: quotaSpent(provider, limit, book, claim.keep) };
  return { answer: success(requests), next: { ...book, requests } };
}

/**
 * Sets `holder`'s reservation to `count` (not adds: asking again, after a replay or a new plan, replaces it), granted
 * when it fits in what the others have not spent or reserved, `keep` left over. Without a limit nothing is held.
 */
export function decideReserve(
  stored: UsageBook,
  holder: string,
  count: number,
  { keep, limit, now, ttlMs }: { keep: number; limit: number; now: Date; ttlMs: number },
): Decision<ReserveAnswer> {
  const book = live(stored, now);
  const reserved = reservedIn(book, holder);
  const left = quotaLeft(limit, book.requests, reserved, keep);
  if (left === null) return { answer: { granted: true, spent: book.requests, reserved, left } };
  if (count > left) return { answer: { granted: false, spent: book.requests, reserved, left } };
  const reservations = { ...book.reservations, [holder]: { requests: count, expiresAt: expiryAfter(now, ttlMs) } };
  return { answer: { granted: true, spent: book.requests, reserved, left }, next: { ...book, reservations } };
}

/** Pushes the expiry of `holder`'s reservation `ttlMs` past now; false when it has none left (expired or used up). */
export function decideRenew(stored: UsageBook, holder: string, { now, ttlMs }: { now: Date; ttlMs: number }): Decision<boolean> {
  const book = live(stored, now);
  const mine = book.reservations[holder];
  if (mine === undefined) return { answer: false };
  return {
    answer: true,
    next: { ...book, reservations: { ...book.reservations, [holder]: { ...mine, expiresAt: expiryAfter(now, ttlMs) } } },
  };
}

/** Drops `holder`'s reservation: what it did not spend is free again. */
export function decideRelease(stored: UsageBook, holder: string, now: Date): Decision<void> {
  if (stored.reservations[holder] === undefined) return { answer: undefined };
  const book = live(stored, now);
  const reservations = Object.fromEntries(Object.entries(book.reservations).filter(([name]) => name !== holder));
  return { answer: undefined, next: { ...book, reservations } };
}
