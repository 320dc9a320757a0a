import { checkIndex, checkIndexRange, factorScore, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../../registry/recommender-base.js';
import { bprFoldInVector } from './kernel.js';
import type { BprTables } from './kernel.js';

/** What a BPR model saves besides its tensors: the options it was trained with and its sizes. */
export interface BprConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly factors: number;
  readonly learningRate: number;
  readonly regularization: number;
  readonly iterations: number;
  readonly negatives: 'uniform' | 'popularity';
  readonly beta: number;
  readonly seed: number;
}

/** Tensor names in saved models (implicit's attribute names). */
export const BPR_TENSORS = { userFactors: 'user_factors', itemFactors: 'item_factors', itemBias: 'item_bias' } as const;

/**
 * A trained BPR model: score(u, i) = p_u . q_i + b_i. There is no user bias: it would not change a user's
 * ranking. New users are folded in by the training step restricted to their row.
 */
export class BprRecommender extends RecommenderBase {
  readonly kind = 'bpr';
  readonly nUsers: number;
  readonly nItems: number;

  constructor(
    readonly config: BprConfig,
    readonly tables: BprTables,
  ) {
    super();
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, 'bpr predict');
    const f = this.factors();
    const out = new Float32Array(users.length);
    // core's pair score (p_u . q_i + b_i): the floats of scoreFactorBlock
    for (let b = 0; b < users.length; b++) out[b] = factorScore(f, users[b], items[b]);
    return out;
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, 'bpr scoreUsers', 'user');
    scoreFactorBlock(this.factors(), users, from, count, this.nItems, out);
  }

  override factors(): FactorTables {
    const t = this.tables;
    return { dim: t.dim, userFactors: t.userFactors, itemFactors: t.itemFactors, userBias: null, itemBias: t.itemBias, yRange: null };
  }

  override get canFoldIn(): boolean {
    return true;
  }

  /**
   * Scores of every item for a new user: `iterations` seeded passes of the BPR step over their items
   * (uniform negatives), moving only their factor row from zero, the item tables fixed. Values are ignored:
   * every interaction is a positive, as in training. Deterministic for the model's seed.
   */
  override foldIn(items: ArrayLike<number>, _values?: ArrayLike<number>): Float32Array {
    for (let k = 0; k < items.length; k++) checkIndex(items[k], this.nItems, 'bpr foldIn');
    const distinct = Int32Array.from(new Set(Array.from(items))).sort();
    const c = this.config;
    const p = bprFoldInVector(this.tables, distinct, { passes: c.iterations, lr: c.learningRate, reg: c.regularization, seed: c.seed });
    const f = this.factors();
    const out = new Float32Array(this.nItems);
    scoreFactorBlock({ ...f, userFactors: p }, [0], 0, 1, this.nItems, out);
    return out;
  }

  state(): RecommenderState {
    const t = this.tables;
    return {
      config: { ...this.config },
      tensors: {
        [BPR_TENSORS.userFactors]: { shape: [this.nUsers, t.dim], data: t.userFactors },
        [BPR_TENSORS.itemFactors]: { shape: [this.nItems, t.dim], data: t.itemFactors },
        [BPR_TENSORS.itemBias]: { shape: [this.nItems], data: t.itemBias },
      },
    };
  }
}
