import * as tf from '@tensorflow/tfjs-core';

/** d(x^2) = 2 x dy. */
export const squareGrad: tf.GradConfig = {
  kernelName: tf.Square,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.mul(saved[0], tf.scalar(2))) }),
};

/** d(sigmoid(x)) = y (1 - y) dy, from the saved output. */
export const sigmoidGrad: tf.GradConfig = {
  kernelName: tf.Sigmoid,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(tf.scalar(1), y))) };
  },
};

/** d(softplus(x)) = sigmoid(x) dy. */
export const softplusGrad: tf.GradConfig = {
  kernelName: tf.Softplus,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sigmoid(saved[0])) }),
};

/** d(relu(x)) = dy where x > 0, else 0. */
export const reluGrad: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.cast(tf.greater(saved[0], 0), 'float32')) }),
};

/** d(x^-1/2) = -1/2 x^-3/2 dy. */
export const rsqrtGrad: tf.GradConfig = {
  kernelName: tf.Rsqrt,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const r = tf.rsqrt(saved[0]);
    return { x: () => tf.mul(dy as tf.Tensor, tf.mul(tf.scalar(-0.5), tf.mul(r, tf.mul(r, r)))) };
  },
};

/** d(reshape(x)) = reshape(dy, x.shape). */
export const reshapeGrad: tf.GradConfig = {
  kernelName: tf.Reshape,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as tf.Tensor, saved[0].shape) }),
};
