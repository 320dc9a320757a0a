import { UsageError, checkIndex, checkIndexRange, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../../registry/recommender-base.js';
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
export class IalsRecommender extends RecommenderBase {
  readonly kind = 'ials';
  readonly nUsers: number;
  readonly nItems: number;
  private readonly tables: FactorTables;
  /** `Y'Y` of the item table, built on the first fold-in. */
  private itemGram: Float64Array | null = null;

  /**
   * @param userFactors `nUsers x factors`, row-major
   * @param itemFactors `nItems x factors`, row-major
   */
  constructor(
    readonly config: IalsConfig,
    userFactors: Float32Array,
    itemFactors: Float32Array,
  ) {
    super();
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    const f = config.factors;
    if (userFactors.length !== config.nUsers * f) throw new Error(`ials: user factors hold ${userFactors.length} values, the config needs ${config.nUsers} x ${f}`);
    if (itemFactors.length !== config.nItems * f) throw new Error(`ials: item factors hold ${itemFactors.length} values, the config needs ${config.nItems} x ${f}`);
    this.tables = { dim: f, userFactors, itemFactors, userBias: null, itemBias: null, yRange: null };
  }

  override factors(): FactorTables {
    return this.tables;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, 'ials predict');
    const { dim: f, userFactors: U, itemFactors: V } = this.tables;
    const out = new Float32Array(users.length);
    for (let b = 0; b < users.length; b++) {
      const uo = users[b] * f;
      const io = items[b] * f;
      // summed left to right in double precision, as scoreFactorBlock does, so both give the same floats
      let s = 0;
      for (let k = 0; k < f; k++) s += U[uo + k] * V[io + k];
      out[b] = s;
    }
    return out;
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, 'ials scoreUsers', 'user');
    if (out.length < count * this.nItems) throw new UsageError(`ials scoreUsers: out holds ${out.length} scores, ${count} users need ${count * this.nItems}`);
    scoreFactorBlock(this.tables, users, from, count, this.nItems, out);
  }

  override get canFoldIn(): boolean {
    return true;
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

  /** Scores of every item for a new user: item factors times {@link foldInVector}. */
  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const x = this.foldInVector(items, values);
    const f = this.config.factors;
    const V = this.tables.itemFactors;
    const out = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) {
      const io = i * f;
      let s = 0;
      for (let k = 0; k < f; k++) s += x[k] * V[io + k];
      out[i] = s;
    }
    return out;
  }

  state(): RecommenderState {
    const { userFactors, itemFactors, dim } = this.tables;
    return {
      config: { ...this.config },
      tensors: {
        userFactors: { shape: [this.nUsers, dim], data: userFactors },
        itemFactors: { shape: [this.nItems, dim], data: itemFactors },
      },
    };
  }
}
