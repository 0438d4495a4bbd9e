import type { Chunk, ChunkResult } from '../backfill/contract.js';

/** Where progress goes: stderr, and whether it is a terminal (a live bar) or not (one line per chunk). */
export interface ProgressOutput {
  readonly isTTY: boolean;
  write(text: string): void;
}

const BAR_WIDTH = 30;

/** `1m05s`, `42s`: an estimate needs no more. */
const duration = (seconds: number): string => {
  const whole = Math.max(0, Math.round(seconds));
  return whole >= 60 ? `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
};

/**
 * The backfill's progress on stderr: on a terminal, one live bar (done/total dates, dates per second, ETA) redrawn
 * as each date's gold request settles; elsewhere (CI logs, pipes) one line per finished chunk, so logs stay readable.
 */
export function backfillProgress(total: number, output: ProgressOutput, clock: () => number = Date.now) {
  const started = clock();
  let fetched = 0;
  let settled = 0;
  const numbers = (done: number) => {
    const seconds = (clock() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? duration((total - done) / rate) : '?';
    return { text: `${done}/${total} dates, ${rate.toFixed(1)}/s, ETA ${eta}` };
  };
  const bar = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((fetched / total) * BAR_WIDTH);
    output.write(`\r\x1b[2Kfx-gold: [${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${numbers(fetched).text}`);
  };
  return {
    fetched() {
      fetched++;
      if (output.isTTY) bar();
    },
    chunkDone(chunk: Chunk, result: ChunkResult) {
      settled += chunk.dates.length;
      fetched = Math.max(fetched, settled);
      if (output.isTTY) return bar();
      const what = `${result.stored.length} stored, ${result.gaps.length} gaps, ${result.failed.length} failed`;
      output.write(`fx-gold: chunk ${chunk.from}..${chunk.to}: ${what} (${numbers(settled).text})\n`);
    },
    /** Ends the live bar's line. */
    finish() {
      if (output.isTTY && total > 0) output.write('\n');
    },
  };
}
