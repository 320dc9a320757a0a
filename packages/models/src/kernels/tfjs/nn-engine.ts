import * as tf from '@tensorflow/tfjs-core';
import { SparseRowAccumulator } from '@collab-ts/core';
import type { DenseGrad, Gradients, ParamStore, RatingBatch, Rng } from '@collab-ts/core';
import { BN_EPS, BN_MOMENTUM, nnLayout } from '../../models/embedding-nn.js';
import type { NNLayout } from '../../models/embedding-nn.js';
import type { LossAndGrads, LossName, ModelConfig, ResolvedBackend } from '../../types.js';
import type { Engine } from '../engine.js';
import { dropoutMask, nnDropoutRng } from '../nn-dropout.js';
import { useBackend } from './backend.js';
import { applyRange, lossOf } from './loss.js';
import { gatherRows, scatterAddRows } from './rows.js';

/** Batch statistics a training forward pass reports, per batch-norm layer. */
interface BatchStats {
  layer: number;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * The TensorFlow.js engine of `embedding-nn`: embedding rows gathered in JS, the MLP (Linear, ReLU,
 * BatchNorm1d, Dropout, y-range) in tfjs, gradients w.r.t. the gathered rows and dense weights from
 * `tf.valueAndGrads`; row gradients are scattered into sparse accumulators. Dropout masks come from the
 * same seeded RNG stream as the fused engine's.
 */
export class TfNNEngine implements Engine {
  private readonly layout: NNLayout;
  private readonly accUser: SparseRowAccumulator;
  private readonly accItem: SparseRowAccumulator;
  private readonly dense: string[];
  private readonly denseGrads: DenseGrad[];
  private readonly grads: Gradients = new Map();
  private readonly rng: Rng;

  constructor(
    private readonly config: ModelConfig,
    private readonly params: ParamStore,
    readonly backend: Exclude<ResolvedBackend, 'fused'>,
  ) {
    const l = nnLayout(config);
    this.layout = l;
    this.accUser = new SparseRowAccumulator(config.nUsers, l.userDim, 128);
    this.accItem = new SparseRowAccumulator(config.nItems, l.itemDim, 128);
    this.dense = l.hidden.flatMap((h) => [h.weight, ...(h.bias ? [h.bias] : []), ...(h.bn ? [h.bn.weight, h.bn.bias] : [])]);
    this.dense.push(l.outWeight, l.outBias);
    this.denseGrads = this.dense.map((name) => {
      const g: DenseGrad = { kind: 'dense', values: new Float32Array(params.get(name).data.length) };
      this.grads.set(name, g);
      return g;
    });
    this.rng = nnDropoutRng(config.seed);
  }

  private tensorOf(name: string): tf.Tensor {
    const p = this.params.get(name);
    return tf.tensor(p.data.slice(), [...p.shape]);
  }

  /** Dropout masks in the fused engine's order: embeddings, then each hidden layer. */
  private masks(n: number, training: boolean): (tf.Tensor | null)[] {
    if (!training) return [];
    const l = this.layout;
    const make = (width: number, p: number): tf.Tensor | null => {
      if (p <= 0) return null;
      const m = new Float32Array(n * width);
      dropoutMask(this.rng, m, n * width, p);
      return tf.tensor2d(m, [n, width]);
    };
    return [make(l.inSize, l.embDropout), ...l.hidden.map((h) => make(h.outSize, h.dropout))];
  }

  /** Forward pass from the inputs `[U, V, ...dense]` to the raw score `[n]`; pushes batch stats when training. */
  private forward(xs: tf.Tensor[], masks: (tf.Tensor | null)[], training: boolean, stats: BatchStats[]): tf.Tensor {
    const l = this.layout;
    let x = tf.concat([xs[0], xs[1]], 1);
    if (masks[0]) x = tf.mul(x, masks[0]);
    let k = 2;
    l.hidden.forEach((h, li) => {
      let z = tf.matMul(x, xs[k++], false, true);
      if (h.bias) z = tf.add(z, xs[k++]);
      let a = tf.relu(z);
      if (h.bn) {
        const gamma = xs[k++];
        const beta = xs[k++];
        let xhat: tf.Tensor;
        if (training) {
          const mean = tf.mean(a, 0);
          const centered = tf.sub(a, mean);
          const variance = tf.mean(tf.square(centered), 0);
          stats.push({ layer: li, mean: tf.keep(mean), variance: tf.keep(variance) });
          xhat = tf.mul(centered, tf.rsqrt(tf.add(variance, tf.scalar(BN_EPS))));
        } else {
          const rm = this.tensorOf(h.bn.runningMean);
          const rv = this.tensorOf(h.bn.runningVar);
          xhat = tf.mul(tf.sub(a, rm), tf.rsqrt(tf.add(rv, tf.scalar(BN_EPS))));
        }
        a = tf.add(tf.mul(xhat, gamma), beta);
      }
      const m = masks[li + 1];
      x = m ? tf.mul(a, m) : a;
    });
    const out = tf.add(tf.matMul(x, xs[k++], false, true), xs[k++]);
    return tf.reshape(out, [out.shape[0]]);
  }

  private inputs(users: Int32Array, items: Int32Array): tf.Tensor[] {
    const n = users.length;
    const l = this.layout;
    return [
      tf.tensor2d(gatherRows(this.params.get(l.userEmb).data, l.userDim, users), [n, l.userDim]),
      tf.tensor2d(gatherRows(this.params.get(l.itemEmb).data, l.itemDim, items), [n, l.itemDim]),
      ...this.dense.map((name) => this.tensorOf(name)),
    ];
  }

  lossAndGrads(batch: RatingBatch, training: boolean, loss: LossName): LossAndGrads {
    useBackend(this.backend);
    const n = batch.ratings.length;
    const stats: BatchStats[] = [];
    const [value, ...gs] = tf.tidy(() => {
      const xs = this.inputs(batch.users, batch.items);
      const masks = this.masks(n, training);
      const y = tf.tensor1d(batch.ratings);
      const f = (...t: tf.Tensor[]): tf.Scalar => lossOf(this.forward(t, masks, training, stats), y, this.config.yRange, loss);
      const r = tf.valueAndGrads(f)(xs);
      return [r.value, ...r.grads];
    });
    const lossValue = value.dataSync()[0];
    this.accUser.reset();
    this.accItem.reset();
    scatterAddRows(this.accUser, batch.users, gs[0].dataSync(), this.layout.userDim);
    scatterAddRows(this.accItem, batch.items, gs[1].dataSync(), this.layout.itemDim);
    this.grads.set(this.layout.userEmb, this.accUser.result());
    this.grads.set(this.layout.itemEmb, this.accItem.result());
    this.denseGrads.forEach((g, j) => g.values.set(gs[j + 2].dataSync()));
    for (const s of stats) {
      const bn = this.layout.hidden[s.layer].bn!;
      const rm = this.params.get(bn.runningMean).data;
      const rv = this.params.get(bn.runningVar).data;
      const mean = s.mean.dataSync();
      const variance = s.variance.dataSync();
      const unbias = n > 1 ? n / (n - 1) : 1;
      for (let o = 0; o < rm.length; o++) {
        rm[o] = (1 - BN_MOMENTUM) * rm[o] + BN_MOMENTUM * mean[o];
        rv[o] = (1 - BN_MOMENTUM) * rv[o] + BN_MOMENTUM * variance[o] * unbias;
      }
      tf.dispose([s.mean, s.variance]);
    }
    tf.dispose([value, ...gs]);
    return { loss: lossValue, grads: this.grads };
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    useBackend(this.backend);
    const t = tf.tidy(() => lossOf(this.forward(this.inputs(batch.users, batch.items), [], false, []), tf.tensor1d(batch.ratings), this.config.yRange, loss));
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    useBackend(this.backend);
    const t = tf.tidy(() => applyRange(this.forward(this.inputs(users, items), [], false, []), this.config.yRange));
    out.set(t.dataSync() as Float32Array);
    t.dispose();
  }

  dispose(): void {}
}
