import { UsageError } from '@collab-ts/core';
import { symmetricEigen } from './symmetric-eigen.js';

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of principal components (default 3, as in fastai chapter 8). */
  components?: number;
}

/** A principal component analysis. */
export interface PcaResult {
  /** k x cols row-major: row j is the j-th principal axis (unit length). */
  components: Float64Array;
  /** Variance along each axis (covariance eigenvalues, dividing by rows - 1), descending. */
  explainedVariance: Float64Array;
  /** Each axis's share of the total variance. */
  explainedVarianceRatio: Float64Array;
  /** rows x k row-major: each centred row projected on the axes. */
  coordinates: Float64Array;
  /** Column means that were subtracted. */
  mean: Float64Array;
  rows: number;
  cols: number;
  k: number;
}

/**
 * PCA of a rows x cols row-major matrix (for example item factors, as fastai's chapter 8 does to map
 * movies onto their main taste axes). Columns are centred, the cols x cols covariance is formed in double
 * precision and decomposed by Jacobi rotations (see `symmetricEigen` for the deterministic sign convention:
 * each axis's largest-magnitude entry is positive).
 * @throws UsageError when the shape is inconsistent, there are fewer than 2 rows, or components is out of 1..cols.
 */
export function pca(matrix: ArrayLike<number>, rows: number, cols: number, options: PcaOptions = {}): PcaResult {
  const k = options.components ?? 3;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1 || matrix.length !== rows * cols) {
    throw new UsageError(`pca: a ${rows} x ${cols} matrix needs ${rows * cols} values, got ${matrix.length}`);
  }
  if (rows < 2) throw new UsageError('pca: needs at least 2 rows');
  if (!Number.isInteger(k) || k < 1 || k > cols) throw new UsageError(`pca: components must be an integer in 1..${cols}`);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += matrix[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  const centred = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) centred[r * cols + c] = matrix[r * cols + c] - mean[c];
  const cov = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const x = centred[o + i];
      if (x === 0) continue;
      for (let j = i; j < cols; j++) cov[i * cols + j] += x * centred[o + j];
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      cov[i * cols + j] /= rows - 1;
      cov[j * cols + i] = cov[i * cols + j];
    }
  }
  const eig = symmetricEigen(cov, cols);
  let total = 0;
  for (let i = 0; i < cols; i++) total += Math.max(0, eig.values[i]);
  const components = eig.vectors.slice(0, k * cols);
  const explainedVariance = eig.values.slice(0, k).map((x) => Math.max(0, x));
  const explainedVarianceRatio = explainedVariance.map((x) => (total > 0 ? x / total : 0));
  const coordinates = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let c = 0; c < cols; c++) s += centred[r * cols + c] * components[j * cols + c];
      coordinates[r * k + j] = s;
    }
  }
  return { components, explainedVariance, explainedVarianceRatio, coordinates, mean, rows, cols, k };
}
