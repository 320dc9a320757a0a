import type { DenseGrad } from '@collab-ts/core';
import type { Mat } from './dense-ops.js';

/**
 * The last Linear layer of `embedding-nn` (width -> 1): one dot product a row, too narrow for the blocked
 * product, so it is a plain loop in double. Scores land in `score` (before the y-range).
 */
export class OutputHead {
  private readonly w: Float32Array;
  private readonly b: Float32Array;
  private readonly gW: DenseGrad;
  private readonly gB: DenseGrad;
  private readonly gw64: Float64Array;
  score = new Float64Array(0);
  /** d(loss)/d(score), filled by the loss. */
  gScore = new Float64Array(0);

  constructor(w: Float32Array, b: Float32Array, gW: DenseGrad, gB: DenseGrad) {
    this.w = w;
    this.b = b;
    this.gW = gW;
    this.gB = gB;
    this.gw64 = new Float64Array(w.length);
  }

  allocate(cap: number): void {
    this.score = new Float64Array(cap);
    this.gScore = new Float64Array(cap);
  }

  forward(x: Mat, n: number): void {
    const I = this.w.length;
    const xd = x.data;
    for (let b = 0; b < n; b++) {
      let acc = this.b[0];
      for (let i = 0; i < I; i++) acc += xd[b * I + i] * this.w[i];
      this.score[b] = acc;
    }
  }

  /** Gradients of the head's weight and bias, and d(loss)/dx into `dx`. */
  backward(x: Mat, dx: Mat, n: number): void {
    const I = this.w.length;
    const xd = x.data;
    const dxd = dx.data;
    const gw = this.gw64;
    gw.fill(0);
    let gb = 0;
    for (let b = 0; b < n; b++) {
      const g = this.gScore[b];
      gb += g;
      for (let i = 0; i < I; i++) {
        gw[i] += g * xd[b * I + i];
        dxd[b * I + i] = g * this.w[i];
      }
    }
    this.gW.values.set(gw);
    this.gB.values[0] = gb;
  }
}
