import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import { registerGradients } from './register.js';

/** Central finite differences of a scalar tfjs function, one input entry at a time (float32, so eps 1e-2). */
function checkGrad(f: (...xs: tf.Tensor[]) => tf.Scalar, shapes: number[][], seed = 1, positive = false): number {
  const rng = createRng(seed);
  const values = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => (positive ? 0.5 + rng.next() : rng.normal())));
  const evalAt = (vals: Float32Array[]): number => tf.tidy(() => f(...vals.map((v, k) => tf.tensor(v, shapes[k]))).dataSync()[0]);
  const analytic = tf.tidy(() => tf.grads(f)(values.map((v, k) => tf.tensor(v, shapes[k]))).map((g) => g.dataSync().slice()));
  let worst = 0;
  const eps = 1e-2;
  values.forEach((v, k) => {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      v[i] = x + eps;
      const hi = evalAt(values);
      v[i] = x - eps;
      const lo = evalAt(values);
      v[i] = x;
      const fd = (hi - lo) / (2 * eps);
      worst = Math.max(worst, Math.abs(fd - analytic[k][i]) / Math.max(1, Math.abs(fd)));
    }
  });
  return worst;
}

describe('registered tfjs gradients', () => {
  beforeAll(async () => {
    registerGradients();
    await tf.setBackend('cpu');
  });
  const TOL = 5e-3;
  // weights make every output entry matter differently
  const w = (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(t, tf.reshape(tf.range(1, t.size + 1), t.shape)));

  it('Add, Sub, Multiply with broadcasting', () => {
    expect(checkGrad((a, b) => w(tf.add(a, b)), [[3, 4], [4]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.sub(a, b)), [[3, 1], [3, 4]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.mul(a, b)), [[2, 3], [1, 3]])).toBeLessThan(TOL);
  });
  it('Sum and Mean over axes, Square, Reshape, Concat', () => {
    expect(checkGrad((a) => w(tf.sum(a, 1)), [[3, 4]])).toBeLessThan(TOL);
    expect(checkGrad((a) => w(tf.mean(a, 0)), [[3, 4]])).toBeLessThan(TOL);
    expect(checkGrad((a) => tf.mean(tf.square(a)), [[5]])).toBeLessThan(TOL);
    expect(checkGrad((a) => w(tf.reshape(a, [6])), [[2, 3]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.concat([a, b], 1)), [[2, 3], [2, 2]])).toBeLessThan(TOL);
  });
  it('Sigmoid, Softplus, Relu, Rsqrt', () => {
    expect(checkGrad((a) => w(tf.sigmoid(a)), [[6]])).toBeLessThan(TOL);
    expect(checkGrad((a) => w(tf.softplus(a)), [[6]])).toBeLessThan(TOL);
    expect(checkGrad((a) => w(tf.relu(a)), [[6]], 3)).toBeLessThan(TOL);
    expect(checkGrad((a) => w(tf.rsqrt(a)), [[6]], 1, true)).toBeLessThan(TOL);
  });
  it('BatchMatMul with every transpose combination', () => {
    expect(checkGrad((a, b) => w(tf.matMul(a, b)), [[2, 3], [3, 4]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.matMul(a, b, false, true)), [[2, 3], [4, 3]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.matMul(a, b, true, false)), [[3, 2], [3, 4]])).toBeLessThan(TOL);
    expect(checkGrad((a, b) => w(tf.matMul(a, b, true, true)), [[3, 2], [4, 3]])).toBeLessThan(TOL);
  });
});
