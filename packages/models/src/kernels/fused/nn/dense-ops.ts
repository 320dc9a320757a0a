import { GemmArena } from '@collab-ts/core';
import type { Matrix } from '@collab-ts/core';
import { jsBatchNorm } from './batch-norm.js';
import type { BatchNormKernel } from './batch-norm.js';
import { wasmBatchNormFactory } from './batch-norm-wasm.js';

/** Storage of the engine's activations: float32 in production, float64 for the finite-difference checks. */
export type FloatArray = Float32Array | Float64Array;

/** A row-major matrix of activations; `data` may be re-created (read it again after a product). */
export interface Mat {
  readonly data: FloatArray;
  readonly rows: number;
  readonly cols: number;
}

/** What the layers ask of a product: transposes and a per-column bias (a Linear layer's). */
export interface ProductOptions {
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly colBias?: Mat | null;
}

/**
 * The dense-algebra backend of the fused `embedding-nn` engine: where activations live and how they are
 * multiplied. The layer code is written once against it.
 */
export interface DenseOps {
  /** A zero-filled rows x cols matrix, valid until {@link reset}. */
  matrix(rows: number, cols: number): Mat;
  /** `C = op(A) · op(B) (+ colBias)`, C overwritten; `rows` of A or C may be fewer than their storage holds. */
  product(a: Mat, b: Mat, c: Mat, options?: ProductOptions): void;
  /** ReLU + BatchNorm1d over h features of this backend's matrices (allocates; valid until {@link reset}). */
  batchNorm(h: number): BatchNormKernel;
  /** Frees every matrix at once. */
  reset(): void;
}

/** A view of the first `rows` rows of `m` (activations are allocated for the largest batch). */
export function firstRows(m: Mat, rows: number): Mat {
  return rows === m.rows ? m : { data: m.data, rows, cols: m.cols };
}

/**
 * The production backend: float32 matrices resident in one of core's `GemmArena`s, multiplied by its
 * WebAssembly SIMD kernel, batch norm by the SIMD passes of batch-norm.wat on the same memory (both with JS
 * fallbacks where SIMD is missing), with no copies per call.
 */
export function arenaDenseOps(arena: GemmArena = GemmArena.create()): DenseOps {
  const f32 = (m: Mat): Matrix => {
    const data = m.data;
    if (!(data instanceof Float32Array)) throw new TypeError('arena products take float32 matrices');
    return { data, rows: m.rows, cols: m.cols };
  };
  const wasmBatchNorm = wasmBatchNormFactory(arena);
  return {
    matrix: (rows, cols) => arena.matrix(rows, cols),
    batchNorm: (h) => (wasmBatchNorm ? wasmBatchNorm(h) : jsBatchNorm(h)),
    product(a, b, c, o = {}) {
      const colBias = o.colBias ? f32(o.colBias).data : null;
      arena.gemm(f32(a), f32(b), f32(c), { transA: o.transA, transB: o.transB, colBias });
    },
    reset: () => arena.reset(),
  };
}
