import type { RatingColumns, Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { countFromIndex } from '../validate.js';
import { checkPairs, type BaselineShape } from './shape.js';

/**
 * How often each item was rated in `train` (optionally only ratings `>= minRating`): the popularity
 * signal behind {@link popularityRanker} and the cold-start fallback.
 */
export function itemPopularity(train: RatingColumns, nItems: number, minRating?: number): Float64Array {
  const counts = new Float64Array(nItems);
  for (let j = 0; j < train.items.length; j++) {
    const i = train.items[j];
    if (i < 0 || i >= nItems) throw new UsageError(`itemPopularity: item index ${i} outside 0..${nItems - 1}`);
    if (minRating === undefined || train.ratings[j] >= minRating) counts[i]++;
  }
  return counts;
}

/** Options of {@link popularityRanker}. */
export interface PopularityOptions extends BaselineShape {
  /** Count only ratings at or above this value (default: every rating counts). */
  minRating?: number;
}

/** A scorer whose score for (u, i) is item i's train rating count. */
export interface PopularityRanker extends Scorer {
  readonly popularity: Float64Array;
}

/**
 * The most-popular ranking baseline: every user gets the items with the most train ratings first (ties by
 * item index in every ranking function of this package). Its scores are counts, not ratings: use it for
 * ranking metrics, not RMSE. `factors()` is `null`. Only the item indices of `train` are checked: the counts
 * may come from other users than the `nUsers` it ranks for (for example, new users in a cold-start study).
 */
export function popularityRanker(train: RatingColumns, options: PopularityOptions = {}): PopularityRanker {
  // only items matter: the ratings may come from other users than the ones ranked (e.g. new users)
  const nUsers = options.nUsers ?? countFromIndex(train.users);
  const nItems = options.nItems ?? countFromIndex(train.items);
  if (!Number.isInteger(nUsers) || nUsers < 0 || !Number.isInteger(nItems) || nItems < 0) {
    throw new UsageError('popularityRanker: nUsers and nItems must be non-negative integers');
  }
  const popularity = itemPopularity(train, nItems, options.minRating);
  return {
    nUsers,
    nItems,
    popularity,
    predict(users, items) {
      checkPairs(users, items, nUsers, nItems, 'popularityRanker');
      const out = new Float32Array(users.length);
      for (let j = 0; j < items.length; j++) out[j] = popularity[items[j]];
      return out;
    },
    factors: () => null,
  };
}
