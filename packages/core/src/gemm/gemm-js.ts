import type { GemmOptions, GemmShape } from './matrix.js';

/**
 * The JS fallback of the GEMM (no WebAssembly SIMD): every element summed in double in the order
 * p = 0 .. k-1, then `alpha * s + rowBias + colBias + beta * C` in double, rounded once to float32. That is
 * exactly the wasm kernel's `f64` mode, and at least as precise as its `f32` mode. Four rows of C are built
 * together so each element of op(B) is loaded once per four uses.
 */
export function gemmJs(s: GemmShape, a: Float32Array, b: Float32Array, c: Float32Array, o: GemmOptions): void {
  const { m, n, k, transA, transB } = s;
  // op(A)[i, p] = a[i * ai + p * ap]
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  const acc = new Float64Array(4 * n);
  const x = new Float64Array(4);
  for (let i0 = 0; i0 < m; i0 += 4) {
    const rows = Math.min(4, m - i0);
    acc.fill(0);
    if (transB) {
      // hot loop: rows of op(B)ᵀ = B are contiguous, so each element is a dot product over p
      for (let j = 0; j < n; j++) {
        const bo = j * k;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < k; p++) {
          const y = b[bo + p];
          const q = p * ap;
          s0 += a[i0 * ai + q] * y;
          if (rows > 1) s1 += a[(i0 + 1) * ai + q] * y;
          if (rows > 2) s2 += a[(i0 + 2) * ai + q] * y;
          if (rows > 3) s3 += a[(i0 + 3) * ai + q] * y;
        }
        acc[j] = s0;
        acc[n + j] = s1;
        acc[2 * n + j] = s2;
        acc[3 * n + j] = s3;
      }
    } else {
      // hot loop: p outside, so each element still sums p = 0 .. k-1 in order while row p of B streams
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < 4; r++) x[r] = r < rows ? a[(i0 + r) * ai + p * ap] : 0;
        const x0 = x[0];
        const x1 = x[1];
        const x2 = x[2];
        const x3 = x[3];
        const row = p * n;
        for (let j = 0; j < n; j++) {
          const y = b[row + j];
          acc[j] += x0 * y;
          acc[n + j] += x1 * y;
          acc[2 * n + j] += x2 * y;
          acc[3 * n + j] += x3 * y;
        }
      }
    }
    store(acc, c, i0, rows, n, o);
  }
}

/** C rows i0 .. i0+rows from the double sums: `alpha * s + rowBias + colBias + beta * C`. */
function store(acc: Float64Array, c: Float32Array, i0: number, rows: number, n: number, o: GemmOptions): void {
  const alpha = o.alpha ?? 1;
  const beta = o.beta ?? 0;
  const rb = o.rowBias ?? null;
  const cb = o.colBias ?? null;
  for (let r = 0; r < rows; r++) {
    const i = i0 + r;
    for (let j = 0; j < n; j++) {
      let v = alpha * acc[r * n + j];
      if (rb) v += rb[i];
      if (cb) v += cb[j];
      if (beta !== 0) v += beta * c[i * n + j];
      c[i * n + j] = v;
    }
  }
}
