import { TopKHeap, transposeCsr } from '@collab-ts/core';
import type { CsrMatrix } from '@collab-ts/core';

/** How item vectors (their users' interaction strengths) are weighted before the dot products. */
export type KnnWeighting = 'none' | 'bm25' | 'tfidf';

/** Each item's nearest neighbours, best first: row `i` is `items/scores[offsets[i] .. offsets[i + 1])`. */
export interface ItemNeighbours {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float32Array;
}

/**
 * The weighted items x users matrix whose row dot products are the item similarities, as implicit's
 * item-item recommenders weight it (`x` is users x items, repeated pairs summed; `N` = number of items,
 * `n_u` = number of items of user u, `idf_u = log(N) - log(1 + n_u)`):
 * - `none` (CosineRecommender): each item row scaled to unit length, so dot products are cosines;
 * - `tfidf` (TFIDFRecommender): `sqrt(x_ui) * idf_u`, then rows scaled to unit length;
 * - `bm25` (BM25Recommender): `x_ui (K1 + 1) / (K1 (1 - B + B len_i / avgLen) + x_ui) * idf_u`, with `len_i`
 *   the item's strength sum and `avgLen` its mean over all items; rows are not normalised.
 */
export function weightedItemUsers(x: CsrMatrix, weighting: KnnWeighting, k1 = 1.2, b = 0.75): CsrMatrix {
  const t = transposeCsr(x);
  const nItems = t.nRows;
  const v = t.values;
  if (weighting !== 'none') {
    const idf = new Float64Array(x.nRows);
    const logN = Math.log(nItems);
    for (let u = 0; u < x.nRows; u++) idf[u] = logN - Math.log1p(x.offsets[u + 1] - x.offsets[u]);
    if (weighting === 'tfidf') {
      for (let p = 0; p < v.length; p++) v[p] = Math.sqrt(v[p]) * idf[t.indices[p]];
    } else {
      let total = 0;
      for (let p = 0; p < v.length; p++) total += v[p];
      const avgLen = total / nItems;
      for (let i = 0; i < nItems; i++) {
        let len = 0;
        for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) len += v[p];
        const norm = 1 - b + (b * len) / avgLen;
        for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) v[p] = ((v[p] * (k1 + 1)) / (k1 * norm + v[p])) * idf[t.indices[p]];
      }
      return t;
    }
  }
  for (let i = 0; i < nItems; i++) {
    let ss = 0;
    for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) ss += v[p] * v[p];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let p = t.offsets[i]; p < t.offsets[i + 1]; p++) v[p] *= inv;
  }
  return t;
}

/**
 * The `k` most similar other items of every item, where the similarity of items i and j is the dot product
 * of their rows of `w` (items x users), shrunk by `c / (c + shrink)` with `c` the number of users the two
 * share. Only positive similarities are kept, so an item may have fewer than `k` neighbours; ties go to
 * the lower item index.
 *
 * Hand-written sparse kernel (as implicit's `all_pairs_knn`): for each item, its users' rows of the
 * transpose are added into one dense accumulator, which touches only co-occurring pairs, then a heap keeps
 * the best `k`. Cost: the sum over users of their item count squared.
 */
export function itemNeighbours(w: CsrMatrix, k: number, shrink = 0): ItemNeighbours {
  const nItems = w.nRows;
  const byUser = transposeCsr(w);
  const kk = Math.max(0, Math.min(k, nItems - 1));
  const offsets = new Int32Array(nItems + 1);
  let items = new Int32Array(nItems * kk);
  let scores = new Float32Array(nItems * kk);
  const acc = new Float64Array(nItems);
  const common = new Int32Array(nItems);
  const mark = new Int32Array(nItems).fill(-1);
  const touched = new Int32Array(nItems);
  const heap = new TopKHeap(Math.max(1, kk));
  let nnz = 0;
  for (let i = 0; i < nItems; i++) {
    let nt = 0;
    for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) {
      const u = w.indices[p];
      const wi = w.values[p];
      for (let q = byUser.offsets[u]; q < byUser.offsets[u + 1]; q++) {
        const j = byUser.indices[q];
        if (mark[j] !== i) {
          mark[j] = i;
          acc[j] = 0;
          common[j] = 0;
          touched[nt++] = j;
        }
        acc[j] += wi * byUser.values[q];
        common[j]++;
      }
    }
    heap.reset(kk);
    for (let t = 0; t < nt; t++) {
      const j = touched[t];
      if (j === i) continue;
      const c = common[j];
      const s = shrink > 0 ? (acc[j] * c) / (c + shrink) : acc[j];
      if (s > 0) heap.push(s, j);
    }
    nnz += heap.drain(items, scores, nnz);
    offsets[i + 1] = nnz;
  }
  if (nnz < items.length) {
    items = items.slice(0, nnz);
    scores = scores.slice(0, nnz);
  }
  return { offsets, items, scores };
}
