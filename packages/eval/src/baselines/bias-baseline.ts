import type { RatingColumns, Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { checkPairs, globalMean, resolveShape, type BaselineShape } from './shape.js';

/** Options of {@link biasBaseline}. */
export interface BiasBaselineOptions extends BaselineShape {
  /** Regularisation of user biases (default 15, Surprise's `reg_u`). */
  regUser?: number;
  /** Regularisation of item biases (default 10, Surprise's `reg_i`). */
  regItem?: number;
  /** Alternating passes (default 10, Surprise's `n_epochs`). */
  iterations?: number;
}

/** A scorer predicting `globalMean + userBias[u] + itemBias[i]`. */
export interface BiasBaseline extends Scorer {
  readonly globalMean: number;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
}

/**
 * Regularised user and item biases fitted by alternating least squares, as Surprise's `BaselineOnly` with
 * `method: 'als'`: each pass first sets every item bias to
 * `sum over its ratings of (r - mu - b_u) / (regItem + count)`, then every user bias to
 * `sum over their ratings of (r - mu - b_i) / (regUser + count)`. Unseen users and items keep bias 0.
 * `factors()` is `null` (there is no factor table, and the global mean has no place in one).
 * @throws UsageError on an empty train set or negative/non-finite options.
 */
export function biasBaseline(train: RatingColumns, options: BiasBaselineOptions = {}): BiasBaseline {
  const { nUsers, nItems } = resolveShape(train, options, 'biasBaseline');
  const regUser = options.regUser ?? 15;
  const regItem = options.regItem ?? 10;
  const iterations = options.iterations ?? 10;
  if (!(regUser >= 0) || !(regItem >= 0) || !Number.isFinite(regUser) || !Number.isFinite(regItem)) {
    throw new UsageError('biasBaseline: regUser and regItem must be finite and >= 0');
  }
  if (!Number.isInteger(iterations) || iterations < 0) throw new UsageError('biasBaseline: iterations must be a non-negative integer');
  const mu = globalMean(train, 'biasBaseline');
  const n = train.ratings.length;
  const { users, items, ratings } = train;
  const userCount = new Int32Array(nUsers);
  const itemCount = new Int32Array(nItems);
  for (let j = 0; j < n; j++) {
    userCount[users[j]]++;
    itemCount[items[j]]++;
  }
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nItems);
  const acc = new Float64Array(Math.max(nUsers, nItems));
  for (let it = 0; it < iterations; it++) {
    acc.fill(0, 0, nItems);
    for (let j = 0; j < n; j++) acc[items[j]] += ratings[j] - mu - bu[users[j]];
    for (let i = 0; i < nItems; i++) bi[i] = itemCount[i] > 0 ? acc[i] / (regItem + itemCount[i]) : 0;
    acc.fill(0, 0, nUsers);
    for (let j = 0; j < n; j++) acc[users[j]] += ratings[j] - mu - bi[items[j]];
    for (let u = 0; u < nUsers; u++) bu[u] = userCount[u] > 0 ? acc[u] / (regUser + userCount[u]) : 0;
  }
  return {
    nUsers,
    nItems,
    globalMean: mu,
    userBias: bu,
    itemBias: bi,
    predict(us, is) {
      checkPairs(us, is, nUsers, nItems, 'biasBaseline');
      const out = new Float32Array(us.length);
      for (let j = 0; j < us.length; j++) out[j] = mu + bu[us[j]] + bi[is[j]];
      return out;
    },
    factors: () => null,
  };
}
