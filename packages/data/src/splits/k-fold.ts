import { createRng, takeRows, UsageError, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset, type Split } from '../dataset.js';

/** Options of {@link kFoldSplits}. */
export interface KFoldOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Seed of the shuffle (default 42). */
  seed?: number;
}

/**
 * K-fold cross-validation splits: one seeded permutation cut into `k` near-equal folds; split `f` validates
 * on fold `f` and trains on the others. Every rating is validated exactly once across the `k` splits.
 */
export function kFoldSplits(data: RatingsDataset | RatingColumns, options: KFoldOptions = {}): Split[] {
  const k = options.k ?? 5;
  const seed = options.seed ?? 42;
  const r = columnsOf(data);
  const n = r.ratings.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new UsageError(`k must be an integer in [2, ${n}], got ${k}`);
  const perm = createRng(seed).permutation(n);
  const splits: Split[] = [];
  for (let f = 0; f < k; f++) {
    const lo = Math.floor((f * n) / k);
    const hi = Math.floor(((f + 1) * n) / k);
    const valid = perm.slice(lo, hi).sort();
    const train = new Uint32Array(n - (hi - lo));
    train.set(perm.subarray(0, lo));
    train.set(perm.subarray(hi), lo);
    train.sort();
    splits.push({ name: `fold${f + 1}of${k}`, train: takeRows(r, train), valid: takeRows(r, valid) });
  }
  return splits;
}
