import type { Gradients, ParamStore, RatingBatch } from '@collab-ts/core';
import type { LossAndGrads, LossName, ModelConfig } from '../../types.js';
import { BCE, MSE } from '../dot-args.js';
import type { DotAccumulators, DotTables } from '../dot-args.js';
import { dotAccumulators, dotTables, publishDotGrads, resetDotAccumulators } from '../dot-tables.js';
import type { Engine } from '../engine.js';
import { dotBiasLossFused, dotBiasPredictFused } from './dot-bias.js';
import { dotLossFused, dotPredictFused } from './dot.js';

/** The `fused` engine of the dot-product family: typed-array kernels, reused accumulators. */
export class FusedDotEngine implements Engine {
  readonly backend = 'fused' as const;
  private readonly tables: DotTables;
  private readonly acc: DotAccumulators;
  private readonly grads: Gradients = new Map();
  private readonly lossKernel: typeof dotLossFused;
  private readonly predictKernel: typeof dotPredictFused;

  constructor(
    private readonly config: ModelConfig,
    params: ParamStore,
  ) {
    this.tables = dotTables(config, params);
    this.acc = dotAccumulators(config, params);
    const biased = this.tables.userBias !== null;
    this.lossKernel = biased ? dotBiasLossFused : dotLossFused;
    this.predictKernel = biased ? dotBiasPredictFused : dotPredictFused;
  }

  lossAndGrads(batch: RatingBatch, _training: boolean, loss: LossName): LossAndGrads {
    resetDotAccumulators(this.acc);
    const value = this.lossKernel(this.tables, batch.users, batch.items, batch.ratings, loss === 'bce' ? BCE : MSE, this.acc);
    return { loss: value, grads: publishDotGrads(this.config, this.acc, this.grads) };
  }

  evaluateLoss(batch: RatingBatch, loss: LossName): number {
    return this.lossKernel(this.tables, batch.users, batch.items, batch.ratings, loss === 'bce' ? BCE : MSE, null);
  }

  predict(users: Int32Array, items: Int32Array, out: Float32Array): void {
    this.predictKernel(this.tables, users, items, out);
  }

  dispose(): void {}
}
