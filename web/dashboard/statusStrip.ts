import type { StatusAnswer } from './api.js';

const DAY_MS = 86_400_000;

/** How far behind the latest row is, in scheduled (weekday) runs since it: 0 current, 1 one behind, more. */
function weekdaysSince(date: string, now: Date): number {
  let behind = 0;
  const today = Date.parse(`${now.toISOString().slice(0, 10)}T00:00:00Z`);
  for (let day = Date.parse(`${date}T00:00:00Z`) + DAY_MS; day < today; day += DAY_MS)
    if (![0, 6].includes(new Date(day).getUTCDay())) behind++;
  return behind;
}

/**
 * One line on how fresh the data is, e.g. "Latest row 2026-12-01, stored 18:00:42 UTC · last run completed · next run
 * 2026-12-02 18:00 UTC · 0 missing days": green when current, amber one scheduled run behind, red more behind or when
 * the last run failed. (Today's run counts once its time has passed: until then yesterday's row is current.)
 */
export function renderStatus(strip: HTMLElement, status: StatusAnswer, now: Date): void {
  const parts: string[] = [];
  const latest = status.latest;
  parts.push(
    latest
      ? `Latest row ${latest.date}${latest.ingestedAt ? `, stored ${latest.ingestedAt.slice(0, 10) === latest.date ? '' : `${latest.ingestedAt.slice(0, 10)} `}${latest.ingestedAt.slice(11, 19)} UTC` : ''}`
      : 'No rows stored yet',
  );
  const lastRun = status.runs[0];
  if (lastRun) parts.push(`last run ${lastRun.status.toLowerCase()}${lastRun.reason ? `: ${lastRun.reason}` : ''}`);
  if (status.nextRun) parts.push(`next run ${status.nextRun.slice(0, 10)} ${status.nextRun.slice(11, 16)} UTC`);
  parts.push(`${status.missingDays.count} missing ${status.missingDays.count === 1 ? 'day' : 'days'}`);
  strip.textContent = parts.join(' · ');
  if (status.missingDays.count > 0) strip.title = `Weekdays without a row: ${status.missingDays.dates.join(', ')}`;

  const behind = latest ? weekdaysSince(latest.date, now) : Infinity;
  const failed = lastRun?.status === 'Failed';
  strip.className = `freshness ${failed || behind > 1 ? 'stale' : behind === 1 ? 'behind' : 'current'}`;
}
