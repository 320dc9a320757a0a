import type { Scorer } from '@collab-ts/core';
import { createRng, TopKHeap, UsageError } from '@collab-ts/core';
import { BlockScorer } from './block-scorer.js';
import { _rankingFromFlags, type UserRankingMetrics } from './ranking-at-k.js';
import { planRanking } from './ranking-plan.js';
import type { RankingOptions, RankingPlan } from './ranking-plan.js';
import { _topKUsers } from './top-k-users.js';

export type { CandidateSpec, RankingOptions, RankingPlan } from './ranking-plan.js';

/**
 * Ranking metrics averaged over users: keys `precision@k`, `recall@k`, `ndcg@k`, `map@k`, `mrr@k`, `hit@k`,
 * `coverage@k` for each cutoff, plus `users` (users with at least one relevant test item) and
 * `skippedUsers` (users with test ratings but no relevant item).
 */
export type RankingResult = { users: number; skippedUsers: number } & Record<string, number>;

/**
 * What {@link rankingPart} measures on a range of a plan's users: each ranked list's weighted metrics in
 * order (`lists x ks.length x 6` values: precision, recall, ndcg, map, mrr, hit per cutoff), the best
 * position each item reached, and the user counts. Merged in range order, parts give the same sums, to the
 * last bit, as one pass over every user.
 */
export interface RankingPart {
  readonly users: number;
  readonly skipped: number;
  readonly lists: number;
  readonly values: Float64Array;
  readonly bestPos: Int32Array;
}

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
 * For factor models (`scorer.factors()` not null) users are scored in blocks against tiles of items by a
 * blocked matrix product over the factor tables (biases added, `yRange` ignored since the sigmoid is
 * monotone); other scorers are scored through their `scoreUsers` or batched `predict` calls. The top k is
 * kept in a fixed-size heap per user with no per-pair allocation. The same evaluation split over threads:
 * {@link planRanking}, {@link rankingPart} per range of `plan.users`, {@link mergeRankingParts}.
 * @throws UsageError on bad cutoffs, thresholds, candidate options or out-of-range indices.
 */
export function rankingMetrics(scorer: Scorer, options: RankingOptions): RankingResult {
  const plan = planRanking(scorer, options);
  return mergeRankingParts(plan, [rankingPart(scorer, plan, 0, plan.users.length)]);
}

/** Measures the lists of `plan.users[from .. to)`. @throws UsageError when the scorer's shape is not the plan's. */
export function rankingPart(scorer: Scorer, plan: RankingPlan, from: number, to: number): RankingPart {
  if (scorer.nUsers !== plan.nUsers || scorer.nItems !== plan.nItems) {
    throw new UsageError(`rankingPart: the scorer has ${scorer.nUsers} x ${scorer.nItems} users x items, the plan ${plan.nUsers} x ${plan.nItems}`);
  }
  const part = new PartBuilder(plan);
  if (plan.candidates === 'unrated') rankUnrated(scorer, plan, from, to, part);
  else rankSampled(scorer, plan, from, to, plan.candidates.sampledNegatives, plan.candidates.seed, part);
  return part.finish();
}

/** Sums parts (in the order given, which must be the order of their ranges) into the averaged metrics. */
export function mergeRankingParts(plan: RankingPlan, parts: readonly RankingPart[]): RankingResult {
  const ks = plan.ks;
  const width = ks.length * PER_USER.length;
  const sums = new Float64Array(width);
  const bestPos = new Int32Array(plan.nItems).fill(0x7fffffff);
  let users = 0;
  let skipped = 0;
  for (const p of parts) {
    users += p.users;
    skipped += p.skipped;
    for (let l = 0; l < p.lists; l++) for (let q = 0; q < width; q++) sums[q] += p.values[l * width + q];
    for (let i = 0; i < bestPos.length; i++) if (p.bestPos[i] < bestPos[i]) bestPos[i] = p.bestPos[i];
  }
  const out: Record<string, number> = {};
  for (let j = 0; j < ks.length; j++) {
    const k = ks[j];
    const o = j * PER_USER.length;
    for (let q = 0; q < PER_USER.length; q++) {
      const name = PER_USER[q];
      const n = name === 'precision' ? users + skipped : users;
      out[`${name}@${k}`] = n > 0 ? sums[o + q] / n : NaN;
    }
    let covered = 0;
    for (let i = 0; i < bestPos.length; i++) if (bestPos[i] < k) covered++;
    out[`coverage@${k}`] = bestPos.length > 0 ? covered / bestPos.length : NaN;
  }
  return Object.assign(out, { users, skippedUsers: skipped });
}

/** Collects one part: each list's weighted metrics in order, and per item the best position it reached. */
class PartBuilder {
  private readonly ks: readonly number[];
  private values: Float64Array;
  private lists = 0;
  readonly bestPos: Int32Array;
  users = 0;
  skipped = 0;
  private readonly tmp: UserRankingMetrics = { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 };

  constructor(plan: RankingPlan) {
    this.ks = plan.ks;
    this.values = new Float64Array(64 * this.ks.length * PER_USER.length);
    this.bestPos = new Int32Array(plan.nItems).fill(0x7fffffff);
  }

  /** Adds a ranked list's positions to the coverage tally. */
  cover(items: Int32Array, m: number): void {
    for (let p = 0; p < m; p++) if (p < this.bestPos[items[p]]) this.bestPos[items[p]] = p;
  }

  /** Records `weight` times one list's metrics. */
  add(flags: Uint8Array, m: number, nRel: number, weight: number): void {
    const width = this.ks.length * PER_USER.length;
    if ((this.lists + 1) * width > this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const base = this.lists++ * width;
    for (let j = 0; j < this.ks.length; j++) {
      const r = _rankingFromFlags(flags, m, nRel, this.ks[j], this.tmp);
      const o = base + j * PER_USER.length;
      for (let q = 0; q < PER_USER.length; q++) this.values[o + q] = weight * r[PER_USER[q]];
    }
  }

  finish(): RankingPart {
    const width = this.ks.length * PER_USER.length;
    return { users: this.users, skipped: this.skipped, lists: this.lists, values: this.values.slice(0, this.lists * width), bestPos: this.bestPos };
  }
}

/** Marks user `u`'s train items in `stamp` (stamp[item] = u) and returns how many distinct items that is. */
function stampTrain(plan: RankingPlan, u: number, stamp: Int32Array): number {
  const t = plan.train;
  let n = 0;
  for (let p = t.offsets[u]; p < t.offsets[u + 1]; p++) {
    if (stamp[t.items[p]] !== u) n++;
    stamp[t.items[p]] = u;
  }
  return n;
}

/** Marks user `u`'s relevant test items in `rel` (rel[item] = u) and returns how many there are. */
function stampRelevant(plan: RankingPlan, u: number, trainStamp: Int32Array, rel: Int32Array): number {
  const t = plan.test;
  let n = 0;
  for (let p = t.offsets[u]; p < t.offsets[u + 1]; p++) {
    const it = t.items[p];
    if (trainStamp[it] === u || rel[it] === u) continue;
    if (plan.threshold === null || t.ratings[p] >= plan.threshold) {
      rel[it] = u;
      n++;
    }
  }
  return n;
}

/** Users ranked per call of the blocked top-k (bounds the list buffers). */
const CHUNK = 256;

function rankUnrated(scorer: Scorer, plan: RankingPlan, from: number, to: number, part: PartBuilder): void {
  const nI = plan.nItems;
  const maxK = plan.ks[plan.ks.length - 1];
  const kk = Math.min(maxK, nI);
  const bs = new BlockScorer(scorer, Math.max(1, Math.min(plan.blockSize, to - from)), plan.useFactors);
  const trainStamp = new Int32Array(nI).fill(-1);
  const rel = new Int32Array(nI).fill(-1);
  const lists = new Int32Array(CHUNK * maxK);
  const counts = new Int32Array(CHUNK);
  const flags = new Uint8Array(kk);
  const excluded = { offsets: plan.train.offsets, items: plan.train.items };
  for (let cf = from; cf < to; cf += CHUNK) {
    const chunk = plan.users.subarray(cf, Math.min(to, cf + CHUNK));
    _topKUsers(bs, chunk, 0, chunk.length, maxK, excluded, lists, counts);
    for (let b = 0; b < chunk.length; b++) {
      const u = chunk[b];
      stampTrain(plan, u, trainStamp);
      const nRel = stampRelevant(plan, u, trainStamp, rel);
      const top = lists.subarray(b * maxK, b * maxK + counts[b]);
      const m = counts[b];
      part.cover(top, m);
      if (nRel === 0) {
        part.skipped++;
        continue;
      }
      for (let p = 0; p < m; p++) flags[p] = rel[top[p]] === u ? 1 : 0;
      part.users++;
      part.add(flags, m, nRel, 1);
    }
  }
}

/**
 * The random draws the sampled protocol makes for user `u` (one per sampled negative of each relevant
 * item), so a range that starts later can advance the generator to where one pass would be.
 */
function drawsOf(plan: RankingPlan, u: number, nNeg: number, rated: Int32Array, rel: Int32Array): number {
  let distinct = stampTrain(plan, u, rated);
  const nRel = stampRelevant(plan, u, rated, rel);
  if (nRel === 0) return 0;
  const t = plan.test;
  for (let p = t.offsets[u]; p < t.offsets[u + 1]; p++) {
    if (rated[t.items[p]] !== u) distinct++;
    rated[t.items[p]] = u;
  }
  return nRel * Math.min(nNeg, plan.nItems - distinct);
}

function rankSampled(scorer: Scorer, plan: RankingPlan, from: number, to: number, nNeg: number, seed: number, part: PartBuilder): void {
  const nI = plan.nItems;
  const test = plan.test;
  const maxK = plan.ks[plan.ks.length - 1];
  const rng = createRng(seed);
  const rated = new Int32Array(nI).fill(-1);
  const rel = new Int32Array(nI).fill(-1);
  for (let j = 0; j < from; j++) for (let d = drawsOf(plan, plan.users[j], nNeg, rated, rel); d > 0; d--) rng.nextUint32();
  rated.fill(-1);
  rel.fill(-1);
  const block = Math.max(1, Math.min(plan.blockSize, to - from));
  const bs = new BlockScorer(scorer, block, plan.useFactors);
  const free = new Int32Array(nI);
  const heap = new TopKHeap(Math.min(maxK, nNeg + 1));
  const top = new Int32Array(Math.min(maxK, nNeg + 1));
  const flags = new Uint8Array(top.length);
  for (let bf = from; bf < to; bf += block) {
    const count = Math.min(block, to - bf);
    const scores = bs.score(plan.users, bf, count);
    for (let b = 0; b < count; b++) {
      const u = plan.users[bf + b];
      stampTrain(plan, u, rated);
      const nRel = stampRelevant(plan, u, rated, rel);
      if (nRel === 0) {
        part.skipped++;
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
        part.cover(top, m);
        for (let q = 0; q < m; q++) flags[q] = top[q] === t ? 1 : 0;
        part.add(flags, m, 1, 1 / instances);
      }
      part.users++;
    }
  }
}
