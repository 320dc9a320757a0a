import type { RatingColumns, Scorer } from '@collab-ts/core';
import { sharedArray, UsageError } from '@collab-ts/core';
import { BlockScorer } from './block-scorer.js';
import { _topKUsers } from './top-k-users.js';
import type { ExcludedItems } from './top-k-users.js';
import { userItemIndex } from './user-item-index.js';
import { checkColumns, checkK } from './validate.js';

/** One recommendation: user `user`'s `rank`-th item (rank counts from 1) and its predicted score. */
export interface RecommendationRow {
  user: number;
  rank: number;
  item: number;
  score: number;
}

/**
 * Recommendations in columns: user `users[j]`'s list is `items[j * k .. j * k + counts[j])`, best first, with
 * the predicted scores beside them in `scores` (a user with fewer than `k` candidates has a shorter list; the
 * unused slots hold -1 and NaN). Fill it with {@link recommendInto}, a range of users at a time; the arrays
 * may live in SharedArrayBuffers, so worker threads can fill disjoint ranges of one table.
 */
export interface RecommendationTable {
  readonly k: number;
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly counts: Int32Array;
  readonly scores: Float32Array;
}

/** Options of {@link recommendAll}. */
export interface RecommendAllOptions {
  /** Users to recommend for (default every user 0..nUsers-1). */
  users?: ArrayLike<number>;
  /** Use the factor fast path for ranking (default `true`). */
  useFactors?: boolean;
}

/** Users scored per block by {@link recommendInto}. */
const USER_BLOCK = 64;

/**
 * An empty table for `users` and `k`; with `shared`, over SharedArrayBuffers, for worker threads to fill.
 * @throws UsageError on a bad `k`.
 */
export function recommendationTable(users: ArrayLike<number>, k: number, options: { shared?: boolean } = {}): RecommendationTable {
  checkK(k);
  const n = users.length;
  const int32 = (m: number) => (options.shared ? sharedArray(Int32Array, m) : new Int32Array(m));
  const u = int32(n);
  for (let j = 0; j < n; j++) u[j] = users[j];
  const items = int32(n * k).fill(-1);
  const scores = (options.shared ? sharedArray(Float32Array, n * k) : new Float32Array(n * k)).fill(NaN);
  return { k, users: u, items, counts: int32(n), scores };
}

/**
 * Fills the lists of `table.users[from .. to)`: each user's top `table.k` items by blocked scoring (see
 * {@link recommendAll}), leaving out their `excluded` items, then their `predict` scores (the rating scale).
 * Lists do not depend on how the users are split into ranges.
 * @throws UsageError when a user index is out of range.
 */
export function recommendInto(scorer: Scorer, table: RecommendationTable, from: number, to: number, excluded: ExcludedItems | null, useFactors = true): void {
  const { users, k, items, counts, scores } = table;
  for (let j = from; j < to; j++) {
    const u = users[j];
    if (!Number.isInteger(u) || u < 0 || u >= scorer.nUsers) throw new UsageError(`user index ${u} outside 0..${scorer.nUsers - 1}`);
  }
  if (to <= from) return;
  const bs = new BlockScorer(scorer, Math.min(USER_BLOCK, to - from), useFactors);
  _topKUsers(bs, users, from, to, k, excluded, items, counts);
  let pairs = 0;
  for (let j = from; j < to; j++) pairs += counts[j];
  if (pairs === 0) return;
  const pu = new Int32Array(pairs);
  const pi = new Int32Array(pairs);
  let p = 0;
  for (let j = from; j < to; j++) {
    for (let r = 0; r < counts[j]; r++) {
      pu[p] = users[j];
      pi[p++] = items[j * k + r];
    }
  }
  const predicted = scorer.predict(pu, pi);
  p = 0;
  for (let j = from; j < to; j++) for (let r = 0; r < counts[j]; r++) scores[j * k + r] = predicted[p++];
}

/** The rows of a filled table, ordered by position then rank. */
export function recommendationRows(table: RecommendationTable): RecommendationRow[] {
  const rows: RecommendationRow[] = [];
  const { users, k, items, counts, scores } = table;
  for (let j = 0; j < users.length; j++) {
    for (let r = 0; r < counts[j]; r++) rows.push({ user: users[j], rank: r + 1, item: items[j * k + r], score: scores[j * k + r] });
  }
  return rows;
}

/** The items each user rated in `train`, sorted per user, checked against the scorer's shape. */
export function excludedFrom(scorer: Scorer, train: RatingColumns, what = 'recommendAll train'): ExcludedItems {
  checkColumns(train, scorer.nUsers, scorer.nItems, what);
  return userItemIndex(train, scorer.nUsers);
}

/**
 * Top-`k` recommendations for every user (or `options.users`), excluding the items each rated in `train`:
 * rows ordered by user then rank. Users are scored in blocks against tiles of items (a blocked matrix
 * product on the factor fast path when available), keeping a top-k heap per user; ties go to the lower item
 * index. The reported scores come from `predict`, so they are on the rating scale.
 * @throws UsageError on a bad `k` or out-of-range indices.
 */
export function recommendAll(scorer: Scorer, train: RatingColumns, k: number, options: RecommendAllOptions = {}): RecommendationRow[] {
  checkK(k);
  const excluded = excludedFrom(scorer, train);
  const table = recommendationTable(options.users ?? Int32Array.from({ length: scorer.nUsers }, (_, u) => u), k);
  recommendInto(scorer, table, 0, table.users.length, excluded, options.useFactors ?? true);
  return recommendationRows(table);
}
