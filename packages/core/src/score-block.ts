import type { FactorTables } from './scoring.js';

/**
 * The blocked product `out[b, i] = dot(userFactors[u_b], itemFactors[i]) + userBias[u_b] + itemBias[i]`,
 * summed left to right in double precision and rounded once to float32. `yRange`'s sigmoid is skipped:
 * it is monotone, so rankings do not change. The item loop is outside so one item row is reused for a
 * block of users; four users share each item-factor load.
 */
export function scoreFactorBlock(
  t: FactorTables,
  users: ArrayLike<number>,
  from: number,
  count: number,
  nItems: number,
  out: Float32Array,
): void {
  const d = t.dim;
  const U = t.userFactors;
  const V = t.itemFactors;
  const ub = t.userBias;
  const ib = t.itemBias;
  const base = new Int32Array(count);
  const bias = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    base[b] = users[from + b] * d;
    bias[b] = ub ? ub[users[from + b]] : 0;
  }
  const b4 = count - (count % 4);
  for (let i = 0; i < nItems; i++) {
    const io = i * d;
    const bi = ib ? ib[i] : 0;
    let b = 0;
    for (; b < b4; b += 4) {
      const o0 = base[b];
      const o1 = base[b + 1];
      const o2 = base[b + 2];
      const o3 = base[b + 3];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < d; k++) {
        const v = V[io + k];
        s0 += U[o0 + k] * v;
        s1 += U[o1 + k] * v;
        s2 += U[o2 + k] * v;
        s3 += U[o3 + k] * v;
      }
      out[b * nItems + i] = s0 + bias[b] + bi;
      out[(b + 1) * nItems + i] = s1 + bias[b + 1] + bi;
      out[(b + 2) * nItems + i] = s2 + bias[b + 2] + bi;
      out[(b + 3) * nItems + i] = s3 + bias[b + 3] + bi;
    }
    for (; b < count; b++) {
      const o = base[b];
      let s = 0;
      for (let k = 0; k < d; k++) s += U[o + k] * V[io + k];
      out[b * nItems + i] = s + bias[b] + bi;
    }
  }
}
