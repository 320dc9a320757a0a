import type { RatingColumns } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { userItemIndex, type UserItemIndex } from './user-item-index.js';
import { checkColumns, checkK } from './validate.js';

/** How candidate items are chosen for each user. */
export type CandidateSpec = 'unrated' | { sampledNegatives: number; seed: number };

/** Options of {@link rankingMetrics}. */
export interface RankingOptions {
  /** Training ratings: a user's train items are never candidates. */
  train: RatingColumns;
  /** Held-out ratings: the relevant items. */
  test: RatingColumns;
  /** Cutoff(s); the result has one key per metric and cutoff (`ndcg@10`). */
  k: number | readonly number[];
  /**
   * Test ratings `>= threshold` are relevant (default 4, for 1-5 star scales); `null` makes every test
   * item relevant (implicit feedback, leave-one-out).
   */
  threshold?: number | null;
  /**
   * `'unrated'` (default): rank every item the user did not rate in train. `{ sampledNegatives, seed }`: the
   * NCF leave-one-out protocol, each relevant test item ranked against `sampledNegatives` items the user
   * never rated (in train or test), drawn without replacement with a seeded generator.
   */
  candidates?: CandidateSpec;
  /** Use the factor-table fast path when the scorer has one (default `true`). */
  useFactors?: boolean;
  /** Users scored per block (default 64). */
  blockSize?: number;
}

/**
 * A checked ranking evaluation, ready to run on any range of its users ({@link rankingPart}) and merge
 * ({@link mergeRankingParts}): plain data (typed arrays, numbers), so it can be posted to worker threads.
 */
export interface RankingPlan {
  readonly nUsers: number;
  readonly nItems: number;
  /** Cutoffs, ascending. */
  readonly ks: readonly number[];
  readonly threshold: number | null;
  readonly candidates: CandidateSpec;
  readonly train: UserItemIndex;
  readonly test: UserItemIndex;
  /** The users evaluated: every user with a test rating, ascending. */
  readonly users: Int32Array;
  readonly useFactors: boolean;
  readonly blockSize: number;
}

/**
 * Checks the options against a scorer's shape and groups train and test ratings by user.
 * @throws UsageError on bad cutoffs, thresholds, candidate options or out-of-range indices.
 */
export function planRanking(shape: { nUsers: number; nItems: number }, options: RankingOptions): RankingPlan {
  const ks = (typeof options.k === 'number' ? [options.k] : [...options.k]).sort((a, b) => a - b);
  if (ks.length === 0) throw new UsageError('rankingMetrics: give at least one cutoff k');
  for (const k of ks) checkK(k);
  const threshold = options.threshold === undefined ? 4 : options.threshold;
  if (threshold !== null && !Number.isFinite(threshold)) throw new UsageError(`rankingMetrics: threshold must be a finite number or null`);
  const { nUsers, nItems } = shape;
  checkColumns(options.train, nUsers, nItems, 'rankingMetrics train');
  checkColumns(options.test, nUsers, nItems, 'rankingMetrics test');
  const cand = options.candidates ?? 'unrated';
  if (cand !== 'unrated') {
    if (typeof cand !== 'object' || !Number.isInteger(cand.sampledNegatives) || cand.sampledNegatives < 1 || !Number.isFinite(cand.seed)) {
      throw new UsageError("rankingMetrics: candidates must be 'unrated' or { sampledNegatives: positive integer, seed: number }");
    }
  }
  const train = userItemIndex(options.train, nUsers);
  const test = userItemIndex(options.test, nUsers);
  const users: number[] = [];
  for (let u = 0; u < nUsers; u++) if (test.offsets[u + 1] > test.offsets[u]) users.push(u);
  return {
    nUsers,
    nItems,
    ks,
    threshold,
    candidates: cand === 'unrated' ? cand : { sampledNegatives: cand.sampledNegatives, seed: cand.seed },
    train,
    test,
    users: Int32Array.from(users),
    useFactors: options.useFactors ?? true,
    blockSize: options.blockSize ?? 64,
  };
}
