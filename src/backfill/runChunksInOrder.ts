import type { BackfillPlan, ChunkResult } from './contract.js';
import type { BackfillDependencies } from './dependencies.js';
import type { FxGoldRow } from '../domain/fxGoldRow.js';
import { runChunk, type RunChunkOptions } from './runChunk.js';

/**
 * The plan's chunks one after another, as `npm run backfill` runs them (the Durable backfill runs them in waves):
 * each chunk's first date is compared with the row the chunk before it stored, when that is the business day before,
 * instead of a store read per chunk. Stops before the next chunk once `stopped` aborts.
 */
export async function runChunksInOrder(
  plan: BackfillPlan,
  deps: BackfillDependencies,
  options: Omit<RunChunkOptions, 'rowBefore' | 'onStored'>,
  onChunkDone: (chunk: BackfillPlan['chunks'][number], result: ChunkResult) => void = () => undefined,
  stopped?: AbortSignal,
): Promise<ChunkResult[]> {
  const results: ChunkResult[] = [];
  let rowBefore: FxGoldRow | undefined;
  for (const chunk of plan.chunks) {
    if (stopped?.aborted) break;
    let stored: FxGoldRow | undefined;
    const result = await runChunk(chunk, deps, { ...options, rowBefore, onStored: (last) => (stored = last) });
    rowBefore = stored;
    results.push(result);
    onChunkDone(chunk, result);
  }
  return results;
}
