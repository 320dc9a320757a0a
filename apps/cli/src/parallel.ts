import { splitRange, toShared } from '@collab-ts/core';
import type { Recommender, Scorer, TaskRunner } from '@collab-ts/core';
import { mergeRankingParts, planRanking, rankingMetrics, recommendInto } from '@collab-ts/eval';
import type { ExcludedItems, RankingOptions, RankingPart, RankingPlan, RankingResult, RecommendationTable } from '@collab-ts/eval';
import { hasFamily, shareRecommender } from '@collab-ts/models';
import type { RankingPartJob, RecommendJob } from './workers/tasks.js';

/** Whether worker threads can rebuild `scorer`: a recommender of a registered family (baselines are not). */
export function shareable(scorer: Scorer): scorer is Recommender {
  const r = scorer as Partial<Recommender>;
  return typeof r.state === 'function' && typeof r.kind === 'string' && hasFamily(r.kind);
}

function sharePlan(p: RankingPlan): RankingPlan {
  const index = (t: RankingPlan['train']) => ({ nUsers: t.nUsers, offsets: toShared(t.offsets), items: toShared(t.items), ratings: toShared(t.ratings) });
  return { ...p, train: index(p.train), test: index(p.test), users: toShared(p.users) };
}

/**
 * eval's `rankingMetrics` with the users split into ranges over `runner`'s threads, each thread rebuilding
 * the model from shared memory; the parts are merged in range order, so the figures are the same, to the
 * last bit, as on one thread. Inline when there is one thread or the scorer cannot be shared.
 */
export async function rankingOnThreads(scorer: Scorer, options: RankingOptions, runner?: TaskRunner): Promise<RankingResult> {
  if (!runner || runner.threads <= 1 || !shareable(scorer)) return rankingMetrics(scorer, options);
  const plan = sharePlan(planRanking(scorer, options));
  const model = shareRecommender(scorer);
  // the sampled protocol replays the generator up to each range's start, so it gets fewer, longer ranges
  const parts = plan.candidates === 'unrated' ? runner.threads * 2 : runner.threads;
  const jobs: RankingPartJob[] = splitRange(plan.users.length, parts).map(([from, to]) => ({ model, plan, from, to }));
  return mergeRankingParts(plan, await runner.map<RankingPartJob, RankingPart>('cli.rankingPart', jobs));
}

/**
 * Fills `table` (allocated with core's `sharedArray`) with `model`'s recommendations, ranges of users on
 * `runner`'s threads; inline with one thread. The lists do not depend on the number of threads.
 */
export async function recommendOnThreads(model: Recommender, table: RecommendationTable, excluded: ExcludedItems | null, runner?: TaskRunner): Promise<void> {
  const n = table.users.length;
  if (!runner || runner.threads <= 1 || !shareable(model)) {
    recommendInto(model, table, 0, n, excluded);
    return;
  }
  const shared = shareRecommender(model);
  const h = model.history;
  // the history itself (the usual case) is shared once, with the model
  const ex = !excluded ? null : h && shared.history && excluded.offsets === h.offsets && excluded.items === h.indices ? { offsets: shared.history.offsets, items: shared.history.indices } : { offsets: toShared(excluded.offsets), items: toShared(excluded.items) };
  // a few ranges per thread, so a thread slowed by other work on the machine does not hold up the end
  const jobs: RecommendJob[] = splitRange(n, runner.threads * 4).map(([from, to]) => ({ model: shared, table, excluded: ex, from, to }));
  await runner.map('cli.recommendInto', jobs);
}
