import type { Gradients, ParamStore, RatingBatch, Rng } from '@collab-ts/core';
import { nnLayout } from '../../../models/embedding-nn.js';
import type { NNLayout } from '../../../models/embedding-nn.js';
import type { LossAndGrads, LossName, ModelConfig } from '../../../types.js';
import type { Engine } from '../../engine.js';
import { nnDropoutRng } from '../../nn-dropout.js';
import { DenseBlock, denseGrad } from './dense-block.js';
import { arenaDenseOps } from './dense-ops.js';
import type { DenseOps, Mat } from './dense-ops.js';
import { EmbeddingInput } from './embedding-input.js';
import { predictionOf, scoreLoss } from './loss.js';
import type { ScoreRange } from './loss.js';
import { OutputHead } from './output-head.js';

/** Rows per forward pass in evaluation and prediction (sizes the activations once). */
const PREDICT_CHUNK = 1024;

/**
 * The `fused` engine of `embedding-nn`: embeddings -> hidden blocks (Linear as batched products on core's
 * WebAssembly SIMD GEMM, ReLU, BatchNorm1d, Dropout) -> Linear head -> loss, forward and backward by hand over
 * activations preallocated in a dense backend; embedding row gradients go to sparse accumulators.
 */
export class FusedNNEngine implements Engine {
  readonly backend = 'fused' as const;
  private readonly layout: NNLayout;
  private readonly ops: DenseOps;
  private readonly input: EmbeddingInput;
  private readonly blocks: DenseBlock[];
  private readonly head: OutputHead;
  private readonly grads: Gradients = new Map();
  private readonly rng: Rng;
  private readonly range: ScoreRange;
  private cap = 0;

  /** `ops` picks where activations live and how they are multiplied (default: a float32 GEMM arena). */
  constructor(config: ModelConfig, params: ParamStore, ops: DenseOps = arenaDenseOps()) {
    const l = nnLayout(config);
    this.layout = l;
    this.ops = ops;
    this.input = new EmbeddingInput(ops, params.get(l.userEmb).data, params.get(l.itemEmb).data, {
      nUsers: config.nUsers,
      nItems: config.nItems,
      userDim: l.userDim,
      itemDim: l.itemDim,
      dropout: l.embDropout,
    });
    this.blocks = l.hidden.map((h) => new DenseBlock(ops, h, params, this.grads));
    this.head = new OutputHead(
      params.get(l.outWeight).data,
      params.get(l.outBias).data,
      denseGrad(this.grads, params, l.outWeight),
      denseGrad(this.grads, params, l.outBias),
    );
    this.rng = nnDropoutRng(config.seed);
    this.range = {
      hasRange: config.yRange !== null,
      lo: config.yRange?.[0] ?? 0,
      span: config.yRange ? config.yRange[1] - config.yRange[0] : 1,
    };
  }

  /** Room for batches of n rows: everything is reallocated together when a larger batch arrives. */
  private ensure(n: number): void {
    if (n <= this.cap) return;
    this.ops.reset();
    this.input.allocate(n);
    for (const b of this.blocks) b.allocate(n);
    this.head.allocate(n);
    this.cap = n;
  }

  /** Output of the last block (the embeddings without hidden layers), and the gradient slot for it. */
  private last(): { x: Mat; dx: Mat } {
    const L = this.blocks.length;
    return L ? { x: this.blocks[L - 1].out, dx: this.blocks[L - 1].dOut } : { x: this.input.x, dx: this.input.dx };
  }

  /** Forward pass; scores (before the y-range) land in `head.score`. */
  private forward(users: Int32Array, items: Int32Array, training: boolean): void {
    const n = users.length;
    this.ensure(n);
    for (const b of this.blocks) b.syncWeights();
    this.input.forward(users, items, training, this.rng);
    let x = this.input.x;
    for (const b of this.blocks) {
      b.forward(x, n, training, this.rng);
      x = b.out;
    }
    this.head.forward(x, n);
  }

  private backward(users: Int32Array, items: Int32Array, training: boolean): void {
    const n = users.length;
    const { x, dx } = this.last();
    this.head.backward(x, dx, n);
    for (let l = this.blocks.length - 1; l >= 0; l--) {
      const below = l === 0 ? { out: this.input.x, dOut: this.input.dx } : this.blocks[l - 1];
      this.blocks[l].backward(below.out, below.dOut, n, training);
    }
    this.input.backward(users, items, training);
  }

  lossAndGrads(batch: RatingBatch, training: boolean, loss: LossName): LossAndGrads {
    this.forward(batch.users, batch.items, training);
    const value = scoreLoss(this.head.score, this.head.gScore, batch.ratings, loss, this.range);
    this.backward(batch.users, batch.items, training);
    const g = this.input.grads();
    this.grads.set(this.layout.userEmb, g.user);
    this.grads.set(this.layout.itemEmb, g.item);
    return { loss: value, grads: this.grads };
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    let total = 0;
    const n = batch.ratings.length;
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(n, start + PREDICT_CHUNK);
      this.forward(batch.users.subarray(start, end), batch.items.subarray(start, end), false);
      total += scoreLoss(this.head.score, this.head.gScore, batch.ratings.subarray(start, end), loss, this.range) * (end - start);
    }
    return total / n;
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    for (let start = 0; start < users.length; start += PREDICT_CHUNK) {
      const end = Math.min(users.length, start + PREDICT_CHUNK);
      this.forward(users.subarray(start, end), items.subarray(start, end), false);
      for (let b = 0; b < end - start; b++) out[start + b] = predictionOf(this.head.score[b], this.range);
    }
  }

  dispose(): void {}
}
