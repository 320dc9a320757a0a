import { UsageError, checkIndex, checkIndexRange, scoreFactorBlock } from '@collab-ts/core';
import type { FactorTables, RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../../registry/recommender-base.js';
import { baseGram, solveSparkAlsRows, sparkAlsRows } from './solve.js';
import type { SparkAlsObjective } from './solve.js';

/** What a `spark-als` model saves besides its factor tables: its shape and the objective its users solve. */
export interface SparkAlsConfig extends SparkAlsObjective {
  readonly nUsers: number;
  readonly nItems: number;
  /** Spark's `rank`. */
  readonly factors: number;
}

/**
 * A Spark MLlib `ALSModel` (trained by Spark and imported, or trained here by the same objective): the score
 * of (user, item) is the dot product of their factor vectors, no biases, which is what Spark's `transform` and
 * `recommendForAllUsers` compute. A new user is folded in by Spark's own user solve against the fixed item
 * factors, explicit or implicit as the model was trained (see {@link SparkAlsRecommender.foldInVector}).
 */
export class SparkAlsRecommender extends RecommenderBase {
  readonly kind = 'spark-als';
  readonly nUsers: number;
  readonly nItems: number;
  private readonly tables: FactorTables;
  /** `Y'Y` of the item table (implicit) or zeros (explicit), built on the first fold-in. */
  private itemGram: Float64Array | null = null;

  /**
   * @param userFactors `nUsers x factors`, row-major
   * @param itemFactors `nItems x factors`, row-major
   */
  constructor(
    readonly config: SparkAlsConfig,
    userFactors: Float32Array,
    itemFactors: Float32Array,
  ) {
    super();
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    const f = config.factors;
    if (userFactors.length !== config.nUsers * f) throw new Error(`spark-als: user factors hold ${userFactors.length} values, the config needs ${config.nUsers} x ${f}`);
    if (itemFactors.length !== config.nItems * f) throw new Error(`spark-als: item factors hold ${itemFactors.length} values, the config needs ${config.nItems} x ${f}`);
    this.tables = { dim: f, userFactors, itemFactors, userBias: null, itemBias: null, yRange: null };
  }

  override factors(): FactorTables {
    return this.tables;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, 'spark-als predict');
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
    for (let b = 0; b < count; b++) checkIndex(users[from + b], this.nUsers, 'spark-als scoreUsers', 'user');
    if (out.length < count * this.nItems) throw new UsageError(`spark-als scoreUsers: out holds ${out.length} scores, ${count} users need ${count * this.nItems}`);
    scoreFactorBlock(this.tables, users, from, count, this.nItems, out);
  }

  override get canFoldIn(): boolean {
    return true;
  }

  /**
   * The factor vector of a new user who rated `items` with `values` (default 1): Spark's user step against
   * the fixed item factors. Explicit: `(Σ y_i y_i' + regParam n I) x = Σ r_i y_i` over the `n` ratings.
   * Implicit: `(Y'Y + Σ alpha |r_i| y_i y_i' + regParam n⁺ I) x = Σ_{r_i > 0} (1 + alpha |r_i|) y_i`, `n⁺` the
   * positive ratings. Repeated items count once per rating, as in Spark. For a trained user's ratings this
   * is their trained vector (Spark's last step of every iteration is this solve).
   * @throws IndexRangeError for an item outside the model, UsageError for a non-finite value.
   */
  foldInVector(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const f = this.config.factors;
    if (values && values.length !== items.length) throw new UsageError(`spark-als foldIn: ${items.length} items but ${values.length} values`);
    const n = items.length;
    const indices = new Int32Array(n);
    const ratings = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      checkIndex(items[j], this.nItems, 'spark-als foldIn');
      const r = values ? values[j] : 1;
      if (!Number.isFinite(r)) throw new UsageError(`spark-als foldIn: rating ${r} of item ${items[j]} is not a finite number`);
      indices[j] = items[j];
      ratings[j] = r;
    }
    const x = new Float32Array(f);
    if (n === 0) return x;
    const V = this.tables.itemFactors;
    this.itemGram ??= baseGram(V, this.nItems, f, this.config.implicitPrefs);
    const rows = sparkAlsRows({ nRows: 1, nCols: this.nItems, offsets: Int32Array.of(0, n), indices, values: ratings }, this.config);
    solveSparkAlsRows(rows, x, V, f, this.itemGram);
    return x;
  }

  /** Scores of every item for a new user: item factors times {@link foldInVector}. */
  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    const x = this.foldInVector(items, values);
    const out = new Float32Array(this.nItems);
    const t: FactorTables = { ...this.tables, userFactors: x };
    scoreFactorBlock(t, [0], 0, 1, this.nItems, out);
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
