import * as tf from '@tensorflow/tfjs-core';
import type { Gradients, ParamStore, RatingBatch } from '@collab-ts/core';
import type { LossAndGrads, LossName, ModelConfig, ResolvedBackend } from '../../types.js';
import type { DotAccumulators, DotTables } from '../dot-args.js';
import { dotAccumulators, dotTables, publishDotGrads, resetDotAccumulators } from '../dot-tables.js';
import type { Engine } from '../engine.js';
import { useBackend } from './backend.js';
import { applyRange, lossOf } from './loss.js';
import { gatherRows, scatterAddRows } from './rows.js';

/** The dot-family score in tfjs: `sum(u * v, 1) (+ bu + bv)`. */
function score(u: tf.Tensor, v: tf.Tensor, bu: tf.Tensor | null, bv: tf.Tensor | null): tf.Tensor {
  const dot = tf.sum(tf.mul(u, v), 1);
  return bu && bv ? tf.add(dot, tf.add(bu, bv)) : dot;
}

/**
 * The TensorFlow.js engine of the dot-product family: rows gathered in JS, forward and loss in tfjs,
 * gradients w.r.t. the gathered rows from `tf.valueAndGrads`, scattered back into sparse accumulators.
 */
export class TfDotEngine implements Engine {
  private readonly tables: DotTables;
  private readonly acc: DotAccumulators;
  private readonly grads: Gradients = new Map();

  constructor(
    private readonly config: ModelConfig,
    params: ParamStore,
    readonly backend: Exclude<ResolvedBackend, 'fused'>,
  ) {
    this.tables = dotTables(config, params);
    this.acc = dotAccumulators(config, params);
  }

  private inputs(users: Int32Array, items: Int32Array): tf.Tensor[] {
    const n = users.length;
    const k = this.tables.k;
    const xs: tf.Tensor[] = [
      tf.tensor2d(gatherRows(this.tables.userFactors, k, users), [n, k]),
      tf.tensor2d(gatherRows(this.tables.itemFactors, k, items), [n, k]),
    ];
    if (this.tables.userBias && this.tables.itemBias) {
      xs.push(tf.tensor1d(gatherRows(this.tables.userBias, 1, users)), tf.tensor1d(gatherRows(this.tables.itemBias, 1, items)));
    }
    return xs;
  }

  lossAndGrads(batch: RatingBatch, _training: boolean, loss: LossName): LossAndGrads {
    useBackend(this.backend);
    const yRange = this.config.yRange;
    const [value, ...gs] = tf.tidy(() => {
      const xs = this.inputs(batch.users, batch.items);
      const y = tf.tensor1d(batch.ratings);
      const f = (...t: tf.Tensor[]): tf.Scalar => lossOf(score(t[0], t[1], t[2] ?? null, t[3] ?? null), y, yRange, loss);
      const r = tf.valueAndGrads(f)(xs);
      return [r.value, ...r.grads];
    });
    const lossValue = value.dataSync()[0];
    resetDotAccumulators(this.acc);
    const k = this.tables.k;
    scatterAddRows(this.acc.userFactors, batch.users, gs[0].dataSync(), k);
    scatterAddRows(this.acc.itemFactors, batch.items, gs[1].dataSync(), k);
    if (this.acc.userBias && this.acc.itemBias) {
      scatterAddRows(this.acc.userBias, batch.users, gs[2].dataSync(), 1);
      scatterAddRows(this.acc.itemBias, batch.items, gs[3].dataSync(), 1);
    }
    tf.dispose([value, ...gs]);
    return { loss: lossValue, grads: publishDotGrads(this.config, this.acc, this.grads) };
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    useBackend(this.backend);
    const t = tf.tidy(() => {
      const xs = this.inputs(batch.users, batch.items);
      return lossOf(score(xs[0], xs[1], xs[2] ?? null, xs[3] ?? null), tf.tensor1d(batch.ratings), this.config.yRange, loss);
    });
    const v = t.dataSync()[0];
    t.dispose();
    return v;
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    useBackend(this.backend);
    const t = tf.tidy(() => {
      const xs = this.inputs(users, items);
      return applyRange(score(xs[0], xs[1], xs[2] ?? null, xs[3] ?? null), this.config.yRange);
    });
    out.set(t.dataSync() as Float32Array);
    t.dispose();
  }

  dispose(): void {}
}
