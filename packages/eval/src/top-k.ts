import { UsageError } from '@collab-ts/core';
import { selectTopK } from '@collab-ts/core';
import { checkK } from './validate.js';

/** The best `k` entries of a score vector, best first. */
export interface TopKResult {
  /** Indices into the score vector (item indices), best first. */
  indices: Int32Array;
  /** Their scores, in the same order. */
  scores: Float32Array;
}

/**
 * The `k` highest scores of `scores` and their indices, best first, skipping the indices in `exclude`.
 *
 * Ties are broken by index: of two equal scores the lower index ranks first, so results are deterministic.
 * NaN scores rank as `-Infinity`. When fewer than `k` indices remain, all of them are returned. Runs in
 * O(n log k) with a fixed-size heap.
 * @throws UsageError when `k` is not a positive integer or an excluded index is out of range.
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): TopKResult {
  checkK(k);
  const n = scores.length;
  let mask: Uint8Array | null = null;
  if (exclude && exclude.length > 0) {
    mask = new Uint8Array(n);
    for (let i = 0; i < exclude.length; i++) {
      const e = exclude[i];
      if (!Number.isInteger(e) || e < 0 || e >= n) throw new UsageError(`topK: excluded index ${e} outside 0..${n - 1}`);
      mask[e] = 1;
    }
  }
  return selectTopK(scores, k, mask);
}
