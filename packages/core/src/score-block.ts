import { sharedGemmArena } from './gemm/gemm.js';
import type { FactorTables } from './scoring.js';

/**
 * How {@link scoreFactorBlock} sums: `f64` (the default) gives the exact floats of {@link factorScore};
 * `f32` sums in float32 on the kernel's fast path, about 3x quicker and within {@link F32ScoreBound}'s slack of
 * the exact scores (for scans that re-score their few candidates exactly).
 */
export type BlockAccumulation = 'f64' | 'f32';

/**
 * The blocked product `out[b, i] = dot(userFactors[u_b], itemFactors[i]) + userBias[u_b] + itemBias[i]`,
 * summed left to right (k = 0 .. dim-1) in double precision, then the user bias and the item bias added in
 * double, rounded once to float32: the same floats as a scalar loop `s += u[k] * v[k]; s + bu + bi`, so pair
 * scores and block scores agree to the bit. `yRange`'s sigmoid is skipped: it is monotone, so rankings do not
 * change. It runs as one matrix product U·Vᵀ on core's WebAssembly SIMD kernel in its exact f64-accumulation
 * mode (f64x2 lanes, 4x4 register tiles, item factors packed once per call), or the JS fallback without SIMD.
 */
export function scoreFactorBlock(
  t: FactorTables,
  users: ArrayLike<number>,
  from: number,
  count: number,
  nItems: number,
  out: Float32Array,
  accumulate: BlockAccumulation = 'f64',
): void {
  const d = t.dim;
  const U = t.userFactors;
  const ub = t.userBias;
  // the block's user rows (and biases) gathered into one matrix
  const rows = new Float32Array(count * d);
  const rowBias = ub ? new Float32Array(count) : null;
  for (let b = 0; b < count; b++) {
    const u = users[from + b];
    rows.set(U.subarray(u * d, (u + 1) * d), b * d);
    if (rowBias) rowBias[b] = ub![u];
  }
  sharedGemmArena().gemm(
    { data: rows, rows: count, cols: d },
    { data: t.itemFactors, rows: nItems, cols: d },
    { data: out, rows: count, cols: nItems },
    { transB: true, accumulate, rowBias, colBias: t.itemBias },
  );
}

/**
 * One (user, item) score with the exact semantics of {@link scoreFactorBlock}'s `f64` mode: the dot product
 * summed left to right in double, then the user bias and the item bias added in double, rounded once.
 */
export function factorScore(t: FactorTables, user: number, item: number): number {
  const d = t.dim;
  const U = t.userFactors;
  const V = t.itemFactors;
  const uo = user * d;
  const io = item * d;
  let s = 0;
  for (let k = 0; k < d; k++) s += U[uo + k] * V[io + k];
  if (t.userBias) s += t.userBias[user];
  if (t.itemBias) s += t.itemBias[item];
  return Math.fround(s);
}
