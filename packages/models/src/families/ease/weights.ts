import { choleskyInverse } from '@collab-ts/core';
import type { CsrMatrix } from '@collab-ts/core';

/**
 * EASE's item-item weights (Steck 2019) over `m` kept items: with `G = X'X + lambda I` and `P = G^-1`,
 * `B = I - P diag(1 / diag P)`, that is `B_ij = -P_ij / P_jj` and `B_ii = 0`. Returned dense, row-major
 * `m x m` in float32; `P` is computed in double precision by Cholesky.
 *
 * @param x users x items strengths, repeated pairs summed, each row sorted by item
 * @param keptPos each item's position among the kept items (increasing with the item index), or -1
 */
export function easeWeights(x: CsrMatrix, keptPos: Int32Array, m: number, lambda: number): Float32Array {
  const g = gramLower(x, keptPos, m);
  for (let i = 0; i < m; i++) g[i * m + i] += lambda;
  choleskyInverse(g, m);
  const b = new Float32Array(m * m);
  const invDiag = new Float64Array(m);
  for (let j = 0; j < m; j++) invDiag[j] = -1 / g[j * m + j];
  for (let i = 0; i < m; i++) {
    const o = i * m;
    for (let j = 0; j < m; j++) b[o + j] = g[o + j] * invDiag[j];
    b[o + i] = 0;
  }
  return b;
}

/**
 * `X'X` over the kept items, lower triangle and diagonal only (all that the Cholesky factorisation reads),
 * dense row-major `m x m` in double precision.
 *
 * Hand-written from the CSR because X is sparse: each user adds the products of their pairs of items, so the
 * cost is the sum of the squared history lengths instead of a dense `nUsers x m x m` product.
 */
export function gramLower(x: CsrMatrix, keptPos: Int32Array, m: number): Float64Array {
  const g = new Float64Array(m * m);
  let longest = 0;
  for (let u = 0; u < x.nRows; u++) longest = Math.max(longest, x.offsets[u + 1] - x.offsets[u]);
  const pos = new Int32Array(longest);
  const val = new Float64Array(longest);
  for (let u = 0; u < x.nRows; u++) {
    let n = 0;
    for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
      const k = keptPos[x.indices[p]];
      if (k < 0) continue;
      pos[n] = k;
      val[n++] = x.values[p];
    }
    // positions increase along the row, so (a, b) with b <= a lands on or below the diagonal
    for (let a = 0; a < n; a++) {
      const ra = pos[a] * m;
      const xa = val[a];
      for (let b = 0; b <= a; b++) g[ra + pos[b]] += xa * val[b];
    }
  }
  return g;
}
