import type { RatingColumns, Scorer } from '@collab-ts/core';
import { checkPairs, globalMean, groupSums, resolveShape, type BaselineShape } from './shape.js';

/** A scorer that predicts each item's mean training rating. */
export interface ItemMeanBaseline extends Scorer {
  readonly globalMean: number;
  /** Per-item means (the global mean for items without train ratings). */
  readonly itemMeans: Float64Array;
}

/**
 * Predicts each item's mean training rating, whoever the user; items without train ratings get the global
 * mean. `factors()` is `null`.
 * @throws UsageError when `train` is empty or holds indices outside the shape.
 */
export function itemMeanBaseline(train: RatingColumns, shape: BaselineShape = {}): ItemMeanBaseline {
  const { nUsers, nItems } = resolveShape(train, shape, 'itemMeanBaseline');
  const mu = globalMean(train, 'itemMeanBaseline');
  const { sum, count } = groupSums(train.items, train.ratings, nItems);
  const itemMeans = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) itemMeans[i] = count[i] > 0 ? sum[i] / count[i] : mu;
  return {
    nUsers,
    nItems,
    globalMean: mu,
    itemMeans,
    predict(users, items) {
      checkPairs(users, items, nUsers, nItems, 'itemMeanBaseline');
      const out = new Float32Array(users.length);
      for (let i = 0; i < users.length; i++) out[i] = itemMeans[items[i]];
      return out;
    },
    factors: () => null,
  };
}
