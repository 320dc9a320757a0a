import type { LossName } from '../../../types.js';

/** The optional output range: predictions are `lo + span * sigmoid(score)`. */
export interface ScoreRange {
  readonly hasRange: boolean;
  readonly lo: number;
  readonly span: number;
}

/**
 * Mean loss of the first n scores against the ratings, and d(mean loss)/d(score) into `gScore`: BCE with
 * logits, or MSE of the (y-ranged) prediction. In double.
 */
export function scoreLoss(score: Float64Array, gScore: Float64Array, ratings: Float32Array, loss: LossName, r: ScoreRange): number {
  const n = ratings.length;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const x = score[b];
    const y = ratings[b];
    if (loss === 'bce') {
      total += (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))) - x * y;
      gScore[b] = (1 / (1 + Math.exp(-x)) - y) / n;
    } else if (r.hasRange) {
      const s = 1 / (1 + Math.exp(-x));
      const e = r.lo + r.span * s - y;
      total += e * e;
      gScore[b] = ((2 * e) / n) * r.span * s * (1 - s);
    } else {
      const e = x - y;
      total += e * e;
      gScore[b] = (2 * e) / n;
    }
  }
  return total / n;
}

/** The prediction of a score: through the y-range sigmoid when there is one. */
export function predictionOf(x: number, r: ScoreRange): number {
  return r.hasRange ? r.lo + r.span / (1 + Math.exp(-x)) : x;
}
