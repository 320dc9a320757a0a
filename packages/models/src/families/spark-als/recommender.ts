import { UsageError, checkIndex } from '@collab-ts/core';
import { FactorDotRecommender } from '../factor-dot-recommender.js';
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
export class SparkAlsRecommender extends FactorDotRecommender<SparkAlsConfig> {
  readonly kind = 'spark-als';
  /** `Y'Y` of the item table (implicit) or zeros (explicit), built on the first fold-in. */
  private itemGram: Float64Array | null = null;

  constructor(config: SparkAlsConfig, userFactors: Float32Array, itemFactors: Float32Array) {
    super(config, userFactors, itemFactors, 'spark-als');
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
}
