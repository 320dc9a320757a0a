import { SparseRowAccumulator } from '@collab-ts/core';
import type { Gradients, ParamStore, RatingBatch, SparseRowGrad } from '@collab-ts/core';
import { dotLayout } from '../../models/dot-family.js';
import type { DotLayout } from '../../models/dot-family.js';
import type { LossAndGrads, LossName, ModelConfig } from '../../types.js';
import { BCE, MSE } from '../dot-args.js';
import type { DotTables } from '../dot-args.js';
import { dotTables } from '../dot-tables.js';
import type { Engine } from '../engine.js';
import { dotBiasLossFused, dotBiasPredictFused } from './dot-bias.js';
import type { DotBiasGradBuffers } from './dot-bias.js';
import { dotLossFused, dotPredictFused } from './dot.js';

/** A sparse gradient object updated in place, so a step allocates nothing for the biases. */
interface MutableSparseGrad {
  kind: 'sparse';
  rows: Int32Array;
  values: Float32Array;
  count: number;
}

/** The `fused` engine of the dot-product family: typed-array kernels, reused accumulators and buffers. */
export class FusedDotEngine implements Engine {
  readonly backend = 'fused' as const;
  private readonly tables: DotTables;
  private readonly layout: DotLayout;
  private readonly bufs: DotBiasGradBuffers;
  private readonly biased: boolean;
  private readonly grads: Gradients = new Map();
  private readonly userBiasGrad: MutableSparseGrad;
  private readonly itemBiasGrad: MutableSparseGrad;

  constructor(config: ModelConfig, params: ParamStore) {
    this.tables = dotTables(config, params);
    this.layout = dotLayout(config.kind);
    this.biased = this.tables.userBias !== null;
    const k = config.factors;
    this.bufs = {
      userFactors: new SparseRowAccumulator(config.nUsers, k, 128),
      itemFactors: new SparseRowAccumulator(config.nItems, k, 128),
      userBias: new Float32Array(128),
      itemBias: new Float32Array(128),
    };
    const empty = new Int32Array(0);
    this.userBiasGrad = { kind: 'sparse', rows: empty, values: this.bufs.userBias, count: 0 };
    this.itemBiasGrad = { kind: 'sparse', rows: empty, values: this.bufs.itemBias, count: 0 };
  }

  lossAndGrads(batch: RatingBatch, _training: boolean, loss: LossName): LossAndGrads {
    const n = batch.ratings.length;
    const bufs = this.bufs;
    bufs.userFactors.reset();
    bufs.itemFactors.reset();
    const code = loss === 'bce' ? BCE : MSE;
    let value: number;
    if (this.biased) {
      if (bufs.userBias.length < n) {
        (bufs as { userBias: Float32Array }).userBias = new Float32Array(n);
        (bufs as { itemBias: Float32Array }).itemBias = new Float32Array(n);
      }
      bufs.userBias.fill(0, 0, n);
      bufs.itemBias.fill(0, 0, n);
      value = dotBiasLossFused(this.tables, batch.users, batch.items, batch.ratings, code, bufs);
    } else {
      value = dotLossFused(this.tables, batch.users, batch.items, batch.ratings, code, bufs);
    }
    const gu = bufs.userFactors.result();
    const gi = bufs.itemFactors.result();
    this.grads.set(this.layout.userFactors, gu);
    this.grads.set(this.layout.itemFactors, gi);
    if (this.biased) {
      this.grads.set(this.layout.userBias!, this.share(this.userBiasGrad, gu, bufs.userBias));
      this.grads.set(this.layout.itemBias!, this.share(this.itemBiasGrad, gi, bufs.itemBias));
    }
    return { loss: value, grads: this.grads };
  }

  /** The bias gradient: the factor gradient's rows and count with the bias values. */
  private share(g: MutableSparseGrad, factors: SparseRowGrad, values: Float32Array): SparseRowGrad {
    g.rows = factors.rows;
    g.count = factors.count;
    g.values = values;
    return g;
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    const code = loss === 'bce' ? BCE : MSE;
    return this.biased
      ? dotBiasLossFused(this.tables, batch.users, batch.items, batch.ratings, code, null)
      : dotLossFused(this.tables, batch.users, batch.items, batch.ratings, code, null);
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    if (this.biased) dotBiasPredictFused(this.tables, users, items, out);
    else dotPredictFused(this.tables, users, items, out);
  }

  dispose(): void {}
}
