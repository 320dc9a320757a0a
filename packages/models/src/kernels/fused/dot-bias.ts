import type { DotAccumulators, DotTables } from '../dot-args.js';
import { BCE } from '../dot-args.js';

/**
 * Fused forward + loss + backward of the biased dot product (`dot-bias`, `dot-bias-raw`,
 * `embedding-dot-bias`) over a batch: `x = ub[u] + ib[i] + <U[u], I[i]>`, optionally through the y-range
 * sigmoid, MSE or BCE-with-logits loss. Adds the gradients of the mean loss into `acc` when it is given and
 * returns the mean loss.
 */
export function dotBiasLossFused(
  t: DotTables,
  users: Int32Array,
  items: Int32Array,
  ratings: Float32Array,
  loss: number,
  acc: DotAccumulators | null,
): number {
  const n = ratings.length;
  const k = t.k;
  const uf = t.userFactors;
  const vf = t.itemFactors;
  const ub = t.userBias!;
  const vb = t.itemBias!;
  const hasRange = t.hasRange;
  const lo = t.lo;
  const span = t.hi - t.lo;
  const invN = 1 / n;
  let total = 0;
  // hot loop: one pass per rating: dot product, loss, d(loss)/d(score), then row gradients added in place
  for (let b = 0; b < n; b++) {
    const u = users[b];
    const i = items[b];
    const uo = u * k;
    const io = i * k;
    let x = ub[u] + vb[i];
    for (let j = 0; j < k; j++) x += uf[uo + j] * vf[io + j];
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
    const su = acc.userFactors.slot(u);
    const si = acc.itemFactors.slot(i);
    const gu = acc.userFactors.buffer;
    const gi = acc.itemFactors.buffer;
    for (let j = 0; j < k; j++) {
      gu[su + j] += g * vf[io + j];
      gi[si + j] += g * uf[uo + j];
    }
    const sbu = acc.userBias!.slot(u);
    acc.userBias!.buffer[sbu] += g;
    const sbi = acc.itemBias!.slot(i);
    acc.itemBias!.buffer[sbi] += g;
  }
  return total * invN;
}

/** Predictions of the biased dot product for `users[b], items[b]` into `out` (y-range applied). */
export function dotBiasPredictFused(t: DotTables, users: Int32Array, items: Int32Array, out: Float32Array): Float32Array {
  const k = t.k;
  const uf = t.userFactors;
  const vf = t.itemFactors;
  const ub = t.userBias!;
  const vb = t.itemBias!;
  const span = t.hi - t.lo;
  // hot loop: biased dot product per pair, straight from the tables
  for (let b = 0; b < users.length; b++) {
    const uo = users[b] * k;
    const io = items[b] * k;
    let x = ub[users[b]] + vb[items[b]];
    for (let j = 0; j < k; j++) x += uf[uo + j] * vf[io + j];
    out[b] = t.hasRange ? t.lo + span / (1 + Math.exp(-x)) : x;
  }
  return out;
}
