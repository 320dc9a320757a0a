/**
 * The tables per-rating SGD of biased matrix factorisation updates in place: the factor rows and biases,
 * and one squared-gradient accumulator per row (LibMF's adaptive step; all 1 at the start).
 */
export interface SvdTables {
  readonly dim: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array;
  readonly itemBias: Float32Array;
  /** Per user row: 1 + the running mean over coordinates of the squared factor gradients. */
  readonly userFactorsG: Float32Array;
  readonly itemFactorsG: Float32Array;
  /** Per user: 1 + the running sum of squared bias gradients. */
  readonly userBiasG: Float32Array;
  readonly itemBiasG: Float32Array;
}

/** Ratings as parallel columns (a block of them is a range of indices). */
export interface RatingRows {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/** Step sizes and penalties of one epoch. */
export interface SvdStep {
  readonly lr: number;
  readonly reg: number;
  readonly lrBias: number;
  readonly regBias: number;
  /** The global mean, subtracted from every rating. */
  readonly mean: number;
  /** LibMF's row-adaptive step (`lr / sqrt(G)` per row, AdaGrad) instead of one global step. */
  readonly adaptive: boolean;
}

/**
 * Per-rating SGD over ratings `from..to-1` (the update of Funk, Surprise's SVD and LibMF): for each rating,
 * the error of `mean + b_u + b_i + p_u . q_i`, then simultaneous steps on both biases and both factor rows
 * along the gradient of `err^2 / 2 + reg / 2 (|p_u|^2 + |q_i|^2) + regBias / 2 (b_u^2 + b_i^2)`, so each
 * rating regularises only the rows it touches and the penalty per epoch does not depend on how the ratings
 * are batched. With `adaptive`, each row's step is `lr / sqrt(G)` where `G` starts at 1 and grows by the mean
 * squared gradient coordinate of each of the row's updates (the squared gradient for a bias), as LibMF does;
 * `G` is read before the update and grown after it. Returns the sum of squared errors before each update.
 *
 * Hand-written because this loop is the whole cost of training: one pass over typed arrays with no allocation.
 * It references nothing outside its own body, because the worker threads run its source text (`toString()`).
 */
export function sgdBlock(t: SvdTables, r: RatingRows, from: number, to: number, s: SvdStep): number {
  const d = t.dim;
  const P = t.userFactors;
  const Q = t.itemFactors;
  const bu = t.userBias;
  const bi = t.itemBias;
  const gP = t.userFactorsG;
  const gQ = t.itemFactorsG;
  const gbu = t.userBiasG;
  const gbi = t.itemBiasG;
  const users = r.users;
  const items = r.items;
  const ratings = r.ratings;
  const lr = s.lr;
  const reg = s.reg;
  const lrBias = s.lrBias;
  const regBias = s.regBias;
  const mean = s.mean;
  const adaptive = s.adaptive;
  let sse = 0;
  for (let j = from; j < to; j++) {
    const u = users[j];
    const i = items[j];
    const po = u * d;
    const qo = i * d;
    let dot = 0;
    for (let k = 0; k < d; k++) dot += P[po + k] * Q[qo + k];
    const bU = bu[u];
    const bI = bi[i];
    const err = ratings[j] - (mean + bU + bI + dot);
    sse += err * err;
    // descent directions (minus the gradients) of the biases
    const hu = err - regBias * bU;
    const hi = err - regBias * bI;
    let su = lr;
    let si = lr;
    if (adaptive) {
      su = lr / Math.sqrt(gP[u]);
      si = lr / Math.sqrt(gQ[i]);
      bu[u] = bU + (lrBias / Math.sqrt(gbu[u])) * hu;
      bi[i] = bI + (lrBias / Math.sqrt(gbi[i])) * hi;
      gbu[u] += hu * hu;
      gbi[i] += hi * hi;
    } else {
      bu[u] = bU + lrBias * hu;
      bi[i] = bI + lrBias * hi;
    }
    let sp = 0;
    let sq = 0;
    for (let k = 0; k < d; k++) {
      const p = P[po + k];
      const q = Q[qo + k];
      const hp = err * q - reg * p;
      const hq = err * p - reg * q;
      sp += hp * hp;
      sq += hq * hq;
      P[po + k] = p + su * hp;
      Q[qo + k] = q + si * hq;
    }
    if (adaptive) {
      gP[u] += sp / d;
      gQ[i] += sq / d;
    }
  }
  return sse;
}
