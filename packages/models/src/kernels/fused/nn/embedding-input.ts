import { SparseRowAccumulator } from '@collab-ts/core';
import type { Rng, SparseRowGrad } from '@collab-ts/core';
import { dropoutMask } from '../../nn-dropout.js';
import type { DenseOps, Mat } from './dense-ops.js';

/**
 * The input of `embedding-nn`: each row of the batch is the user's embedding followed by the item's
 * (fastai's concatenation), with embedding dropout; backward sends the row gradients to sparse accumulators,
 * so only the touched embedding rows get gradients.
 */
export class EmbeddingInput {
  private readonly ops: DenseOps;
  private readonly userEmb: Float32Array;
  private readonly itemEmb: Float32Array;
  private readonly userDim: number;
  private readonly itemDim: number;
  private readonly p: number;
  private readonly accUser: SparseRowAccumulator;
  private readonly accItem: SparseRowAccumulator;
  /** The concatenated embeddings, n x (userDim + itemDim). */
  x!: Mat;
  /** Gradient w.r.t. `x`, filled by the first block (or the head). */
  dx!: Mat;
  private mask!: Mat;

  constructor(ops: DenseOps, userEmb: Float32Array, itemEmb: Float32Array, dims: { nUsers: number; nItems: number; userDim: number; itemDim: number; dropout: number }) {
    this.ops = ops;
    this.userEmb = userEmb;
    this.itemEmb = itemEmb;
    this.userDim = dims.userDim;
    this.itemDim = dims.itemDim;
    this.p = dims.dropout;
    this.accUser = new SparseRowAccumulator(dims.nUsers, dims.userDim, 128);
    this.accItem = new SparseRowAccumulator(dims.nItems, dims.itemDim, 128);
  }

  get width(): number {
    return this.userDim + this.itemDim;
  }

  /** Allocates the input matrices for batches of up to `cap` rows (after the backend was reset). */
  allocate(cap: number): void {
    this.x = this.ops.matrix(cap, this.width);
    this.dx = this.ops.matrix(cap, this.width);
    this.mask = this.ops.matrix(cap, this.width);
  }

  /** Gathers the rows of the batch into `x` (dropout masks drawn first, before any block's). */
  forward(users: Int32Array, items: Int32Array, training: boolean, rng: Rng): void {
    const n = users.length;
    const { userDim, itemDim } = this;
    const D = this.width;
    const x = this.x.data;
    for (let b = 0; b < n; b++) {
      const o = b * D;
      const uo = users[b] * userDim;
      const io = items[b] * itemDim;
      for (let j = 0; j < userDim; j++) x[o + j] = this.userEmb[uo + j];
      for (let j = 0; j < itemDim; j++) x[o + userDim + j] = this.itemEmb[io + j];
    }
    if (training && this.p > 0) {
      const mask = this.mask.data;
      dropoutMask(rng, mask, n * D, this.p);
      for (let e = 0; e < n * D; e++) x[e] *= mask[e];
    }
  }

  /** Sums the rows of `dx` into the touched users' and items' gradient rows. */
  backward(users: Int32Array, items: Int32Array, training: boolean): void {
    const n = users.length;
    const { userDim, itemDim } = this;
    const D = this.width;
    const dx = this.dx.data;
    if (training && this.p > 0) {
      const mask = this.mask.data;
      for (let e = 0; e < n * D; e++) dx[e] *= mask[e];
    }
    this.accUser.reset();
    this.accItem.reset();
    for (let b = 0; b < n; b++) {
      const o = b * D;
      const su = this.accUser.slot(users[b]);
      const bu = this.accUser.buffer;
      for (let j = 0; j < userDim; j++) bu[su + j] += dx[o + j];
      const si = this.accItem.slot(items[b]);
      const bi = this.accItem.buffer;
      for (let j = 0; j < itemDim; j++) bi[si + j] += dx[o + userDim + j];
    }
  }

  /** The sparse gradients of the user and item tables from the last `backward`. */
  grads(): { user: SparseRowGrad; item: SparseRowGrad } {
    return { user: this.accUser.result(), item: this.accItem.result() };
  }
}
