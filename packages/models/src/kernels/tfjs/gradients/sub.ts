import * as tf from '@tensorflow/tfjs-core';
import { reduceTo } from './reduce-to.js';

/** d(a - b): dy and -dy, summed over broadcast axes. */
export const subGrad: tf.GradConfig = {
  kernelName: tf.Sub,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return { a: () => reduceTo(g, a.shape), b: () => reduceTo(tf.neg(g), b.shape) };
  },
};
