import { userItemMatrix } from '@collab-ts/core';
import type { RatingColumns, Rng } from '@collab-ts/core';
import type { SvdStep, SvdTables } from './sgd-block.js';

/**
 * The implicit-feedback factors of SVD++ (Koren 2008; Surprise's `SVDpp`): one row `y_j` per item, and its
 * adaptive-step accumulator (1 at the start). User `u`'s vector is `p_u + |N(u)|^-1/2 Σ_{j in N(u)} y_j`,
 * `N(u)` the items `u` rated in training: which items a user chose to rate says something about their taste.
 */
export interface ImplicitTables {
  readonly y: Float32Array;
  readonly yG: Float32Array;
}

/** Training ratings grouped by user (CSR): user `u`'s are `offsets[u] .. offsets[u + 1] - 1`, in any order. */
export interface UserRatingRows {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/** The steps of one SVD++ epoch: {@link SvdStep}'s, plus those of the implicit factors. */
export interface ImplicitStep extends SvdStep {
  /** Step of the `y` rows (Surprise's `lr_yj`). */
  readonly lrImplicit: number;
  /** L2 penalty on a `y` row each time one of its users is trained (Surprise's `reg_yj`). */
  readonly regImplicit: number;
}

/** A copy of the training ratings grouped by user (core's user-item CSR matrix, whose rows are then shuffled in place). */
export function userRatingRows(train: RatingColumns, nUsers: number, nItems: number): UserRatingRows {
  const m = userItemMatrix(train, nUsers, nItems);
  return { offsets: m.offsets, items: m.indices, ratings: m.values };
}

/** Shuffles each user's ratings in place (items and ratings together), for a new order in each epoch. */
export function shuffleWithinUsers(r: UserRatingRows, rng: Rng): void {
  const { offsets, items, ratings } = r;
  for (let u = 0; u + 1 < offsets.length; u++) {
    const a = offsets[u];
    for (let x = offsets[u + 1] - 1; x > a; x--) {
      const y = a + rng.int(x - a + 1);
      const i = items[x];
      items[x] = items[y];
      items[y] = i;
      const v = ratings[x];
      ratings[x] = ratings[y];
      ratings[y] = v;
    }
  }
}

/**
 * `out[u] = p_u + |N(u)|^-1/2 Σ_{j in N(u)} y_j` for every user: the user vectors SVD++ predicts with, so
 * the trained model is a plain biased factorisation (ranking, export and fold-in need nothing else).
 */
export function implicitUserFactors(P: Float32Array, imp: ImplicitTables, r: UserRatingRows, d: number, out: Float32Array): Float32Array {
  const Y = imp.y;
  const nUsers = r.offsets.length - 1;
  const z = new Float64Array(d);
  for (let u = 0; u < nUsers; u++) {
    const a = r.offsets[u];
    const b = r.offsets[u + 1];
    z.fill(0);
    for (let x = a; x < b; x++) {
      const yo = r.items[x] * d;
      for (let k = 0; k < d; k++) z[k] += Y[yo + k];
    }
    const s = b > a ? 1 / Math.sqrt(b - a) : 0;
    for (let k = 0; k < d; k++) out[u * d + k] = P[u * d + k] + s * z[k];
  }
  return out;
}

/**
 * One SVD++ epoch: users in `userOrder`, each user's ratings in their stored order. For user `u` it forms
 * `z = |N(u)|^-1/2 Σ y_j` once, then for each rating takes the error of `mean + b_u + b_i + (p_u + z) . q_i`
 * and steps both biases, `p_u` and `q_i` along minus the gradient of
 * `err^2 / 2 + reg / 2 (|p_u|^2 + |q_i|^2) + regBias / 2 (b_u^2 + b_i^2)`, as {@link sgdBlock} does (AdaGrad
 * steps when `adaptive`). The gradient for the `y` rows, `-|N(u)|^-1/2 Σ err q_i` over the user's ratings
 * (with the `q_i` read before each update), is summed over the pass and applied once at its end to every
 * `y_j` of `N(u)`, with the penalty `regImplicit / 2 |y_j|^2`: the usual way to keep the cost per rating at
 * O(factors) instead of O(factors x |N(u)|). Returns the sum of squared errors before each update.
 *
 * Hand-written because this loop is the whole cost of an SVD++ fit: typed arrays, no allocation per rating.
 */
export function implicitEpoch(t: SvdTables, imp: ImplicitTables, r: UserRatingRows, userOrder: Int32Array, s: ImplicitStep): number {
  const d = t.dim;
  const P = t.userFactors;
  const Q = t.itemFactors;
  const Y = imp.y;
  const gY = imp.yG;
  const bu = t.userBias;
  const bi = t.itemBias;
  const gP = t.userFactorsG;
  const gQ = t.itemFactorsG;
  const gbu = t.userBiasG;
  const gbi = t.itemBiasG;
  const { lr, reg, lrBias, regBias, mean, adaptive, lrImplicit, regImplicit } = s;
  const z = new Float64Array(d);
  const gz = new Float64Array(d);
  const pv = new Float64Array(d);
  const w = new Float64Array(d);
  const d4 = d & ~3;
  let sse = 0;
  for (let o = 0; o < userOrder.length; o++) {
    const u = userOrder[o];
    const a = r.offsets[u];
    const b = r.offsets[u + 1];
    if (a === b) continue;
    const norm = 1 / Math.sqrt(b - a);
    z.fill(0);
    for (let x = a; x < b; x++) {
      const yo = r.items[x] * d;
      for (let k = 0; k < d; k++) z[k] += Y[yo + k];
    }
    // the user's row and p + z in doubles for the pass (no other rating of the pass touches them)
    const po = u * d;
    for (let k = 0; k < d; k++) {
      z[k] *= norm;
      pv[k] = P[po + k];
      w[k] = pv[k] + z[k];
    }
    gz.fill(0);
    for (let x = a; x < b; x++) {
      const i = r.items[x];
      const qo = i * d;
      // (p + z) . q, four columns at a time into separate sums (short dependency chains)
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      let k = 0;
      for (; k < d4; k += 4) {
        d0 += w[k] * Q[qo + k];
        d1 += w[k + 1] * Q[qo + k + 1];
        d2 += w[k + 2] * Q[qo + k + 2];
        d3 += w[k + 3] * Q[qo + k + 3];
      }
      for (; k < d; k++) d0 += w[k] * Q[qo + k];
      const dot = d0 + d1 + (d2 + d3);
      const bU = bu[u];
      const bI = bi[i];
      const err = r.ratings[x] - (mean + bU + bI + dot);
      sse += err * err;
      const hu = err - regBias * bU;
      const hi = err - regBias * bI;
      // the rows' steps come from G before this update; G grows by the mean squared gradient after it
      const su = adaptive ? lr / Math.sqrt(gP[u]) : lr;
      const si = adaptive ? lr / Math.sqrt(gQ[i]) : lr;
      if (adaptive) {
        bu[u] = bU + (lrBias / Math.sqrt(gbu[u])) * hu;
        bi[i] = bI + (lrBias / Math.sqrt(gbi[i])) * hi;
        gbu[u] += hu * hu;
        gbi[i] += hi * hi;
      } else {
        bu[u] = bU + lrBias * hu;
        bi[i] = bI + lrBias * hi;
      }
      // p += su (err q - reg p), q += si (err (p + z) - reg q), both from the old values; gz sums err q
      let g2p = 0;
      let g2q = 0;
      for (k = 0; k < d; k++) {
        const p = pv[k];
        const q = Q[qo + k];
        const dp = err * q - reg * p;
        const dq = err * w[k] - reg * q;
        g2p += dp * dp;
        g2q += dq * dq;
        gz[k] += err * q;
        pv[k] = p + su * dp;
        w[k] += su * dp;
        Q[qo + k] = q + si * dq;
      }
      if (adaptive) {
        gP[u] += g2p / d;
        gQ[i] += g2q / d;
      }
    }
    for (let k = 0; k < d; k++) P[po + k] = pv[k];
    // y_j += step (norm gz - regImplicit y_j) for every item the user rated, the step read before G grows
    for (let k = 0; k < d; k++) gz[k] *= norm;
    for (let x = a; x < b; x++) {
      const j = r.items[x];
      const yo = j * d;
      const sy = adaptive ? lrImplicit / Math.sqrt(gY[j]) : lrImplicit;
      let g2 = 0;
      for (let k = 0; k < d; k++) {
        const y = Y[yo + k];
        const g = gz[k] - regImplicit * y;
        g2 += g * g;
        Y[yo + k] = y + sy * g;
      }
      if (adaptive) gY[j] += g2 / d;
    }
  }
  return sse;
}
