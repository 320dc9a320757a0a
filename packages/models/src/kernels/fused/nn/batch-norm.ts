import { BN_EPS, BN_MOMENTUM } from '../../../models/embedding-nn.js';
import type { FloatArray, Mat } from './dense-ops.js';

/** The parameters and running statistics of one BatchNorm1d (PyTorch layout, float32 parameter views). */
export interface BatchNormParams {
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
  readonly runMean: Float32Array;
  readonly runVar: Float32Array;
}

/** Per-feature statistics of the current batch (kept for the backward pass) and the backward's sums. */
export class BatchNormStats {
  readonly mean: Float64Array;
  readonly invStd: Float64Array;
  /** Backward scratch: sums of dxhat, of dxhat * xhat, and the gamma and beta gradients, in double. */
  readonly sums: Float64Array[];

  constructor(h: number) {
    this.mean = new Float64Array(h);
    this.invStd = new Float64Array(h);
    this.sums = [0, 1, 2, 3].map(() => new Float64Array(h));
  }
}

/**
 * ReLU then batch norm over the n x h pre-activations `z`: `xhat = (relu(z) - mean) * invStd` and
 * `out = gamma * xhat + beta`. Training uses the batch's statistics (biased variance) and moves the running
 * ones (unbiased variance, momentum 0.1, as PyTorch); evaluation uses the running ones. Sums are in double.
 */
export function batchNormForward(
  z: FloatArray, xhat: FloatArray, out: FloatArray, n: number, h: number,
  p: BatchNormParams, st: BatchNormStats, training: boolean,
): void {
  const { mean, invStd } = st;
  if (training) {
    // one pass: xhat holds relu(z) for now; per feature the sum and the sum of squares, in double
    const sq = st.sums[0];
    mean.fill(0);
    sq.fill(0);
    for (let b = 0; b < n; b++) {
      const row = b * h;
      for (let o = 0; o < h; o++) {
        const zv = z[row + o];
        const a = zv > 0 ? zv : 0;
        xhat[row + o] = a;
        mean[o] += a;
        sq[o] += a * a;
      }
    }
    for (let o = 0; o < h; o++) {
      const mu = mean[o] / n;
      const v = Math.max(0, sq[o] / n - mu * mu);
      mean[o] = mu;
      p.runMean[o] = (1 - BN_MOMENTUM) * p.runMean[o] + BN_MOMENTUM * mu;
      p.runVar[o] = (1 - BN_MOMENTUM) * p.runVar[o] + BN_MOMENTUM * (n > 1 ? (v * n) / (n - 1) : v);
      invStd[o] = 1 / Math.sqrt(v + BN_EPS);
    }
  } else {
    for (let o = 0; o < h; o++) {
      mean[o] = p.runMean[o];
      invStd[o] = 1 / Math.sqrt(p.runVar[o] + BN_EPS);
    }
    for (let e = 0; e < n * h; e++) {
      const zv = z[e];
      xhat[e] = zv > 0 ? zv : 0;
    }
  }
  const { gamma, beta } = p;
  for (let b = 0; b < n; b++) {
    const row = b * h;
    for (let o = 0; o < h; o++) {
      const xh = (xhat[row + o] - mean[o]) * invStd[o];
      xhat[row + o] = xh;
      out[row + o] = gamma[o] * xh + beta[o];
    }
  }
}

/**
 * Backward of {@link batchNormForward}, in place: `dy` (the gradient w.r.t. `out`) becomes the gradient
 * w.r.t. `z` (through the batch statistics in training, the fixed ones in evaluation, then the ReLU gate).
 * Writes the gradients of gamma and beta. With gg = sum(dy * xhat) and gb = sum(dy) per feature, training
 * gives `dz = gamma * invStd * (dy - gb / n - xhat * gg / n)` where z > 0.
 */
export function batchNormBackward(
  dy: FloatArray, z: FloatArray, xhat: FloatArray, n: number, h: number, gamma: Float32Array, st: BatchNormStats,
  training: boolean, gGamma: Float32Array, gBeta: Float32Array,
): void {
  const invStd = st.invStd;
  const [gg, gb, scale, shift] = st.sums;
  gg.fill(0);
  gb.fill(0);
  for (let b = 0; b < n; b++) {
    const row = b * h;
    for (let o = 0; o < h; o++) {
      const d = dy[row + o];
      gg[o] += d * xhat[row + o];
      gb[o] += d;
    }
  }
  // dz = scale * dy - shift - xhat * gg * scale / n, where the terms that are per feature are folded
  for (let o = 0; o < h; o++) {
    gGamma[o] = gg[o];
    gBeta[o] = gb[o];
    scale[o] = gamma[o] * invStd[o];
    shift[o] = training ? (scale[o] * gb[o]) / n : 0;
    gg[o] = training ? (scale[o] * gg[o]) / n : 0;
  }
  for (let b = 0; b < n; b++) {
    const row = b * h;
    for (let o = 0; o < h; o++) {
      const e = row + o;
      dy[e] = z[e] > 0 ? scale[o] * dy[e] - shift[o] - xhat[e] * gg[o] : 0;
    }
  }
}

/**
 * ReLU + BatchNorm1d over the first n rows of n x h activations, forward and backward: the JS functions above,
 * or a WebAssembly SIMD implementation of the same passes (batch-norm-wasm.ts).
 */
export interface BatchNormKernel {
  /** `xhat`, `out` from the pre-activations `z` (see {@link batchNormForward}). */
  forward(z: Mat, xhat: Mat, out: Mat, n: number, p: BatchNormParams, training: boolean): void;
  /** `dy` becomes d/dz in place; writes the gradients of gamma and beta (see {@link batchNormBackward}). */
  backward(dy: Mat, z: Mat, xhat: Mat, n: number, gamma: Float32Array, training: boolean, gGamma: Float32Array, gBeta: Float32Array): void;
}

/** The JS batch norm for h features (any float storage). */
export function jsBatchNorm(h: number): BatchNormKernel {
  const st = new BatchNormStats(h);
  return {
    forward: (z, xhat, out, n, p, training) => batchNormForward(z.data, xhat.data, out.data, n, h, p, st, training),
    backward: (dy, z, xhat, n, gamma, training, gGamma, gBeta) =>
      batchNormBackward(dy.data, z.data, xhat.data, n, h, gamma, st, training, gGamma, gBeta),
  };
}
