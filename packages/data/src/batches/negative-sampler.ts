import { NegativeSampler, UsageError, userItemMatrix } from '@collab-ts/core';
import type { NegativeSamplerOptions, RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset } from '../dataset.js';

/**
 * The negative sampler for training with sampled negatives (BPR, WARP-style losses, sampled softmax): it
 * draws, for a user, an item the user has not interacted with, uniformly or in proportion to the item's
 * popularity to the power `beta` (0.75 as word2vec), from a seeded generator, and never returns an item the
 * user interacted with while another exists. Its kernel lives in `@collab-ts/core` (so model families use it
 * without depending on this package) and is re-exported here beside the {@link BatchLoader}: a loader yields
 * the positive (user, item) pairs, the sampler a negative item for each.
 *
 * @example
 * ```ts
 * const loader = new BatchLoader(split.train, { bs: 1024, seed: 1 });
 * const sampler = negativeSampler(split.train, { nUsers, nItems, distribution: 'popularity', seed: 1 });
 * const negatives = new Int32Array(1024);
 * for (const batch of loader.epoch(0)) {
 *   sampler.fill(batch.users, negatives);   // negatives[k] is an item batch.users[k] has not seen
 * }
 * ```
 */
export { NegativeSampler };
export type { NegativeSamplerOptions, NegativeDistribution } from '@collab-ts/core';

/** Options of {@link negativeSampler}: the sampler's, and the table sizes for bare rating columns. */
export interface NegativeSamplerFor extends NegativeSamplerOptions {
  /** Number of users (default: a dataset's vocabulary size, or the largest user index + 1). */
  nUsers?: number;
  /** Number of items (default: a dataset's vocabulary size, or the largest item index + 1). */
  nItems?: number;
}

/**
 * Builds a {@link NegativeSampler} over the interactions of a dataset or of rating columns (every row counts
 * as an interaction, whatever its rating; filter first, for example with `toInteractions`, to exclude some).
 * @throws UsageError when an index lies outside `nUsers` / `nItems`.
 */
export function negativeSampler(data: RatingsDataset | RatingColumns, options: NegativeSamplerFor = {}): NegativeSampler {
  const cols = columnsOf(data);
  const ds = 'source' in data ? data : null;
  const nUsers = options.nUsers ?? ds?.users.size ?? maxPlusOne(cols.users);
  const nItems = options.nItems ?? ds?.items.size ?? maxPlusOne(cols.items);
  if (!(nItems > 0)) throw new UsageError('negativeSampler: there are no items');
  return new NegativeSampler(userItemMatrix(cols, nUsers, nItems), options);
}

function maxPlusOne(a: Int32Array): number {
  let m = -1;
  for (let k = 0; k < a.length; k++) if (a[k] > m) m = a[k];
  return m + 1;
}
