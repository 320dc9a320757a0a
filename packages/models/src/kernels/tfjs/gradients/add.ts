import * as tf from '@tensorflow/tfjs-core';
import { reduceTo } from './reduce-to.js';

/** d(a + b): dy, summed over broadcast axes. */
export const addGrad: tf.GradConfig = {
  kernelName: tf.Add,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved) => {
    const [a, b] = saved;
    const g = dy as tf.Tensor;
    return { a: () => reduceTo(g, a.shape), b: () => reduceTo(g, b.shape) };
  },
};
