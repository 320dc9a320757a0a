import { toShared } from '@collab-ts/core';
import type { RatingColumns, Split } from '@collab-ts/core';
import type { CrossValidationResult, FoldResult } from '@collab-ts/eval';
import type { WorkerPool } from '@collab-ts/core/node';
import { crossValidateWith, summarizeFolds } from './evaluation.js';
import type { Output } from './io/output.js';
import { fitFamily } from './training.js';
import type { FoldJob, FoldOutcome } from './workers/tasks.js';

function shareColumns(c: RatingColumns): RatingColumns {
  return { users: toShared(c.users), items: toShared(c.items), ratings: toShared(c.ratings), timestamps: c.timestamps ? toShared(c.timestamps) : null };
}

/** The worker task that fits and evaluates one fold. */
export const CV_FOLD_TASK = 'cli.cvFold';

/**
 * Cross-validates one family: with several folds and threads, the folds run at once, one per worker (each
 * fold on one thread, so the figures are those of a one-thread run), their logs printed in fold order; else
 * fold after fold on this thread, with the threads used inside each fold (ials's solves, ranking metrics).
 */
export async function crossValidateFamily(
  splits: readonly Split[],
  job: Omit<FoldJob, 'split'>,
  pool: WorkerPool,
  out: Output,
  onFold: (fold: FoldResult, index: number) => void,
): Promise<CrossValidationResult> {
  if (pool.threads <= 1 || splits.length <= 1) {
    const fit = async (s: Split) => (await fitFamily(job.kind, { train: s.train, ...job.shape }, job.options, job.flags, out, { ...job.extras, runner: pool })).rec;
    return crossValidateWith(splits, fit, job.measure, onFold, job.predictsRatings, pool);
  }
  const running = splits.map((s) => pool.run<FoldJob, FoldOutcome>(CV_FOLD_TASK, { ...job, split: { name: s.name, train: shareColumns(s.train), valid: shareColumns(s.valid) } }));
  for (const r of running) r.catch(() => {}); // each is awaited below, in fold order
  const folds: FoldResult[] = [];
  for (let f = 0; f < splits.length; f++) {
    const o = await running[f];
    for (const line of o.logs) out.log(line);
    const fold: FoldResult = { name: splits[f].name, index: f, metrics: o.metrics, fitMs: o.fitMs, evalMs: o.evalMs };
    folds.push(fold);
    onFold(fold, f);
  }
  return summarizeFolds(folds, job.measure);
}
