// The CLI's worker tasks: each rebuilds the model it is given from shared memory through the models registry
// (any family) and does one range of users, or one cross-validation fold. A build entry of its own
// (dist/workers/tasks.js), the file pool workers import; `threads.ts` registers it.
import type { Recommender, Split } from '@collab-ts/core';
import { rankingPart, recommendInto } from '@collab-ts/eval';
import type { ExcludedItems, RankingPart, RankingPlan, RecommendationTable } from '@collab-ts/eval';
import { rebuildRecommender } from '@collab-ts/models';
import type { SharedRecommender } from '@collab-ts/models';
import { evaluateOn } from '../evaluation.js';
import type { Measure } from '../evaluation.js';
import type { Output } from '../io/output.js';
import { fitFamily } from '../training.js';
import type { FitExtras, InteractionFlags } from '../training.js';

// the model of the last share seen: the ranges of one share reuse it instead of rebuilding it per task
let cached: { key: string; rec: Promise<Recommender> } | null = null;

function modelOf(shared: SharedRecommender): Promise<Recommender> {
  if (cached?.key !== shared.key) cached = { key: shared.key, rec: rebuildRecommender(shared) };
  return cached.rec;
}

/** Ranking metrics of `plan.users[from .. to)`. */
export interface RankingPartJob {
  readonly model: SharedRecommender;
  readonly plan: RankingPlan;
  readonly from: number;
  readonly to: number;
}

/** Recommendations of `table.users[from .. to)`, written into the (shared) table. */
export interface RecommendJob {
  readonly model: SharedRecommender;
  readonly table: RecommendationTable;
  readonly excluded: ExcludedItems | null;
  readonly from: number;
  readonly to: number;
}

/** One cross-validation fold of a family: fit on `split.train`, measure on `split.valid`. */
export interface FoldJob {
  readonly kind: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly flags: InteractionFlags;
  readonly split: Split;
  readonly shape: { nUsers: number; nItems: number; ratingRange: readonly [number, number] };
  readonly measure: Measure;
  readonly predictsRatings: boolean;
  readonly extras: FitExtras;
}

/** A fold's figures and the log lines its fit wrote, for the main thread to print in fold order. */
export interface FoldOutcome {
  readonly metrics: Record<string, number>;
  readonly fitMs: number;
  readonly evalMs: number;
  readonly logs: string[];
}

/** An output that keeps log lines (a worker has no terminal of its own). */
function capture(logs: string[]): Output {
  return {
    jsonMode: false,
    quiet: false,
    interactive: false,
    result: (text) => void logs.push(text),
    json: () => {},
    log: (text) => void logs.push(text),
    warn: (text) => void logs.push(`warning: ${text}`),
  };
}

/** Runs one fold on the calling thread (the inline path of `cli.cvFold`, and what a worker runs). */
export async function runFold(job: FoldJob): Promise<FoldOutcome> {
  const logs: string[] = [];
  const t0 = performance.now();
  const { rec } = await fitFamily(job.kind, { train: job.split.train, ...job.shape }, job.options, job.flags, capture(logs), job.extras);
  const t1 = performance.now();
  const metrics = await evaluateOn(rec, job.split.train, job.split.valid, job.measure, job.predictsRatings);
  rec.dispose();
  return { metrics, fitMs: t1 - t0, evalMs: performance.now() - t1, logs };
}

/** The task table (see core's `registerWorkerTasks`). */
export const tasks = {
  'cli.rankingPart': async (job: RankingPartJob): Promise<RankingPart> => rankingPart(await modelOf(job.model), job.plan, job.from, job.to),
  'cli.recommendInto': async (job: RecommendJob): Promise<void> => recommendInto(await modelOf(job.model), job.table, job.from, job.to, job.excluded),
  'cli.cvFold': runFold,
};
