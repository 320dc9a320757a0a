import type { DenseGrad, Gradients, ParamStore, Rng } from '@collab-ts/core';
import type { HiddenLayout } from '../../../models/embedding-nn.js';
import { dropoutMask } from '../../nn-dropout.js';
import type { BatchNormKernel, BatchNormParams } from './batch-norm.js';
import { firstRows } from './dense-ops.js';
import type { DenseOps, Mat } from './dense-ops.js';

/** A dense gradient registered under a parameter's name, in the engine's reused gradient map. */
export function denseGrad(grads: Gradients, params: ParamStore, name: string): DenseGrad {
  const g: DenseGrad = { kind: 'dense', values: new Float32Array(params.get(name).data.length) };
  grads.set(name, g);
  return g;
}

/**
 * One hidden block of `embedding-nn`: Linear (a batched product x·Wᵀ on the dense backend) -> ReLU ->
 * BatchNorm1d -> Dropout, forward and backward. Parameters stay in the parameter store (the optimizer's
 * arrays); the block copies W into its backend before each pass, so products read it in place.
 */
export class DenseBlock {
  readonly inSize: number;
  readonly outSize: number;
  private readonly ops: DenseOps;
  private readonly w: Float32Array;
  private readonly bias: Float32Array | null;
  private readonly bn: BatchNormParams | null;
  private bnKernel: BatchNormKernel | null = null;
  private readonly biasSums: Float64Array;
  private readonly p: number;
  private readonly gW: DenseGrad;
  private readonly gBias: DenseGrad | null;
  private readonly gGamma: DenseGrad | null;
  private readonly gBeta: DenseGrad | null;
  // backend matrices (allocated for the largest batch by `allocate`)
  private wCopy!: Mat;
  private biasCopy: Mat | null = null;
  private gWOut!: Mat;
  private z!: Mat; // pre-activation
  private xhat!: Mat; // normalised ReLU output (the ReLU output without batch norm)
  /** Block output, input of the next block. */
  out!: Mat;
  private mask!: Mat; // dropout scale per element
  /** Gradient w.r.t. `out` (the next block's input gradient), turned into d/dz in place by `backward`. */
  dOut!: Mat;

  constructor(ops: DenseOps, h: HiddenLayout, params: ParamStore, grads: Gradients) {
    this.ops = ops;
    this.inSize = h.inSize;
    this.outSize = h.outSize;
    this.w = params.get(h.weight).data;
    this.bias = h.bias ? params.get(h.bias).data : null;
    this.bn = h.bn
      ? {
          gamma: params.get(h.bn.weight).data,
          beta: params.get(h.bn.bias).data,
          runMean: params.get(h.bn.runningMean).data,
          runVar: params.get(h.bn.runningVar).data,
        }
      : null;
    this.p = h.dropout;
    this.biasSums = new Float64Array(h.outSize);
    this.gW = denseGrad(grads, params, h.weight);
    this.gBias = h.bias ? denseGrad(grads, params, h.bias) : null;
    this.gGamma = h.bn ? denseGrad(grads, params, h.bn.weight) : null;
    this.gBeta = h.bn ? denseGrad(grads, params, h.bn.bias) : null;
  }

  /** Allocates the block's matrices for batches of up to `cap` rows (after the backend was reset). */
  allocate(cap: number): void {
    const H = this.outSize;
    this.wCopy = this.ops.matrix(H, this.inSize);
    this.biasCopy = this.bias ? this.ops.matrix(1, H) : null;
    this.gWOut = this.ops.matrix(H, this.inSize);
    this.z = this.ops.matrix(cap, H);
    this.xhat = this.ops.matrix(cap, H);
    this.out = this.ops.matrix(cap, H);
    this.mask = this.ops.matrix(cap, H);
    this.dOut = this.ops.matrix(cap, H);
    this.bnKernel = this.bn ? this.ops.batchNorm(H) : null;
  }

  /** Copies the current weights (the optimizer moves them between steps) into the backend. */
  syncWeights(): void {
    this.wCopy.data.set(this.w);
    if (this.biasCopy) this.biasCopy.data.set(this.bias!);
  }

  /** `out` = Dropout(BatchNorm(ReLU(x·Wᵀ + b))) for the first `n` rows of `x`. */
  forward(x: Mat, n: number, training: boolean, rng: Rng): void {
    const H = this.outSize;
    this.ops.product(firstRows(x, n), this.wCopy, firstRows(this.z, n), { transB: true, colBias: this.biasCopy });
    if (this.bn) this.bnKernel!.forward(this.z, this.xhat, this.out, n, this.bn, training);
    else {
      const z = this.z.data;
      const xhat = this.xhat.data;
      const out = this.out.data;
      for (let e = 0; e < n * H; e++) {
        xhat[e] = Math.max(0, z[e]);
        out[e] = xhat[e];
      }
    }
    if (training && this.p > 0) {
      const out = this.out.data;
      const mask = this.mask.data;
      dropoutMask(rng, mask, n * H, this.p);
      for (let e = 0; e < n * H; e++) out[e] *= mask[e];
    }
  }

  /**
   * From `dOut` (filled by the next block or the head): the parameter gradients, and the gradient w.r.t. the
   * block input `x` into `dx` (`null` skips it). `dOut` is overwritten with d/dz.
   */
  backward(x: Mat, dx: Mat | null, n: number, training: boolean): void {
    const H = this.outSize;
    const dy = this.dOut.data;
    const z = this.z.data;
    if (training && this.p > 0) {
      const mask = this.mask.data;
      for (let e = 0; e < n * H; e++) dy[e] *= mask[e];
    }
    if (this.bn) {
      this.bnKernel!.backward(this.dOut, this.z, this.xhat, n, this.bn.gamma, training, this.gGamma!.values, this.gBeta!.values);
    } else {
      for (let e = 0; e < n * H; e++) if (!(z[e] > 0)) dy[e] = 0;
    }
    if (this.gBias) {
      const gb = this.biasSums;
      gb.fill(0);
      for (let b = 0; b < n; b++) for (let o = 0; o < H; o++) gb[o] += dy[b * H + o];
      for (let o = 0; o < H; o++) this.gBias.values[o] = gb[o];
    }
    // dW = dzᵀ·x and dx = dz·W: two batched products (views taken per call: a product may grow the arena)
    this.ops.product(firstRows(this.dOut, n), firstRows(x, n), this.gWOut, { transA: true });
    this.gW.values.set(this.gWOut.data);
    if (dx) this.ops.product(firstRows(this.dOut, n), this.wCopy, firstRows(dx, n));
  }
}
