import { UsageError, checkIndex } from '@collab-ts/core';
import { FactorDotRecommender } from '../factor-dot-recommender.js';
import { choleskyBuffers, gram, solveRowExact } from './solve.js';

/** What an `ials` model saves besides its factor tables: the options it was fitted with and its shape. */
export interface IalsConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly factors: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly iterations: number;
  readonly solver: 'cg' | 'cholesky';
  readonly cgSteps: number;
  readonly seed: number;
}

/**
 * A fitted implicit-ALS model: the score of (user, item) is the dot product of their factor vectors. Ranking
 * code gets the factor tables (no biases) and scores blocks of users through core's `scoreFactorBlock`;
 * similar items are the cosine neighbours of item factors; a new user is folded in by the exact user solve
 * against the fixed item factors (implicit's `recalculate_user`).
 */
export class IalsRecommender extends FactorDotRecommender<IalsConfig> {
  readonly kind = 'ials';
  /** `Y'Y` of the item table, built on the first fold-in. */
  private itemGram: Float64Array | null = null;

  constructor(config: IalsConfig, userFactors: Float32Array, itemFactors: Float32Array) {
    super(config, userFactors, itemFactors, 'ials');
  }

  /**
   * The factor vector of a new user with interactions `items` (strengths `values`, default 1; repeated items
   * add up): the exact solution of the ALS user step against the fixed item factors,
   * `(Y'Y + Σ alpha r_i y_i y_i' + regularization I) x = Σ (1 + alpha r_i) y_i`. For a trained user's history
   * this is the user's trained vector when the fit's last user step was exact (`solver: 'cholesky'`).
   * @throws IndexRangeError for an item outside the model, UsageError for a non-positive or non-finite strength.
   */
  foldInVector(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const f = this.config.factors;
    if (values && values.length !== items.length) throw new UsageError(`ials foldIn: ${items.length} items but ${values.length} values`);
    const strength = new Map<number, number>();
    for (let j = 0; j < items.length; j++) {
      checkIndex(items[j], this.nItems, 'ials foldIn');
      const r = values ? values[j] : 1;
      if (!(r > 0) || !Number.isFinite(r)) throw new UsageError(`ials foldIn: interaction strength must be a positive number, got ${r} for item ${items[j]}`);
      strength.set(items[j], (strength.get(items[j]) ?? 0) + r);
    }
    const x = new Float32Array(f);
    if (strength.size === 0) return x;
    const V = this.tables.itemFactors;
    if (!this.itemGram) {
      this.itemGram = new Float64Array(f * f);
      gram(V, this.nItems, f, this.itemGram);
    }
    const idx = Int32Array.from(strength.keys());
    const extra = Float64Array.from(strength.values(), (r) => this.config.alpha * r);
    const rhs = extra.map((w) => 1 + w);
    solveRowExact(idx, extra, rhs, 0, idx.length, this.config.regularization, V, f, this.itemGram, x, 0, choleskyBuffers(f));
    return x;
  }
}
