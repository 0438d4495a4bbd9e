import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { BackfillSummary, Chunk, ChunkResult } from '../backfill/contract.js';
import {
  BackfillInputSchema,
  ChunkResultSchema,
  PlanOutcomeSchema,
  progressOf,
  STATUS_LIST_LIMIT,
  type BackfillCarried,
  type BackfillInput,
  type BackfillStatus,
  type ChunkRequest,
  type PlanRequest,
  type SettleRequest,
} from './backfillContract.js';
import { FunctionNames } from '../functions/names.js';
import { read, settledOf } from './settledTasks.js';

/**
 * The Durable backfill: plan (an activity: settings and the table live there), then the chunks in waves of at most
 * `parallelism` chunk activities, each chunk a month of dates fetched, checked and written by runChunk (which retries
 * and fails over inside, and answers its dates' outcomes as a value). The output is the BackfillSummary.
 *
 * History stays bounded with continueAsNew after every wave, carrying the chunks still to run and the summary so far:
 * an execution holds the plan (first one only), one wave of at most `parallelism` chunk calls and their answers, so its
 * event count depends on the parallelism, never on the range. A sub-orchestration per chunk would not bound it: the
 * parent's history would still grow by a call and an answer for each of a 20-year range's ~240 chunks, and runChunk
 * does its own retries, so a sub-orchestration would have nothing else to hold. Waves drain before continueAsNew,
 * since the next execution cannot receive the answers of calls the previous one made.
 *
 * The plan reserves the gold requests the backfill needs under its instance id; each chunk takes its requests from
 * that reservation and renews it; after the last wave settleBackfill frees what is left (src/backfill/quota.ts).
 *
 * Deterministic: no clock, I/O or settings here; a chunk that crashed or answered a bad shape fails its own dates only.
 */
export const backfillOrchestration: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = BackfillInputSchema.safeParse(context.df.getInput());
  if (!input.success)
    throw new Error(
      `orchestration input must be {"range":{"from":"YYYY-MM-DD","to":"YYYY-MM-DD"}}: ${input.error.issues[0]?.message ?? 'invalid'}`,
    );
  const { range, force, retryGaps, acceptQuality } = input.data;
  const publish = (stage: BackfillStatus['stage'], summary: BackfillSummary) => context.df.setCustomStatus(statusOf(stage, summary));

  let carried = input.data.carried;
  if (carried === undefined) {
    publish('planning', {
      ...range,
      dates: 0,
      stored: 0,
      skipped: 0,
      knownGaps: 0,
      gaps: [],
      failed: [],
      requests: { currency: 0, gold: 0 },
    });
    carried = yield* plan(context, { range, force, retryGaps });
  }

  const wave = carried.remaining.slice(0, carried.parallelism);
  const tasks = wave.map((chunk) =>
    context.df.callActivity(FunctionNames.runBackfillChunk, { chunk, acceptQuality, holder: context.df.instanceId } satisfies ChunkRequest),
  );
  const before = carried.summary;
  /** The summary with every chunk of the wave that has ended so far. */
  const summaryNow = () =>
    tasks.reduce(
      (summary, task, i) => (task.isCompleted || task.isFaulted ? withChunk(summary, chunkResult(wave[i] as Chunk, task)) : summary),
      before,
    );

  if (tasks.length > 0) {
    // One Task.any schedules the whole wave (each call once) and wakes at the first chunk to end. The rest are then
    // awaited one by one: a second Task.any over calls already made would send their actions again (durable-js #574).
    // Every wake counts all the chunks that have ended by then, so the status moves after every chunk in order.
    yield context.df.Task.any(tasks);
    publish('running', summaryNow());
    for (const task of tasks) {
      if (task.isCompleted || task.isFaulted) continue;
      try {
        yield task;
      } catch {
        // A crash is read from the task itself (chunkResult).
      }
      publish('running', summaryNow());
    }
  }

  const summary = summaryNow();
  const remaining = carried.remaining.slice(wave.length);
  if (remaining.length > 0) {
    context.df.continueAsNew({
      range,
      force,
      acceptQuality,
      carried: { parallelism: carried.parallelism, remaining, summary },
    } satisfies BackfillInput);
    return undefined;
  }
  yield* settle(context);
  publish('completed', summary);
  return summary;
};

/** Frees the gold requests the backfill reserved and did not use; if that fails, the reservation expires on its own. */
function* settle(context: OrchestrationContext): Generator<Task, void, unknown> {
  try {
    yield context.df.callActivity(FunctionNames.settleBackfill, { holder: context.df.instanceId } satisfies SettleRequest);
  } catch {
    // Nothing to do: the reservation expires (RESERVATION_TTL_MS after the last chunk renewed it).
  }
}

/** The plan, checked against its schema; a refusal (bad range, quota, unreadable table) fails the backfill with its reason. */
function* plan(context: OrchestrationContext, request: PlanRequest): Generator<Task, BackfillCarried, unknown> {
  const task = context.df.callActivity(FunctionNames.planBackfill, request);
  try {
    yield task;
  } catch {
    // Read below.
  }
  const outcome = read(PlanOutcomeSchema, settledOf(task), (message) => ({
    ok: false as const,
    error: `${FunctionNames.planBackfill} ${message}`,
  }));
  if (!outcome.ok) {
    // The start endpoint reserved before starting: a plan refused now frees that at once rather than after the expiry.
    yield* settle(context);
    throw new Error(outcome.error);
  }
  const { plan: planned, parallelism } = outcome.value;
  return {
    parallelism,
    remaining: planned.chunks,
    summary: {
      ...planned.range,
      dates: planned.dates.length,
      stored: 0,
      skipped: planned.skipped.length,
      knownGaps: planned.knownGaps.length,
      gaps: [],
      failed: [],
      requests: { currency: 0, gold: 0 },
    },
  };
}

/** A chunk's answer; a crash or a bad shape fails every date of that chunk with the reason, and nothing else. */
const chunkResult = (chunk: Chunk, task: Task): ChunkResult =>
  read(ChunkResultSchema, settledOf(task), (message) => ({
    stored: [],
    gaps: [],
    failed: chunk.dates.map((date) => ({ date, error: `${FunctionNames.runBackfillChunk} ${message}` })),
    requests: { currency: 0, gold: 0 },
  }));

const withChunk = (summary: BackfillSummary, result: ChunkResult): BackfillSummary => ({
  ...summary,
  stored: summary.stored + result.stored.length,
  gaps: [...summary.gaps, ...result.gaps],
  failed: [...summary.failed, ...result.failed],
  requests: { currency: summary.requests.currency + result.requests.currency, gold: summary.requests.gold + result.requests.gold },
});

/** The custom status: the counts, and the first failed dates and gaps (the output lists them all). */
const statusOf = (stage: BackfillStatus['stage'], summary: BackfillSummary): BackfillStatus => ({
  from: summary.from,
  to: summary.to,
  stage,
  progress: progressOf(summary),
  failedDates: summary.failed.slice(0, STATUS_LIST_LIMIT),
  gaps: summary.gaps.slice(0, STATUS_LIST_LIMIT),
  requests: summary.requests,
});
