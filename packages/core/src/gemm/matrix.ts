import { UsageError } from '../errors.js';

/** A dense row-major matrix: element (r, c) is `data[r * cols + c]`; `data` may be longer than `rows * cols`. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Options of a matrix product `C = alpha * op(A) * op(B) + rowBias[i] + colBias[j] + beta * C`.
 * `beta` 0 (the default) overwrites C without reading it.
 */
export interface GemmOptions {
  /** Use Aᵀ for op(A) (default false). */
  readonly transA?: boolean;
  /** Use Bᵀ for op(B) (default false). */
  readonly transB?: boolean;
  /** Scale of the product (default 1). */
  readonly alpha?: number;
  /** Scale of the old C (default 0: C is overwritten, never read). */
  readonly beta?: number;
  /** Added to every element of row i (length at least C's rows), e.g. a per-user bias. */
  readonly rowBias?: Float32Array | null;
  /** Added to every element of column j (length at least C's columns), e.g. a Linear layer's bias. */
  readonly colBias?: Float32Array | null;
  /**
   * `f32` (default): float32 sums, K summed in blocks (fastest). `f64`: each element summed in double
   * precision in the order p = 0 .. k-1, biases added in double, rounded once to float32: bit for bit what a
   * scalar JS loop `s += a[p] * b[p]` gives, at about half the speed.
   */
  readonly accumulate?: 'f32' | 'f64';
}

/** The sizes of a validated product: op(A) is m x k, op(B) k x n, C m x n. */
export interface GemmShape {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transA: boolean;
  readonly transB: boolean;
}

function checkMatrix(name: string, x: Matrix): void {
  if (!Number.isInteger(x.rows) || !Number.isInteger(x.cols) || x.rows < 0 || x.cols < 0) {
    throw new UsageError(`gemm: ${name} has shape ${x.rows}x${x.cols}; expected non-negative integers`);
  }
  const need = x.rows * x.cols;
  if (x.data.length < need) {
    throw new UsageError(`gemm: ${name} is ${x.rows}x${x.cols} but holds ${x.data.length} values`);
  }
}

/** Checks that op(A), op(B), C and the biases fit together; throws a `UsageError` naming the mismatch. */
export function gemmShape(a: Matrix, b: Matrix, c: Matrix, o: GemmOptions): GemmShape {
  checkMatrix('A', a);
  checkMatrix('B', b);
  checkMatrix('C', c);
  const transA = o.transA ?? false;
  const transB = o.transB ?? false;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb || c.rows !== m || c.cols !== n) {
    throw new UsageError(`gemm: op(A) is ${m}x${k}, op(B) is ${kb}x${n} and C is ${c.rows}x${c.cols}; expected m x k, k x n and m x n`);
  }
  if (o.rowBias && o.rowBias.length < m) throw new UsageError(`gemm: rowBias holds ${o.rowBias.length} values for ${m} rows`);
  if (o.colBias && o.colBias.length < n) throw new UsageError(`gemm: colBias holds ${o.colBias.length} values for ${n} columns`);
  if (o.accumulate !== undefined && o.accumulate !== 'f32' && o.accumulate !== 'f64') {
    throw new UsageError(`gemm: accumulate must be 'f32' or 'f64', got ${JSON.stringify(o.accumulate)}`);
  }
  return { m, n, k, transA, transB };
}
