import { UsageError } from '../errors.js';

/**
 * Factorises a symmetric positive-definite n x n matrix (row-major, double precision) in place into its
 * lower Cholesky factor `L` (`A = L L'`); the strict upper triangle is left as it was.
 * @throws UsageError when `A` is not positive definite (a regularisation of 0 can cause this).
 */
export function choleskyFactor(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j];
    for (let k = 0; k < j; k++) d -= a[rj + k] * a[rj + k];
    if (!(d > 0)) throw new UsageError('cholesky: the matrix is not positive definite (increase the regularisation)');
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= a[ri + k] * a[rj + k];
      a[ri + j] = s / ljj;
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
 * precision): Cholesky factor, inverse of the factor, then `A^-1 = L^-T L^-1`. About n^3 flops, the
 * dense step of EASE.
 * @throws UsageError when `A` is not positive definite.
 */
export function choleskyInverse(a: Float64Array, n: number): void {
  choleskyFactor(a, n);
  // invert L in place (lower triangle): column by column, forward substitution
  for (let j = 0; j < n; j++) {
    a[j * n + j] = 1 / a[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = 0;
      for (let k = j; k < i; k++) s -= a[ri + k] * a[k * n + j];
      a[ri + j] = s / a[ri + i];
    }
  }
  // A^-1 = M' M with M = L^-1 (lower): entry (i, j), i >= j, is sum over k >= i of M[k][i] M[k][j]
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += a[k * n + i] * a[k * n + j];
      m[j] = s;
    }
    // entries (i, 0..i) depend only on rows >= i of M, which later i no longer read below the diagonal:
    // store them in the upper triangle (row j, column i) for now
    for (let j = 0; j <= i; j++) a[j * n + i] = m[j];
  }
  // mirror the upper triangle down
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i];
}
