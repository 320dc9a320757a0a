import type { RatingColumns, Scorer } from '@collab-ts/core';
import { checkPairs, globalMean, groupSums, resolveShape, type BaselineShape } from './shape.js';

/** A scorer that predicts each user's mean training rating. */
export interface UserMeanBaseline extends Scorer {
  readonly globalMean: number;
  /** Per-user means (the global mean for users without train ratings). */
  readonly userMeans: Float64Array;
}

/**
 * Predicts each user's mean training rating, whatever the item; users without train ratings get the global
 * mean. `factors()` is `null`.
 * @throws UsageError when `train` is empty or holds indices outside the shape.
 */
export function userMeanBaseline(train: RatingColumns, shape: BaselineShape = {}): UserMeanBaseline {
  const { nUsers, nItems } = resolveShape(train, shape, 'userMeanBaseline');
  const mu = globalMean(train, 'userMeanBaseline');
  const { sum, count } = groupSums(train.users, train.ratings, nUsers);
  const userMeans = new Float64Array(nUsers);
  for (let u = 0; u < nUsers; u++) userMeans[u] = count[u] > 0 ? sum[u] / count[u] : mu;
  return {
    nUsers,
    nItems,
    globalMean: mu,
    userMeans,
    predict(users, items) {
      checkPairs(users, items, nUsers, nItems, 'userMeanBaseline');
      const out = new Float32Array(users.length);
      for (let i = 0; i < users.length; i++) out[i] = userMeans[users[i]];
      return out;
    },
    factors: () => null,
  };
}
