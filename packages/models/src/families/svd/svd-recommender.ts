import { checkIndex, checkIndexRange, factorScore, foldInUser, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../../registry/recommender-base.js';

/** The saved configuration of an `svd` model. */
export interface SvdConfig {
  nUsers: number;
  nItems: number;
  factors: number;
  /** The global mean of the training ratings (already folded into the item biases). */
  mean: number;
  /** Predictions are clipped to this range (the training ratings' range), as Surprise does. */
  clip: [number, number] | null;
  /** The options it was trained with, for reference. */
  options: Record<string, unknown>;
}

/**
 * A biased matrix factorisation: `prediction = b_u + b_i + p_u . q_i` (the global mean is folded into the
 * item biases), clipped to the rating range. Ranking uses the unclipped score through the factor tables.
 */
export class SvdRecommender extends RecommenderBase {
  readonly kind = 'svd';
  readonly nUsers: number;
  readonly nItems: number;
  readonly tables: FactorTables;

  constructor(
    readonly config: SvdConfig,
    userFactors: Float32Array,
    itemFactors: Float32Array,
    userBias: Float32Array,
    itemBias: Float32Array,
  ) {
    super();
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    this.tables = { dim: config.factors, userFactors, itemFactors, userBias, itemBias, yRange: null };
  }

  override factors(): FactorTables {
    return this.tables;
  }

  private clip(x: number): number {
    const c = this.config.clip;
    return c ? Math.min(c[1], Math.max(c[0], x)) : x;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, 'svd predict');
    const out = new Float32Array(users.length);
    // core's pair score (p_u . q_i + b_u + b_i, the global mean in the item biases): the floats of scoreFactorBlock
    for (let j = 0; j < users.length; j++) out[j] = this.clip(factorScore(this.tables, users[j], items[j]));
    return out;
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, 'svd scoreUsers', 'user');
    // b_u + b_i + p_u . q_i is exactly core's blocked factor product (the global mean lives in the item biases)
    scoreFactorBlock(this.tables, users, from, count, this.nItems, out);
  }

  protected override reportScore(score: number): number {
    return this.clip(score);
  }

  override get canFoldIn(): boolean {
    return true;
  }

  /** A new user's scores: core's ridge fold-in of a factor vector and a bias against the fixed item tables. */
  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const top = this.config.clip ? this.config.clip[1] : 1;
    const ratings = Array.from({ length: items.length }, (_, j) => ({ item: items[j], rating: values ? values[j] : top }));
    const fold = foldInUser(this.tables, ratings, { yRange: null });
    const { dim: d, itemFactors: Q, itemBias: bi } = this.tables;
    const out = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) {
      let s = fold.bias + bi![i];
      for (let k = 0; k < d; k++) s += fold.vector[k] * Q[i * d + k];
      out[i] = s;
    }
    return out;
  }

  state(): RecommenderState {
    const t = this.tables;
    return {
      config: { ...this.config } as unknown as Record<string, unknown>,
      tensors: {
        user_factors: { shape: [this.nUsers, t.dim], data: t.userFactors },
        item_factors: { shape: [this.nItems, t.dim], data: t.itemFactors },
        user_bias: { shape: [this.nUsers], data: t.userBias! },
        item_bias: { shape: [this.nItems], data: t.itemBias! },
      },
    };
  }
}
