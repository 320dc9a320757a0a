// Test-only: a float64 dense backend for the fused embedding-nn engine, so finite differences of its loss are
// not drowned by float32 rounding. The product is the plain triple loop.
import { jsBatchNorm } from '../kernels/fused/nn/batch-norm.js';
import type { DenseOps, Mat, ProductOptions } from '../kernels/fused/nn/dense-ops.js';

export function f64DenseOps(): DenseOps {
  return {
    matrix: (rows, cols) => ({ data: new Float64Array(rows * cols), rows, cols }),
    product(a: Mat, b: Mat, c: Mat, o: ProductOptions = {}) {
      const m = c.rows;
      const n = c.cols;
      const k = o.transA ? a.rows : a.cols;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += (o.transA ? a.data[p * m + i] : a.data[i * k + p]) * (o.transB ? b.data[j * k + p] : b.data[p * n + j]);
          c.data[i * n + j] = s + (o.colBias ? o.colBias.data[j] : 0);
        }
      }
    },
    batchNorm: (h) => jsBatchNorm(h),
    reset() {},
  };
}
