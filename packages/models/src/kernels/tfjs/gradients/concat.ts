import * as tf from '@tensorflow/tfjs-core';

/** d(concat(xs, axis)): dy split back into the inputs' widths. */
export const concatGrad: tf.GradConfig = {
  kernelName: tf.Concat,
  saveAllInputs: true,
  gradFunc: (dy, saved, attrs) => {
    const raw = (attrs as unknown as tf.ConcatAttrs).axis;
    const axis = raw < 0 ? raw + saved[0].rank : raw;
    const parts = tf.split(dy as tf.Tensor, saved.map((t) => t.shape[axis]), axis);
    return parts.map((p) => () => p) as unknown as ReturnType<tf.GradConfig['gradFunc']>;
  },
};
