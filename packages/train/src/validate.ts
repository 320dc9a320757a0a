import type { RatingColumns, Scorer } from '@collab-ts/core';
import type { ValidMetrics } from './callback.js';

/** MSE, RMSE and MAE of a scorer's predictions on rating columns, predicted in chunks of `chunk` rows. */
export function ratingErrors(scorer: Scorer, cols: RatingColumns, chunk = 8192): ValidMetrics {
  const n = cols.ratings.length;
  let se = 0;
  let ae = 0;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const pred = scorer.predict(cols.users.subarray(start, end), cols.items.subarray(start, end));
    // accumulate in doubles: float32 sums over 20k+ terms lose digits
    for (let i = 0; i < pred.length; i++) {
      const e = pred[i] - cols.ratings[start + i];
      se += e * e;
      ae += Math.abs(e);
    }
  }
  const mse = n > 0 ? se / n : NaN;
  return { mse, rmse: Math.sqrt(mse), mae: n > 0 ? ae / n : NaN };
}
