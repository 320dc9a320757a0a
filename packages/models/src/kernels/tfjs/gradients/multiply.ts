import * as tf from '@tensorflow/tfjs-core';
import { reduceTo } from './reduce-to.js';

/** d(a * b): dy * b and dy * a, summed over broadcast axes. */
export const multiplyGrad: tf.GradConfig = {
  kernelName: tf.Multiply,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return { a: () => reduceTo(tf.mul(g, b), a.shape), b: () => reduceTo(tf.mul(g, a), b.shape) };
  },
};
