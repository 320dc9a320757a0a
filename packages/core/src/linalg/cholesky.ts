import { UsageError } from '../errors.js';

/**
 * Row-block size of the blocked loops: 64 rows of a 2,000-item matrix are 1 MB of doubles, which stays in a
 * core's L2 cache while the other rows stream past it.
 */
const NB = 64;

const NOT_PD = 'cholesky: the matrix is not positive definite (increase the regularisation)';

// The kernels below are hand-written because these loops are the whole cost of EASE (n^3 flops for the
// inverse): every inner loop is a dot product of two contiguous row slices, computed for four rows against
// two rows at once (eight independent sums share each load), over row blocks that stay in cache.

/**
 * `out` = the eight dot products of rows (x0..x3) with rows (y0, y1) over columns [k0, k1), rows given as
 * offsets: out[2r] = x_r . y0, out[2r + 1] = x_r . y1.
 */
function dot4x2(a: Float64Array, x0: number, x1: number, x2: number, x3: number, y0: number, y1: number, k0: number, k1: number, out: Float64Array): void {
  let s00 = 0;
  let s01 = 0;
  let s10 = 0;
  let s11 = 0;
  let s20 = 0;
  let s21 = 0;
  let s30 = 0;
  let s31 = 0;
  for (let k = k0; k < k1; k++) {
    const u = a[y0 + k];
    const v = a[y1 + k];
    const p = a[x0 + k];
    const q = a[x1 + k];
    const r = a[x2 + k];
    const t = a[x3 + k];
    s00 += p * u;
    s01 += p * v;
    s10 += q * u;
    s11 += q * v;
    s20 += r * u;
    s21 += r * v;
    s30 += t * u;
    s31 += t * v;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s10;
  out[3] = s11;
  out[4] = s20;
  out[5] = s21;
  out[6] = s30;
  out[7] = s31;
}

/** `out` = the four dot products of rows (x0, x1) with rows (y0, y1) over columns [k0, k1); rows given as offsets. */
function dot2x2(a: Float64Array, x0: number, x1: number, y0: number, y1: number, k0: number, k1: number, out: Float64Array): void {
  let s00 = 0;
  let s01 = 0;
  let s10 = 0;
  let s11 = 0;
  for (let k = k0; k < k1; k++) {
    const p = a[x0 + k];
    const q = a[x1 + k];
    const u = a[y0 + k];
    const v = a[y1 + k];
    s00 += p * u;
    s01 += p * v;
    s10 += q * u;
    s11 += q * v;
  }
  out[0] = s00;
  out[1] = s01;
  out[2] = s10;
  out[3] = s11;
}

/** The dot product of rows x and y (offsets) over columns [k0, k1), with two sums to shorten the dependency chain. */
function dot(a: Float64Array, x: number, y: number, k0: number, k1: number): number {
  let s0 = 0;
  let s1 = 0;
  let k = k0;
  for (; k + 1 < k1; k += 2) {
    s0 += a[x + k] * a[y + k];
    s1 += a[x + k + 1] * a[y + k + 1];
  }
  if (k < k1) s0 += a[x + k] * a[y + k];
  return s0 + s1;
}

/**
 * Factorises a symmetric positive-definite n x n matrix (row-major, double precision) in place into its
 * lower Cholesky factor `L` (`A = L L'`); the strict upper triangle is left as it was.
 *
 * Row-blocked and left-looking: `L_ij = (A_ij - L_i[0:j] . L_j[0:j]) / L_jj`, two rows of a block against two
 * finished rows at a time, so each inner loop streams two contiguous row prefixes.
 * @throws UsageError when `A` is not positive definite (a regularisation of 0 can cause this).
 */
export function choleskyFactor(a: Float64Array, n: number): void {
  const out = new Float64Array(8);
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    // column pairs (j, j+1) in order; rows j < i0 are final, rows of the block are finished as j reaches them
    for (let j = 0; j < i1; j += 2) {
      const rj = j * n;
      const rj1 = rj + n;
      let from = i0;
      if (j >= i0) {
        // rows j and j+1 of the block: everything left of column j is final, finish their diagonal piece
        const d = a[rj + j] - dot(a, rj, rj, 0, j);
        if (!(d > 0)) throw new UsageError(NOT_PD);
        a[rj + j] = Math.sqrt(d);
        if (j + 1 >= i1) break;
        a[rj1 + j] = (a[rj1 + j] - dot(a, rj1, rj, 0, j)) / a[rj + j];
        const d1 = a[rj1 + j + 1] - dot(a, rj1, rj1, 0, j + 1);
        if (!(d1 > 0)) throw new UsageError(NOT_PD);
        a[rj1 + j + 1] = Math.sqrt(d1);
        from = j + 2;
      }
      const ljj = a[rj + j];
      const lj1 = a[rj1 + j + 1];
      const lj1j = a[rj1 + j];
      let i = from;
      for (; i + 3 < i1; i += 4) {
        const ri = i * n;
        dot4x2(a, ri, ri + n, ri + 2 * n, ri + 3 * n, rj, rj1, 0, j, out);
        for (let r = 0; r < 4; r++) {
          const o = ri + r * n;
          const x = (a[o + j] - out[2 * r]) / ljj;
          a[o + j] = x;
          a[o + j + 1] = (a[o + j + 1] - out[2 * r + 1] - x * lj1j) / lj1;
        }
      }
      for (; i + 1 < i1; i += 2) {
        const ri = i * n;
        const ri1 = ri + n;
        dot2x2(a, ri, ri1, rj, rj1, 0, j, out);
        const x0 = (a[ri + j] - out[0]) / ljj;
        const x1 = (a[ri1 + j] - out[2]) / ljj;
        a[ri + j] = x0;
        a[ri1 + j] = x1;
        a[ri + j + 1] = (a[ri + j + 1] - out[1] - x0 * lj1j) / lj1;
        a[ri1 + j + 1] = (a[ri1 + j + 1] - out[3] - x1 * lj1j) / lj1;
      }
      if (i < i1) {
        const ri = i * n;
        const x0 = (a[ri + j] - dot(a, ri, rj, 0, j)) / ljj;
        a[ri + j] = x0;
        a[ri + j + 1] = (a[ri + j + 1] - dot(a, ri, rj1, 0, j) - x0 * lj1j) / lj1;
      }
    }
  }
}

/** Solves `L L' x = b` in place in `b`, given the factor from {@link choleskyFactor}. */
export function choleskySubstitute(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * b[k];
    b[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k];
    b[i] = s / l[i * n + i];
  }
}

/**
 * Solves `A x = b` for a symmetric positive-definite n x n matrix (row-major, double precision) by Cholesky
 * factorisation; `a` and `b` are not modified.
 * @throws UsageError when `A` is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = a.slice(0, n * n);
  choleskyFactor(l, n);
  const x = b.slice(0, n);
  choleskySubstitute(l, n, x);
  return x;
}

/**
 * The inverse of a symmetric positive-definite n x n matrix, computed in place (row-major, double
 * precision): Cholesky factor `L`, then `U = L^-T`, then `A^-1 = U U'`. About n^3 flops, the dense step of
 * EASE.
 *
 * Every step works on rows, so the inner loops stream contiguous memory: `L` lives in the strict lower
 * triangle, `U` (the transposed inverse factor, whose rows are the columns of `L^-1`) is written into the
 * upper triangle beside it, and `U U'` is written back into the lower triangle once `L` is no longer needed.
 * @throws UsageError when `A` is not positive definite.
 */
export function choleskyInverse(a: Float64Array, n: number): void {
  choleskyFactor(a, n);
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = a[i * n + i];
  invertFactor(a, n, diag);
  gramOfRows(a, n, diag);
  // the inverse is in the strict lower triangle and `diag`: mirror it up, in tiles for the strided side
  for (let i = 0; i < n; i++) a[i * n + i] = diag[i];
  const T = 32;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = i0; j0 < n; j0 += T) {
      const i1 = Math.min(n, i0 + T);
      const j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++) for (let j = Math.max(j0, i + 1); j < j1; j++) a[i * n + j] = a[j * n + i];
    }
  }
}

/**
 * Writes `U = L^-T` into the upper triangle (diagonal included), given `L` in the strict lower triangle and
 * its diagonal in `ld`: `U_jj = 1 / L_jj`, `U_ji = -(L_i[j:i] . U_j[j:i]) / L_ii` for i > j. A block of rows
 * of `U` stays in cache while the rows of `L` stream past, four of them against two rows of `U` at a time.
 */
function invertFactor(a: Float64Array, n: number, ld: Float64Array): void {
  const out = new Float64Array(8);
  for (let j0 = 0; j0 < n; j0 += NB) {
    const j1 = Math.min(n, j0 + NB);
    for (let i = j0; i < n; ) {
      const m = i + 3 < n ? 4 : i + 1 < n ? 2 : 1; // rows i .. i+m-1 of L, columns i .. i+m-1 of U
      const ri = i * n;
      if (i < j1) {
        // rows i .. i+m-1 of U start here: their diagonal and the piece of them among these columns
        for (let r = 0; r < m; r++) {
          const c = i + r;
          a[c * n + c] = 1 / ld[c];
          for (let q = i; q < c; q++) {
            let s = 0;
            for (let k = q; k < c; k++) s += a[c * n + k] * a[q * n + k];
            a[q * n + c] = -s / ld[c];
          }
        }
      }
      const jEnd = Math.min(i, j1);
      for (let j = j0; j < jEnd; j += 2) {
        const rj = j * n;
        const rj1 = rj + n;
        if (m === 4) dot4x2(a, ri, ri + n, ri + 2 * n, ri + 3 * n, rj, rj1, j + 1, i, out);
        else if (m === 2) dot2x2(a, ri, ri + n, rj, rj1, j + 1, i, out);
        else {
          out[0] = dot(a, ri, rj, j + 1, i);
          out[1] = dot(a, ri, rj1, j + 1, i);
        }
        const ujj = a[rj + j];
        for (let r = 0; r < m; r++) {
          const c = i + r;
          const rc = c * n;
          let s0 = out[2 * r] + a[rc + j] * ujj;
          let s1 = out[2 * r + 1];
          for (let q = i; q < c; q++) {
            s0 += a[rc + q] * a[rj + q];
            s1 += a[rc + q] * a[rj1 + q];
          }
          a[rj + c] = -s0 / ld[c];
          a[rj1 + c] = -s1 / ld[c];
        }
      }
      i += m;
    }
  }
}

/**
 * Writes `U U'` (U upper, diagonal included, in the upper triangle) into the strict lower triangle and its
 * diagonal into `pd`: entry (i, j), i <= j, is `U_i[j:n] . U_j[j:n]`. A block of rows i stays in cache while
 * the rows j stream past, four rows i against two rows j at a time.
 */
function gramOfRows(a: Float64Array, n: number, pd: Float64Array): void {
  const out = new Float64Array(8);
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let j = i0; j < n; j += 2) {
      const rj = j * n;
      const pair = j + 1 < n;
      // the second row j+1 (a stand-in when j is the last row: the range below is then empty)
      const rj1 = pair ? rj + n : rj;
      const ujj = a[rj + j];
      const iEnd = Math.min(i1, j);
      for (let i = i0; i < iEnd; ) {
        const m = i + 4 <= iEnd ? 4 : i + 2 <= iEnd ? 2 : 1;
        const ri = i * n;
        if (m === 4) dot4x2(a, ri, ri + n, ri + 2 * n, ri + 3 * n, rj, rj1, j + 1, n, out);
        else if (m === 2) dot2x2(a, ri, ri + n, rj, rj1, j + 1, n, out);
        else {
          out[0] = dot(a, ri, rj, j + 1, n);
          out[1] = dot(a, ri, rj1, j + 1, n);
        }
        for (let r = 0; r < m; r++) {
          a[rj + i + r] = out[2 * r] + a[ri + r * n + j] * ujj;
          if (pair) a[rj1 + i + r] = out[2 * r + 1];
        }
        i += m;
      }
      if (j < i1) {
        // the diagonal pair
        pd[j] = dot(a, rj, rj, j, n);
        if (pair) {
          a[rj1 + j] = dot(a, rj, rj1, j + 1, n);
          pd[j + 1] = dot(a, rj1, rj1, j + 1, n);
        }
      }
    }
  }
}
