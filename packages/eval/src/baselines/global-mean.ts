import type { RatingColumns, Scorer } from '@collab-ts/core';
import { checkPairs, globalMean, resolveShape, type BaselineShape } from './shape.js';

/** A scorer that predicts the training mean for every pair. */
export interface GlobalMeanBaseline extends Scorer {
  readonly mean: number;
}

/**
 * The simplest baseline: every prediction is the mean training rating (Surprise's reference point for RMSE).
 * `factors()` is `null`.
 * @throws UsageError when `train` is empty or holds indices outside the shape.
 */
export function globalMeanBaseline(train: RatingColumns, shape: BaselineShape = {}): GlobalMeanBaseline {
  const { nUsers, nItems } = resolveShape(train, shape, 'globalMeanBaseline');
  const mean = globalMean(train, 'globalMeanBaseline');
  return {
    nUsers,
    nItems,
    mean,
    predict(users, items) {
      checkPairs(users, items, nUsers, nItems, 'globalMeanBaseline');
      return new Float32Array(users.length).fill(mean);
    },
    factors: () => null,
  };
}
