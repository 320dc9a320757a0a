import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '../../types.js';

/** The y-range sigmoid `lo + (hi - lo) * sigmoid(x)`, or `x` itself without a range. */
export function applyRange(x: tf.Tensor, yRange: [number, number] | null): tf.Tensor {
  return yRange ? tf.add(tf.scalar(yRange[0]), tf.mul(tf.scalar(yRange[1] - yRange[0]), tf.sigmoid(x))) : x;
}

/** Mean MSE of the ranged prediction, or mean BCE-with-logits of the raw score `x`. */
export function lossOf(x: tf.Tensor, y: tf.Tensor, yRange: [number, number] | null, loss: LossName): tf.Scalar {
  if (loss === 'bce') return tf.mean(tf.sub(tf.softplus(x), tf.mul(x, y)));
  return tf.mean(tf.square(tf.sub(applyRange(x, yRange), y)));
}
