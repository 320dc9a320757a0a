import { checkK } from './validate.js';

/** One user's ranking metrics at one cutoff `k` (see {@link rankingAtK}). */
export interface UserRankingMetrics {
  precision: number;
  recall: number;
  ndcg: number;
  map: number;
  mrr: number;
  hit: number;
}

const LOG2_DISCOUNT: number[] = [];
/** 1 / log2(position + 2), memoised. */
function discount(pos: number): number {
  while (LOG2_DISCOUNT.length <= pos) LOG2_DISCOUNT.push(1 / Math.log2(LOG2_DISCOUNT.length + 2));
  return LOG2_DISCOUNT[pos];
}

/**
 * Ranking metrics at `k` from a ranked list's relevance flags (`flags[p]` non-zero when the item at
 * position `p`, counted from 0, is relevant), the list length `m` and the user's number of relevant items.
 * This is the fast inner function behind {@link rankingMetrics} and the per-user functions.
 *
 * - precision = hits in the first k / k (the denominator stays k when the list is shorter than k);
 * - recall = hits / nRelevant;
 * - NDCG: binary gains, discount 1 / log2(position + 2), ideal DCG over min(k, nRelevant) hits;
 * - MAP (AP@k): the sum of precision@(p+1) at each relevant position p < k, divided by min(k, nRelevant);
 * - MRR: 1 / (position + 1) of the first relevant item within the first k, else 0;
 * - hit: 1 when any of the first k is relevant, else 0.
 *
 * With `nRelevant = 0`, recall, NDCG and MAP are NaN (undefined) and the others 0.
 * @internal
 */
export function _rankingFromFlags(flags: ArrayLike<number>, m: number, nRelevant: number, k: number, out: UserRankingMetrics): UserRankingMetrics {
  const n = Math.min(k, m);
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  let firstRank = 0;
  for (let p = 0; p < n; p++) {
    if (flags[p]) {
      hits++;
      dcg += discount(p);
      apSum += hits / (p + 1);
      if (firstRank === 0) firstRank = p + 1;
    }
  }
  out.precision = hits / k;
  out.mrr = firstRank > 0 ? 1 / firstRank : 0;
  out.hit = hits > 0 ? 1 : 0;
  if (nRelevant <= 0) {
    out.recall = NaN;
    out.ndcg = NaN;
    out.map = NaN;
    return out;
  }
  const ideal = Math.min(k, nRelevant);
  let idcg = 0;
  for (let p = 0; p < ideal; p++) idcg += discount(p);
  out.recall = hits / nRelevant;
  out.ndcg = dcg / idcg;
  out.map = apSum / ideal;
  return out;
}

/**
 * All of one user's ranking metrics at `k` for a ranked list of item indices (best first) and the set of
 * relevant items. See {@link _rankingFromFlags} for the definitions; with no relevant items, recall, NDCG and
 * MAP are NaN.
 * @throws UsageError when `k` is not a positive integer.
 */
export function rankingAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): UserRankingMetrics {
  checkK(k);
  const rel = relevant instanceof Set ? (relevant as ReadonlySet<number>) : new Set(relevant);
  const m = Math.min(k, ranked.length);
  const flags = new Uint8Array(m);
  for (let p = 0; p < m; p++) flags[p] = rel.has(ranked[p]) ? 1 : 0;
  return _rankingFromFlags(flags, m, rel.size, k, { precision: 0, recall: 0, ndcg: 0, map: 0, mrr: 0, hit: 0 });
}

/** Precision@k: the fraction of the first `k` ranked items that are relevant (denominator always `k`). */
export function precisionAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).precision;
}

/** Recall@k: relevant items in the first `k` / all relevant items (NaN when there are none). */
export function recallAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).recall;
}

/** NDCG@k with binary relevance and a log2 discount; ideal DCG over min(k, #relevant) (NaN with no relevant items). */
export function ndcgAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).ndcg;
}

/** AP@k normalised by min(k, #relevant); its mean over users is MAP@k (NaN with no relevant items). */
export function averagePrecisionAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).map;
}

/** Reciprocal rank of the first relevant item within the first `k` (0 when none); its mean is MRR@k. */
export function reciprocalRankAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).mrr;
}

/** 1 when any of the first `k` ranked items is relevant, else 0; its mean is the hit rate@k. */
export function hitAtK(ranked: ArrayLike<number>, relevant: Iterable<number>, k: number): number {
  return rankingAtK(ranked, relevant, k).hit;
}
