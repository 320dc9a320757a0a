import * as tf from '@tensorflow/tfjs-core';
import { keptShape } from './sum.js';

/** d(mean(x, axis)): dy / count, broadcast back over the reduced axes. */
export const meanGrad: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axis = (attrs as unknown as tf.MeanAttrs).axis;
    const kept = keptShape(x.shape, axis);
    const count = x.size / kept.reduce((a, b) => a * b, 1);
    return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, kept), tf.fill(x.shape, 1 / count)) };
  },
};
