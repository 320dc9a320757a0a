/**
 * A batch of ratings as the training loop hands it to a model: equal-length typed arrays of user indices,
 * item indices and ratings (often views into a loader's reused buffers).
 */
export interface RatingBatch {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/**
 * The factor tables of a latent-factor model, for interpretation and fast ranking. Row-major: user `u`'s
 * factors are `userFactors[u * dim .. (u + 1) * dim)`. Biases are `null` for models without them.
 * `yRange` is set when predictions pass through a scaled sigmoid (monotone, so rankings ignore it).
 */
export interface FactorTables {
  readonly dim: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array | null;
  readonly itemBias: Float32Array | null;
  readonly yRange: readonly [number, number] | null;
}

/**
 * Anything that scores (user, item) pairs: every model, and the evaluation package's baselines.
 * `factors()` returns the factor tables when the score is a (biased) dot product of them, else `null`.
 */
export interface Scorer {
  readonly nUsers: number;
  readonly nItems: number;
  predict(users: Int32Array, items: Int32Array): Float32Array;
  factors(): FactorTables | null;
  /**
   * Optional fast path for ranking: scores of `users[from .. from + count)` against every item, row-major
   * into `out`. Ranking code uses it when present (every `Recommender` has it).
   */
  scoreUsers?(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void;
}
