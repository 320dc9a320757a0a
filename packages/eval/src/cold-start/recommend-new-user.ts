import type { FactorTables } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { topK } from '../top-k.js';
import { checkK } from '../validate.js';
import type { FoldIn } from '@collab-ts/core';

/** Options of {@link recommendForNewUser}. */
export interface NewUserRecommendOptions {
  /** How many items (default 10). */
  k?: number;
  /** Extra items never to recommend; the fold-in's rated items are always excluded. */
  exclude?: ArrayLike<number>;
  /**
   * Item popularity (for example `itemPopularity(train, nItems)`), used when the user has no ratings.
   * Without it the fallback ranks by the model's prediction for an all-zero user (its item biases).
   */
  popularity?: ArrayLike<number>;
}

/** A new user's recommendations and where they came from. */
export interface NewUserRecommendations {
  items: { item: number; score: number }[];
  /** `'fold-in'`: the fitted vector; `'popularity'` or `'item-bias'`: the fallback for a user with no ratings. */
  source: 'fold-in' | 'popularity' | 'item-bias';
}

/**
 * Top-`k` items for a folded-in user (see {@link foldInUser}): scores `f(q_i · p + b + itemBias_i)` on the
 * rating scale (`f` applies `yRange`), best first, ties by lower item index, the user's rated items
 * excluded. A user with no ratings (`foldIn` null or `nRatings` 0) gets the popularity ranking when
 * `popularity` is given (scores are then the popularity values), else the model's zero-user prediction.
 * @throws UsageError on a bad `k`, a popularity array of the wrong length, or no fallback signal at all.
 */
export function recommendForNewUser(factors: FactorTables, foldIn: FoldIn | null, options: NewUserRecommendOptions = {}): NewUserRecommendations {
  const k = options.k ?? 10;
  checkK(k);
  const d = factors.dim;
  const nItems = d > 0 ? factors.itemFactors.length / d : (factors.itemBias?.length ?? 0);
  const exclude = [...(foldIn?.items ?? []), ...Array.from(options.exclude ?? [])];
  const cold = !foldIn || foldIn.nRatings === 0;
  if (cold && options.popularity) {
    if (options.popularity.length !== nItems) throw new UsageError(`recommendForNewUser: popularity has ${options.popularity.length} entries for ${nItems} items`);
    const top = topK(options.popularity, k, exclude);
    return { items: Array.from(top.indices, (item, p) => ({ item, score: top.scores[p] })), source: 'popularity' };
  }
  if (cold && !factors.itemBias) throw new UsageError('recommendForNewUser: no ratings, no popularity and no item biases to rank by');
  const p = foldIn?.vector ?? new Float32Array(d);
  const b = foldIn?.bias ?? 0;
  const yRange = foldIn ? foldIn.yRange : factors.yRange;
  const V = factors.itemFactors;
  const raw = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += V[i * d + j] * p[j];
    raw[i] = s + b + (factors.itemBias ? factors.itemBias[i] : 0);
  }
  const top = topK(raw, k, exclude);
  const f = (x: number) => (yRange ? yRange[0] + (yRange[1] - yRange[0]) / (1 + Math.exp(-x)) : x);
  return { items: Array.from(top.indices, (item) => ({ item, score: f(raw[item]) })), source: cold ? 'item-bias' : 'fold-in' };
}
