import type { SparseRowAccumulator } from '@collab-ts/core';
import type { DotTables } from '../dot-args.js';
import { BCE } from '../dot-args.js';

/**
 * Fused forward + loss + backward of the plain dot product (`dot`): `x = <U[u], I[i]>`, optionally through
 * the y-range sigmoid, MSE or BCE-with-logits loss. Adds the gradients of the mean loss into `acc` when it
 * is given and returns the mean loss.
 */
export function dotLossFused(
  t: DotTables,
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  loss: number,
  acc: { readonly userFactors: SparseRowAccumulator; readonly itemFactors: SparseRowAccumulator } | null,
): number {
  const n = ratings.length;
  const k = t.k;
  const uf = t.userFactors;
  const vf = t.itemFactors;
  const hasRange = t.hasRange;
  const lo = t.lo;
  const span = t.hi - t.lo;
  const invN = 1 / n;
  const k4 = k - (k % 4);
  let total = 0;
  // hot loop: one pass per rating: dot product, loss, d(loss)/d(score), then row gradients added in place
  for (let b = 0; b < n; b++) {
    const uo = users[b] * k;
    const io = items[b] * k;
    // four partial sums let the CPU overlap the multiply-adds
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    let x3 = 0;
    let j = 0;
    for (; j < k4; j += 4) {
      x0 += uf[uo + j] * vf[io + j];
      x1 += uf[uo + j + 1] * vf[io + j + 1];
      x2 += uf[uo + j + 2] * vf[io + j + 2];
      x3 += uf[uo + j + 3] * vf[io + j + 3];
    }
    for (; j < k; j++) x0 += uf[uo + j] * vf[io + j];
    const x = x0 + x1 + (x2 + x3);
    const y = ratings[b];
    let g: number;
    if (loss === BCE) {
      total += (x > 0 ? x : 0) + Math.log1p(Math.exp(-Math.abs(x))) - x * y;
      g = (1 / (1 + Math.exp(-x)) - y) * invN;
    } else if (hasRange) {
      const s = 1 / (1 + Math.exp(-x));
      const e = lo + span * s - y;
      total += e * e;
      g = 2 * e * invN * span * s * (1 - s);
    } else {
      const e = x - y;
      total += e * e;
      g = 2 * e * invN;
    }
    if (acc === null) continue;
    const su = acc.userFactors.slot(users[b]);
    const si = acc.itemFactors.slot(items[b]);
    const gu = acc.userFactors.buffer;
    const gi = acc.itemFactors.buffer;
    let q = 0;
    for (; q < k4; q += 4) {
      gu[su + q] += g * vf[io + q];
      gu[su + q + 1] += g * vf[io + q + 1];
      gu[su + q + 2] += g * vf[io + q + 2];
      gu[su + q + 3] += g * vf[io + q + 3];
      gi[si + q] += g * uf[uo + q];
      gi[si + q + 1] += g * uf[uo + q + 1];
      gi[si + q + 2] += g * uf[uo + q + 2];
      gi[si + q + 3] += g * uf[uo + q + 3];
    }
    for (; q < k; q++) {
      gu[su + q] += g * vf[io + q];
      gi[si + q] += g * uf[uo + q];
    }
  }
  return total * invN;
}

/** Predictions of the plain dot product for `users[b], items[b]` into `out` (y-range applied). */
export function dotPredictFused(t: DotTables, users: Int32Array, items: Int32Array, out: Float32Array): Float32Array {
  const k = t.k;
  const uf = t.userFactors;
  const vf = t.itemFactors;
  const span = t.hi - t.lo;
  // hot loop: dot product per pair, straight from the tables
  for (let b = 0; b < users.length; b++) {
    const uo = users[b] * k;
    const io = items[b] * k;
    let x = 0;
    for (let j = 0; j < k; j++) x += uf[uo + j] * vf[io + j];
    out[b] = t.hasRange ? t.lo + span / (1 + Math.exp(-x)) : x;
  }
  return out;
}
