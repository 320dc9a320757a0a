import type { RatingColumns, Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { BlockScorer } from './block-scorer.js';
import { scanFactorTopK, TopKHeap } from '@collab-ts/core';
import { userItemIndex } from './user-item-index.js';
import { checkColumns, checkK } from './validate.js';

/** One recommendation: user `user`'s `rank`-th item (rank counts from 1) and its predicted score. */
export interface RecommendationRow {
  user: number;
  rank: number;
  item: number;
  score: number;
}

/** Options of {@link recommendAll}. */
export interface RecommendAllOptions {
  /** Users to recommend for (default every user 0..nUsers-1). */
  users?: ArrayLike<number>;
  /** Use the factor fast path for ranking (default `true`). */
  useFactors?: boolean;
}

/**
 * Ranks every item for each user (blocked, as {@link rankingMetrics} does), skipping `exclude(u)`'s items,
 * then asks `predict` for the chosen pairs so scores are on the rating scale. @internal
 */
export function _recommend(
  scorer: Scorer,
  users: ArrayLike<number>,
  k: number,
  exclude: (u: number, mark: (item: number) => void) => void,
  useFactors: boolean,
): RecommendationRow[] {
  const nI = scorer.nItems;
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    if (!Number.isInteger(u) || u < 0 || u >= scorer.nUsers) throw new UsageError(`user index ${u} outside 0..${scorer.nUsers - 1}`);
  }
  const outUsers: number[] = [];
  const outItems: number[] = [];
  const ranks: number[] = [];
  const keep = (u: number, items: ArrayLike<number>, m: number): void => {
    for (let p = 0; p < m; p++) {
      outUsers.push(u);
      outItems.push(items[p]);
      ranks.push(p + 1);
    }
  };
  const tables = useFactors ? scorer.factors() : null;
  if (tables) {
    // factor models: core's exact blocked scan, which never holds a score per item (a million items cost
    // no more memory than a thousand)
    const hidden = (b: number): number[] => {
      const list: number[] = [];
      exclude(users[b], (item) => list.push(item));
      return list;
    };
    scanFactorTopK(tables, users, k, { exclude: hidden }).forEach((top, b) => keep(users[b], top.items, top.items.length));
  } else {
    const block = Math.max(1, Math.min(64, users.length));
    const bs = new BlockScorer(scorer, block, false);
    const heap = new TopKHeap(Math.min(k, nI));
    const top = new Int32Array(Math.min(k, nI));
    const stamp = new Int32Array(nI).fill(-1);
    for (let from = 0; from < users.length; from += block) {
      const count = Math.min(block, users.length - from);
      const scores = bs.score(users, from, count);
      for (let b = 0; b < count; b++) {
        const u = users[from + b];
        const tag = from + b; // unique per row, so a user listed twice is handled too
        exclude(u, (item) => (stamp[item] = tag));
        heap.reset(k);
        const o = b * nI;
        for (let i = 0; i < nI; i++) if (stamp[i] !== tag) heap.push(scores[o + i], i);
        keep(u, top, heap.drain(top, null));
      }
    }
  }
  const predicted = outUsers.length > 0 ? scorer.predict(Int32Array.from(outUsers), Int32Array.from(outItems)) : new Float32Array(0);
  return outUsers.map((user, j) => ({ user, rank: ranks[j], item: outItems[j], score: predicted[j] }));
}

/**
 * Top-`k` recommendations for every user (or `options.users`), excluding the items each rated in `train`:
 * rows ordered by user then rank. Ranking uses the factor fast path when available (ties by lower item
 * index); the reported scores come from `predict`, so they are on the rating scale.
 * @throws UsageError on a bad `k` or out-of-range indices.
 */
export function recommendAll(scorer: Scorer, train: RatingColumns, k: number, options: RecommendAllOptions = {}): RecommendationRow[] {
  checkK(k);
  checkColumns(train, scorer.nUsers, scorer.nItems, 'recommendAll train');
  const idx = userItemIndex(train, scorer.nUsers);
  const users = options.users ?? Int32Array.from({ length: scorer.nUsers }, (_, u) => u);
  return _recommend(
    scorer,
    users,
    k,
    (u, mark) => {
      for (let p = idx.offsets[u]; p < idx.offsets[u + 1]; p++) mark(idx.items[p]);
    },
    options.useFactors ?? true,
  );
}
