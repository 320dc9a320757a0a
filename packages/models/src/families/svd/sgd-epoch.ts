/** The tables one SGD epoch of biased matrix factorisation updates in place. */
export interface SvdTables {
  readonly dim: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
}

/** Step sizes and penalties of one epoch. */
export interface SvdStep {
  readonly lr: number;
  readonly reg: number;
  readonly lrBias: number;
  readonly regBias: number;
  /** The global mean, subtracted from every rating. */
  readonly mean: number;
}

/**
 * One epoch of per-rating SGD over the ratings in `order` (Funk / Surprise SVD / LibMF's update): for each
 * rating, the error of `mean + b_u + b_i + p_u . q_i`, then simultaneous updates of both biases and both
 * factor rows, each with its own L2 penalty applied at the touch (so regularisation per epoch does not
 * depend on batch sizes or the number of steps). Returns the sum of squared errors before each update.
 *
 * Hand-written because this loop is the whole cost of training: one pass over typed arrays with no
 * allocation and no per-step bookkeeping of idle rows, which is what LibMF does in C++.
 */
export function svdEpoch(t: SvdTables, users: Int32Array, items: Int32Array, ratings: Float32Array, order: Int32Array, s: SvdStep): number {
  const d = t.dim;
  const P = t.userFactors;
  const Q = t.itemFactors;
  const bu = t.userBias;
  const bi = t.itemBias;
  const { lr, reg, lrBias, regBias, mean } = s;
  const keep = 1 - lr * reg;
  let sse = 0;
  for (let n = 0; n < order.length; n++) {
    const j = order[n];
    const u = users[j];
    const i = items[j];
    const po = u * d;
    const qo = i * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += P[po + k] * Q[qo + k];
    const err = ratings[j] - (mean + bu[u] + bi[i] + dot);
    sse += err * err;
    bu[u] += lrBias * (err - regBias * bu[u]);
    bi[i] += lrBias * (err - regBias * bi[i]);
    const g = lr * err;
    for (let k = 0; k < d; k++) {
      const p = P[po + k];
      const q = Q[qo + k];
      P[po + k] = keep * p + g * q;
      Q[qo + k] = keep * q + g * p;
    }
  }
  return sse;
}
