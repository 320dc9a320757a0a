import { UsageError } from '@collab-ts/core';

function checkPair(pred: ArrayLike<number>, target: ArrayLike<number>): void {
  if (pred.length !== target.length) {
    throw new UsageError(`predictions and targets differ in length (${pred.length} vs ${target.length})`);
  }
  if (pred.length === 0) throw new UsageError('cannot compute a rating metric over zero ratings');
}

/**
 * Mean squared error between predictions and targets, accumulated in double precision
 * (fastai's `MSELossFlat` on a validation set).
 * @throws UsageError when the lengths differ or are zero.
 */
export function mse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  checkPair(pred, target);
  let s = 0;
  for (let i = 0; i < pred.length; i++) {
    const d = pred[i] - target[i];
    s += d * d;
  }
  return s / pred.length;
}

/** Root mean squared error (Surprise's `accuracy.rmse`). @throws UsageError when the lengths differ or are zero. */
export function rmse(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  return Math.sqrt(mse(pred, target));
}

/** Mean absolute error (Surprise's `accuracy.mae`). @throws UsageError when the lengths differ or are zero. */
export function mae(pred: ArrayLike<number>, target: ArrayLike<number>): number {
  checkPair(pred, target);
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - target[i]);
  return s / pred.length;
}
