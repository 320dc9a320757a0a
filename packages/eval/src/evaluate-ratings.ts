import type { RatingColumns, Scorer } from '@collab-ts/core';
import { mae, mse } from './rating-metrics.js';
import { checkColumns } from './validate.js';

/** Rating-prediction accuracy over a set of held-out ratings. */
export interface RatingEvaluation {
  mse: number;
  rmse: number;
  mae: number;
  /** Number of ratings scored. */
  n: number;
}

/**
 * Scores every (user, item) pair of `columns` with `scorer.predict` (one batched call) and compares the
 * predictions with the ratings.
 * @throws UsageError when `columns` is empty or holds an index the scorer does not know.
 */
export function evaluateRatings(scorer: Scorer, columns: RatingColumns): RatingEvaluation {
  checkColumns(columns, scorer.nUsers, scorer.nItems, 'evaluateRatings');
  const pred = scorer.predict(columns.users, columns.items);
  const m = mse(pred, columns.ratings);
  return { mse: m, rmse: Math.sqrt(m), mae: mae(pred, columns.ratings), n: columns.ratings.length };
}
