import * as tf from '@tensorflow/tfjs-core';

/** Sums a broadcast gradient back to an input's shape (the inverse of broadcasting). */
export function reduceTo(dy: tf.Tensor, shape: number[]): tf.Tensor {
  const axes: number[] = [];
  const lead = dy.rank - shape.length;
  for (let a = 0; a < dy.rank; a++) {
    if (a < lead || (shape[a - lead] === 1 && dy.shape[a] !== 1)) axes.push(a);
  }
  return axes.length ? tf.reshape(tf.sum(dy, axes), shape) : dy;
}
