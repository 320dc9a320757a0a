import { createRng, takeRows, UsageError, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset, type Split } from '../dataset.js';

/** Options of {@link randomSplit}. */
export interface RandomSplitOptions {
  /** Fraction of ratings for validation (default 0.2, like fastai's `valid_pct`). */
  validPct?: number;
  /** Seed of the shuffle (default 42). */
  seed?: number;
}

/** Sorts an index subset so the split keeps the source order of rows. */
function sorted(index: Uint32Array): Uint32Array {
  return index.sort();
}

/**
 * Splits ratings at random like fastai's `RandomSplitter`: a seeded permutation, the first
 * `floor(validPct * n)` rows of it for validation, the rest for training (both kept in source order).
 */
export function randomSplit(data: RatingsDataset | RatingColumns, options: RandomSplitOptions = {}): Split {
  const validPct = options.validPct ?? 0.2;
  const seed = options.seed ?? 42;
  if (!(validPct >= 0 && validPct < 1)) throw new UsageError(`validPct must be in [0, 1), got ${validPct}`);
  const r = columnsOf(data);
  const n = r.ratings.length;
  const perm = createRng(seed).permutation(n);
  const cut = Math.floor(validPct * n);
  return {
    name: `random(validPct=${validPct},seed=${seed})`,
    train: takeRows(r, sorted(perm.slice(cut))),
    valid: takeRows(r, sorted(perm.slice(0, cut))),
  };
}
