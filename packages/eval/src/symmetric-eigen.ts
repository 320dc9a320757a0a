import { UsageError } from '@collab-ts/core';

/** Eigenvalues (descending) and unit eigenvectors (row `j` of `vectors` is the j-th eigenvector). */
export interface EigenDecomposition {
  values: Float64Array;
  /** n x n row-major; row j pairs with `values[j]`. */
  vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations, in double
 * precision. Eigenvalues come sorted descending. Sign convention: each eigenvector is flipped so that its
 * entry of largest magnitude (the first such entry on ties) is positive, so results are deterministic.
 * The input is symmetrised as (A + Aᵀ) / 2 first.
 * @throws UsageError when the size does not match.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number): EigenDecomposition {
  if (!Number.isInteger(n) || n < 0 || matrix.length !== n * n) throw new UsageError(`symmetricEigen: expected an ${n} x ${n} matrix`);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (matrix[i * n + j] + matrix[j * n + i]) / 2;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-30 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A <- Jᵀ A J, V <- V J, with J the rotation in the (p, q) plane that zeroes a[p][q]
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y] - a[x * n + x] || x - y);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const col = order[j];
    values[j] = a[col * n + col];
    let big = 0;
    for (let k = 1; k < n; k++) if (Math.abs(v[k * n + col]) > Math.abs(v[big * n + col])) big = k;
    const sign = v[big * n + col] < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[j * n + k] = sign * v[k * n + col];
  }
  return { values, vectors };
}
