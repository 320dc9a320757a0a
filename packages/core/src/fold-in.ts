import type { FactorTables } from './scoring.js';
import { UsageError } from './errors.js';
import { choleskySolve } from './linalg/cholesky.js';

/** One rating by a new user. */
export interface NewUserRating {
  item: number;
  rating: number;
}

/** Options of {@link foldInUser}. */
export interface FoldInOptions {
  /** Ridge penalty on the user's factor vector (default 1). Must be > 0. */
  lambda?: number;
  /** Ridge penalty on the user's bias (default 0.1). */
  biasLambda?: number;
  /**
   * The model's output range (default `factors.yRange`); `null` for a plain dot product. When set, targets
   * are mapped to the logit scale for the first solve and refined by Gauss-Newton steps.
   */
  yRange?: readonly [number, number] | null;
  /** Gauss-Newton refinement steps on the rating scale when `yRange` is set (default 5). */
  gaussNewtonSteps?: number;
}

/** A new user's fitted factors. */
export interface FoldIn {
  /** Factor vector, length `dim`. */
  vector: Float32Array;
  /** User bias (0 when the model has no user biases). */
  bias: number;
  /** How many ratings it was fitted on (0: nothing known, recommend by the fallback). */
  nRatings: number;
  /** The items rated, excluded from recommendations by default. */
  items: Int32Array;
  /** The output range used for the fit and for scoring. */
  yRange: readonly [number, number] | null;
}

const EPS = 0.01;

/**
 * Fits a new user against FIXED item factors (fastai chapter 8's bootstrapping problem), without retraining:
 * ridge-regularised least squares over `dim + 1` unknowns (the factor vector and the bias; only `dim` when
 * the model has no user biases), solved by Cholesky.
 *
 * The prediction model is `f(q_i · p + b + itemBias_i)` with `f` the identity, or with `yRange = [lo, hi]`
 * the scaled sigmoid `lo + (hi - lo) σ(x)`. In the sigmoid case each rating is first mapped to the logit
 * scale, `logit(clip((r - lo) / (hi - lo), 0.01, 0.99))` (clipping keeps ratings at or beyond the range
 * finite), and the linear problem is solved there; then `gaussNewtonSteps` damped Gauss-Newton steps
 * minimise the squared error on the rating scale plus the same penalties (a step is halved until the
 * objective decreases, and refinement stops when it cannot).
 *
 * With no ratings the result is the zero vector and bias 0 with `nRatings: 0`; {@link recommendForNewUser}
 * then falls back to popularity.
 * @throws UsageError on an out-of-range item, a non-finite rating or a non-positive `lambda`.
 */
export function foldInUser(factors: FactorTables, ratings: readonly NewUserRating[], options: FoldInOptions = {}): FoldIn {
  const d = factors.dim;
  const nItems = d > 0 ? factors.itemFactors.length / d : (factors.itemBias?.length ?? 0);
  const lambda = options.lambda ?? 1;
  const biasLambda = options.biasLambda ?? 0.1;
  const yRange = options.yRange === undefined ? factors.yRange : options.yRange;
  const steps = options.gaussNewtonSteps ?? 5;
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new UsageError('foldInUser: lambda must be a positive number');
  if (!(biasLambda >= 0) || !Number.isFinite(biasLambda)) throw new UsageError('foldInUser: biasLambda must be a non-negative number');
  if (!Number.isInteger(steps) || steps < 0) throw new UsageError('foldInUser: gaussNewtonSteps must be a non-negative integer');
  if (yRange && !(yRange[1] > yRange[0])) throw new UsageError('foldInUser: yRange must be [low, high] with low < high');
  const n = ratings.length;
  const items = new Int32Array(n);
  const r = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const { item, rating } = ratings[j];
    if (!Number.isInteger(item) || item < 0 || item >= nItems) throw new UsageError(`foldInUser: item index ${item} outside 0..${nItems - 1}`);
    if (!Number.isFinite(rating)) throw new UsageError(`foldInUser: rating ${rating} for item ${item} is not a finite number`);
    items[j] = item;
    r[j] = rating;
  }
  if (n === 0) return { vector: new Float32Array(d), bias: 0, nRatings: 0, items, yRange };
  const withBias = factors.userBias !== null;
  const m = d + (withBias ? 1 : 0);
  const V = factors.itemFactors;
  const ib = factors.itemBias;
  const penalty = new Float64Array(m).fill(lambda);
  if (withBias) penalty[d] = biasLambda;
  /** Feature j of rating row t: item factor, or 1 for the bias. */
  const feat = (t: number, j: number) => (j < d ? V[items[t] * d + j] : 1);

  // first solve: linear ridge on the (logit-scale) targets minus the item bias
  const target = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let z = r[t];
    if (yRange) {
      const u = Math.min(1 - EPS, Math.max(EPS, (z - yRange[0]) / (yRange[1] - yRange[0])));
      z = Math.log(u / (1 - u));
    }
    target[t] = z - (ib ? ib[items[t]] : 0);
  }
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    for (let i = 0; i < m; i++) {
      const fi = feat(t, i);
      b[i] += fi * target[t];
      for (let j = 0; j <= i; j++) a[i * m + j] += fi * feat(t, j);
    }
  }
  for (let i = 0; i < m; i++) {
    a[i * m + i] += penalty[i];
    for (let j = 0; j < i; j++) a[j * m + i] = a[i * m + j];
  }
  let w = choleskySolve(a, b, m);

  if (yRange && steps > 0) w = refine(w, { n, m, d, r, items, feat, ib, yRange, penalty, steps });
  return { vector: Float32Array.from(w.subarray(0, d)), bias: withBias ? w[d] : 0, nRatings: n, items, yRange };
}

interface RefineArgs {
  n: number;
  m: number;
  d: number;
  r: Float64Array;
  items: Int32Array;
  feat: (t: number, j: number) => number;
  ib: Float32Array | null;
  yRange: readonly [number, number];
  penalty: Float64Array;
  steps: number;
}

/** Damped Gauss-Newton on sum (r - f(x))² + Σ penalty w². */
function refine(w0: Float64Array, g: RefineArgs): Float64Array {
  const { n, m, r, feat, ib, items, yRange, penalty } = g;
  const span = yRange[1] - yRange[0];
  const x = new Float64Array(n);
  const objective = (w: Float64Array): number => {
    let s = 0;
    for (let t = 0; t < n; t++) {
      let z = ib ? ib[items[t]] : 0;
      for (let j = 0; j < m; j++) z += feat(t, j) * w[j];
      x[t] = z;
      const e = r[t] - (yRange[0] + span / (1 + Math.exp(-z)));
      s += e * e;
    }
    for (let j = 0; j < m; j++) s += penalty[j] * w[j] * w[j];
    return s;
  };
  let w = w0;
  let best = objective(w);
  for (let step = 0; step < g.steps; step++) {
    objective(w); // fills x for the current w
    const a = new Float64Array(m * m);
    const b = new Float64Array(m);
    for (let t = 0; t < n; t++) {
      const s = 1 / (1 + Math.exp(-x[t]));
      const e = r[t] - (yRange[0] + span * s);
      const df = span * s * (1 - s);
      for (let i = 0; i < m; i++) {
        const ji = df * feat(t, i);
        b[i] += ji * e;
        for (let j = 0; j <= i; j++) a[i * m + j] += ji * df * feat(t, j);
      }
    }
    for (let i = 0; i < m; i++) {
      a[i * m + i] += penalty[i];
      b[i] -= penalty[i] * w[i];
      for (let j = 0; j < i; j++) a[j * m + i] = a[i * m + j];
    }
    const delta = choleskySolve(a, b, m);
    let scale = 1;
    let improved = false;
    for (let tries = 0; tries < 6; tries++, scale /= 2) {
      const cand = w.map((v, j) => v + scale * delta[j]);
      const o = objective(cand);
      if (o < best) {
        best = o;
        w = cand;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return w;
}
