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
  const d4 = d & ~3;
  let sse = 0;
  for (let j = from; j < to; j++) {
    const u = users[j];
    const i = items[j];
    const po = u * d;
    const qo = i * d;
    // p.q, |p|^2 and |q|^2 in one pass, four columns at a time into separate sums (short dependency chains)
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let p0 = 0;
    let p1 = 0;
    let q0 = 0;
    let q1 = 0;
    let k = 0;
    for (; k < d4; k += 4) {
      const x0 = P[po + k];
      const x1 = P[po + k + 1];
      const x2 = P[po + k + 2];
      const x3 = P[po + k + 3];
      const y0 = Q[qo + k];
      const y1 = Q[qo + k + 1];
      const y2 = Q[qo + k + 2];
      const y3 = Q[qo + k + 3];
      a0 += x0 * y0;
      a1 += x1 * y1;
      a2 += x2 * y2;
      a3 += x3 * y3;
      p0 += x0 * x0 + x2 * x2;
      p1 += x1 * x1 + x3 * x3;
      q0 += y0 * y0 + y2 * y2;
      q1 += y1 * y1 + y3 * y3;
    }
    for (; k < d; k++) {
      const x = P[po + k];
      const y = Q[qo + k];
      a0 += x * y;
      p0 += x * x;
      q0 += y * y;
    }
    const dot = a0 + a1 + (a2 + a3);
    const pp = p0 + p1;
    const qq = q0 + q1;
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
      // |err q - reg p|^2 and |err p - reg q|^2 expanded, from the sums above
      const cross = 2 * err * reg * dot;
      gP[u] += (err * err * qq - cross + reg * reg * pp) / d;
      gQ[i] += (err * err * pp - cross + reg * reg * qq) / d;
    } else {
      bu[u] = bU + lrBias * hu;
      bi[i] = bI + lrBias * hi;
    }
    // p += su (err q - reg p), q += si (err p - reg q), both from the old values
    const keepP = 1 - su * reg;
    const keepQ = 1 - si * reg;
    const gu = su * err;
    const gi = si * err;
    for (k = 0; k < d; k++) {
      const p = P[po + k];
      const q = Q[qo + k];
      P[po + k] = keepP * p + gu * q;
      Q[qo + k] = keepQ * q + gi * p;
    }
  }
  return sse;
}
