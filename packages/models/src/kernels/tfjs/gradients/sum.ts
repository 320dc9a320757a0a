import * as tf from '@tensorflow/tfjs-core';

/** Shape of a reduction's output with the reduced axes kept as 1. */
export function keptShape(shape: number[], axis: number | number[] | null | undefined): number[] {
  const axes = axis === null || axis === undefined ? shape.map((_, i) => i) : Array.isArray(axis) ? axis : [axis];
  const out = shape.slice();
  for (const a of axes) out[a < 0 ? a + shape.length : a] = 1;
  return out;
}

/** d(sum(x, axis)): dy broadcast back over the reduced axes. */
export const sumGrad: tf.GradConfig = {
  kernelName: tf.Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const axis = (attrs as unknown as tf.SumAttrs).axis;
    return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, keptShape(x.shape, axis)), tf.ones(x.shape)) };
  },
};
