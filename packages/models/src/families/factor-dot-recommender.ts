import { UsageError, checkIndex, checkIndexRange, factorScore, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../registry/recommender-base.js';

/** The shape every plain factor model's config carries. */
export interface FactorDotConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly factors: number;
}

/**
 * A model whose score of (user, item) is the dot product of their factor vectors, with no biases (`ials`,
 * `spark-als`): pair scores, blocks of users through core's `scoreFactorBlock`, the factor tables for ranking
 * code, fold-in scores from the family's {@link FactorDotRecommender.foldInVector}, and the saved state.
 */
export abstract class FactorDotRecommender<C extends FactorDotConfig> extends RecommenderBase {
  readonly nUsers: number;
  readonly nItems: number;
  protected readonly tables: FactorTables;

  /**
   * @param userFactors `nUsers x factors`, row-major
   * @param itemFactors `nItems x factors`, row-major
   */
  constructor(
    readonly config: C,
    userFactors: Float32Array,
    itemFactors: Float32Array,
    label: string,
  ) {
    super();
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    const f = config.factors;
    if (userFactors.length !== config.nUsers * f) throw new Error(`${label}: user factors hold ${userFactors.length} values, the config needs ${config.nUsers} x ${f}`);
    if (itemFactors.length !== config.nItems * f) throw new Error(`${label}: item factors hold ${itemFactors.length} values, the config needs ${config.nItems} x ${f}`);
    this.tables = { dim: f, userFactors, itemFactors, userBias: null, itemBias: null, yRange: null };
  }

  /** The factor vector of a new user with interactions `items` (strengths `values`). */
  abstract foldInVector(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array;

  override factors(): FactorTables {
    return this.tables;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, `${this.kind} predict`);
    const out = new Float32Array(users.length);
    // core's pair score: the same floats as the blocked product scoreFactorBlock
    for (let b = 0; b < users.length; b++) out[b] = factorScore(this.tables, users[b], items[b]);
    return out;
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, `${this.kind} scoreUsers`, 'user');
    if (out.length < count * this.nItems) throw new UsageError(`${this.kind} scoreUsers: out holds ${out.length} scores, ${count} users need ${count * this.nItems}`);
    scoreFactorBlock(this.tables, users, from, count, this.nItems, out);
  }

  override get canFoldIn(): boolean {
    return true;
  }

  /** Scores of every item for a new user: item factors times {@link foldInVector}. */
  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const x = this.foldInVector(items, values);
    const out = new Float32Array(this.nItems);
    scoreFactorBlock({ ...this.tables, userFactors: x }, [0], 0, 1, this.nItems, out);
    return out;
  }

  state(): RecommenderState {
    const { userFactors, itemFactors, dim } = this.tables;
    return {
      config: { ...(this.config as FactorDotConfig) },
      tensors: {
        userFactors: { shape: [this.nUsers, dim], data: userFactors },
        itemFactors: { shape: [this.nItems, dim], data: itemFactors },
      },
    };
  }
}
