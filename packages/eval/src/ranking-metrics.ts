import type { RatingColumns, Scorer } from '@collab-ts/core';
import { createRng, UsageError } from '@collab-ts/core';
import { BlockScorer } from './block-scorer.js';
import { _rankingFromFlags, type UserRankingMetrics } from './ranking-at-k.js';
import { TopKHeap } from '@collab-ts/core';
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
 * Ranking metrics averaged over users: keys `precision@k`, `recall@k`, `ndcg@k`, `map@k`, `mrr@k`, `hit@k`,
 * `coverage@k` for each cutoff, plus `users` (users with at least one relevant test item) and
 * `skippedUsers` (users with test ratings but no relevant item).
 */
export type RankingResult = { users: number; skippedUsers: number } & Record<string, number>;

const PER_USER: readonly (keyof UserRankingMetrics)[] = ['precision', 'recall', 'ndcg', 'map', 'mrr', 'hit'];

/**
 * Top-k ranking evaluation of a scorer on held-out ratings.
 *
 * Choices (all deterministic):
 * - Users without test ratings are not evaluated. A user's relevant set is their test items rated
 *   `>= threshold` that are not among their train items (those are never candidates). Users with test
 *   ratings but no relevant item are skipped for recall, NDCG, MAP, MRR and hit and counted in
 *   `skippedUsers`; they still count, with 0, in precision (no list can hit), and with the default
 *   candidates their lists count for coverage (the sampled protocol builds no list for them).
 * - Every metric is the mean over users of the per-user value (see `rankingAtK` for the definitions);
 *   precision divides by k even when fewer than k candidates exist. A metric with no user to average is NaN.
 * - Ties: of two equal scores the lower item index ranks first; NaN scores rank last.
 * - Coverage@k: the fraction of all items that appear in the top k of at least one evaluated user.
 * - Sampled negatives: each relevant test item is one ranking of 1 + N candidates; a user's metrics are the
 *   mean over their instances, then averaged over users (every user weighs the same, as in leave-one-out).
 *   When a user has fewer than N never-rated items, all of them are used.
 *
 * For factor models (`scorer.factors()` not null) users are scored in blocks by a blocked matrix product over
 * the factor tables (biases added, `yRange` ignored since the sigmoid is monotone); other scorers are scored
 * through batched `predict` calls. The top k is kept in a fixed-size heap with no per-pair allocation.
 * @throws UsageError on bad cutoffs, thresholds, candidate options or out-of-range indices.
 */
export function rankingMetrics(scorer: Scorer, options: RankingOptions): RankingResult {
  const ks = (typeof options.k === 'number' ? [options.k] : [...options.k]).sort((a, b) => a - b);
  if (ks.length === 0) throw new UsageError('rankingMetrics: give at least one cutoff k');
  for (const k of ks) checkK(k);
  const threshold = options.threshold === undefined ? 4 : options.threshold;
  if (threshold !== null && !Number.isFinite(threshold)) throw new UsageError(`rankingMetrics: threshold must be a finite number or null`);
  const nU = scorer.nUsers;
  const nI = scorer.nItems;
  checkColumns(options.train, nU, nI, 'rankingMetrics train');
  checkColumns(options.test, nU, nI, 'rankingMetrics test');
  const cand = options.candidates ?? 'unrated';
  if (cand !== 'unrated') {
    if (typeof cand !== 'object' || !Number.isInteger(cand.sampledNegatives) || cand.sampledNegatives < 1 || !Number.isFinite(cand.seed)) {
      throw new UsageError("rankingMetrics: candidates must be 'unrated' or { sampledNegatives: positive integer, seed: number }");
    }
  }
  const train = userItemIndex(options.train, nU);
  const test = userItemIndex(options.test, nU);
  const users: number[] = [];
  for (let u = 0; u < nU; u++) if (test.offsets[u + 1] > test.offsets[u]) users.push(u);
  const acc = new Accumulator(ks, nI);
  const ctx: Context = { scorer, train, test, threshold, ks, acc, useFactors: options.useFactors ?? true, blockSize: options.blockSize ?? 64 };
  if (cand === 'unrated') rankUnrated(ctx, users);
  else rankSampled(ctx, users, cand.sampledNegatives, cand.seed);
  return acc.result();
}

interface Context {
  scorer: Scorer;
  train: UserItemIndex;
  test: UserItemIndex;
  threshold: number | null;
  ks: number[];
  acc: Accumulator;
  useFactors: boolean;
  blockSize: number;
}

/** Sums per-user metrics and tracks, per item, the best position it reached in any list. */
class Accumulator {
  readonly ks: number[];
  readonly maxK: number;
  readonly sums: Float64Array;
  readonly bestPos: Int32Array;
  users = 0;
  skipped = 0;
  private readonly tmp: UserRankingMetrics = { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 };

  constructor(ks: number[], nItems: number) {
    this.ks = ks;
    this.maxK = ks[ks.length - 1];
    this.sums = new Float64Array(ks.length * PER_USER.length);
    this.bestPos = new Int32Array(nItems).fill(0x7fffffff);
  }

  /** Adds a ranked list's positions to the coverage tally. */
  cover(items: Int32Array, m: number): void {
    for (let p = 0; p < m; p++) if (p < this.bestPos[items[p]]) this.bestPos[items[p]] = p;
  }

  /** Adds `weight` times one list's metrics. */
  add(flags: Uint8Array, m: number, nRel: number, weight: number): void {
    for (let j = 0; j < this.ks.length; j++) {
      const r = _rankingFromFlags(flags, m, nRel, this.ks[j], this.tmp);
      const o = j * PER_USER.length;
      for (let q = 0; q < PER_USER.length; q++) this.sums[o + q] += weight * r[PER_USER[q]];
    }
  }

  result(): RankingResult {
    const out: Record<string, number> = {};
    for (let j = 0; j < this.ks.length; j++) {
      const k = this.ks[j];
      const o = j * PER_USER.length;
      for (let q = 0; q < PER_USER.length; q++) {
        const name = PER_USER[q];
        const n = name === 'precision' ? this.users + this.skipped : this.users;
        out[`${name}@${k}`] = n > 0 ? this.sums[o + q] / n : NaN;
      }
      let covered = 0;
      for (let i = 0; i < this.bestPos.length; i++) if (this.bestPos[i] < k) covered++;
      out[`coverage@${k}`] = this.bestPos.length > 0 ? covered / this.bestPos.length : NaN;
    }
    return Object.assign(out, { users: this.users, skippedUsers: this.skipped });
  }
}

/** Marks user `u`'s train items in `stamp` (stamp[item] = u). */
function stampTrain(train: UserItemIndex, u: number, stamp: Int32Array): void {
  for (let p = train.offsets[u]; p < train.offsets[u + 1]; p++) stamp[train.items[p]] = u;
}

/** Marks user `u`'s relevant test items in `rel` (rel[item] = u) and returns how many there are. */
function stampRelevant(ctx: Context, u: number, trainStamp: Int32Array, rel: Int32Array): number {
  const t = ctx.test;
  let n = 0;
  for (let p = t.offsets[u]; p < t.offsets[u + 1]; p++) {
    const it = t.items[p];
    if (trainStamp[it] === u || rel[it] === u) continue;
    if (ctx.threshold === null || t.ratings[p] >= ctx.threshold) {
      rel[it] = u;
      n++;
    }
  }
  return n;
}

function rankUnrated(ctx: Context, users: number[]): void {
  const nI = ctx.scorer.nItems;
  const { acc } = ctx;
  const maxK = acc.maxK;
  const block = Math.max(1, Math.min(ctx.blockSize, users.length));
  const bs = new BlockScorer(ctx.scorer, block, ctx.useFactors);
  const trainStamp = new Int32Array(nI).fill(-1);
  const rel = new Int32Array(nI).fill(-1);
  const heap = new TopKHeap(Math.min(maxK, nI));
  const top = new Int32Array(Math.min(maxK, nI));
  const flags = new Uint8Array(top.length);
  for (let from = 0; from < users.length; from += block) {
    const count = Math.min(block, users.length - from);
    const scores = bs.score(users, from, count);
    for (let b = 0; b < count; b++) {
      const u = users[from + b];
      stampTrain(ctx.train, u, trainStamp);
      const nRel = stampRelevant(ctx, u, trainStamp, rel);
      // hot loop: heap over the user's unrated items, no allocation
      heap.reset(maxK);
      const o = b * nI;
      for (let i = 0; i < nI; i++) if (trainStamp[i] !== u) heap.push(scores[o + i], i);
      const m = heap.drain(top, null);
      acc.cover(top, m);
      if (nRel === 0) {
        acc.skipped++;
        continue;
      }
      for (let p = 0; p < m; p++) flags[p] = rel[top[p]] === u ? 1 : 0;
      acc.users++;
      acc.add(flags, m, nRel, 1);
    }
  }
}

function rankSampled(ctx: Context, users: number[], nNeg: number, seed: number): void {
  const nI = ctx.scorer.nItems;
  const { acc, test } = ctx;
  const maxK = acc.maxK;
  const rng = createRng(seed);
  const block = Math.max(1, Math.min(ctx.blockSize, users.length));
  const bs = new BlockScorer(ctx.scorer, block, ctx.useFactors);
  const rated = new Int32Array(nI).fill(-1);
  const rel = new Int32Array(nI).fill(-1);
  const free = new Int32Array(nI);
  const heap = new TopKHeap(Math.min(maxK, nNeg + 1));
  const top = new Int32Array(Math.min(maxK, nNeg + 1));
  const flags = new Uint8Array(top.length);
  for (let from = 0; from < users.length; from += block) {
    const count = Math.min(block, users.length - from);
    const scores = bs.score(users, from, count);
    for (let b = 0; b < count; b++) {
      const u = users[from + b];
      stampTrain(ctx.train, u, rated);
      const nRel = stampRelevant(ctx, u, rated, rel);
      if (nRel === 0) {
        acc.skipped++;
        continue;
      }
      for (let p = test.offsets[u]; p < test.offsets[u + 1]; p++) rated[test.items[p]] = u;
      let nFree = 0;
      for (let i = 0; i < nI; i++) if (rated[i] !== u) free[nFree++] = i;
      const take = Math.min(nNeg, nFree);
      const o = b * nI;
      let instances = 0;
      for (let p = test.offsets[u]; p < test.offsets[u + 1]; p++) {
        const t = test.items[p];
        if (rel[t] !== u) continue;
        rel[t] = -2 - u; // each relevant item is one instance, even when the test set repeats it
        instances++;
      }
      for (let p = test.offsets[u]; p < test.offsets[u + 1]; p++) {
        const t = test.items[p];
        if (rel[t] !== -2 - u) continue;
        rel[t] = u;
        // partial Fisher-Yates over the never-rated items: a uniform sample without replacement
        heap.reset(maxK);
        heap.push(scores[o + t], t);
        for (let j = 0; j < take; j++) {
          const r = j + rng.int(nFree - j);
          const it = free[r];
          free[r] = free[j];
          free[j] = it;
          heap.push(scores[o + it], it);
        }
        const m = heap.drain(top, null);
        acc.cover(top, m);
        for (let q = 0; q < m; q++) flags[q] = top[q] === t ? 1 : 0;
        acc.add(flags, m, 1, 1 / instances);
      }
      acc.users++;
    }
  }
}
