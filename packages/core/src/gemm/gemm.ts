import { GemmArena } from './arena.js';
import type { GemmOptions, Matrix } from './matrix.js';

let shared: GemmArena | undefined;

/** The arena behind {@link gemm} (created on first use; its memory is kept at its largest size since). */
export function sharedGemmArena(): GemmArena {
  shared ??= GemmArena.create();
  return shared;
}

/**
 * `C = alpha * op(A) * op(B) + rowBias[i] + colBias[j] + beta * C` for row-major float32 matrices, on the
 * WebAssembly SIMD kernel (register-blocked f32x4) where the engine supports it, else in JS. Operands are
 * copied into a shared arena for the call; to keep big matrices resident and skip the copies, allocate them
 * in your own {@link GemmArena}.
 *
 * @example
 * const a = { data: new Float32Array([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 };
 * const c = { data: new Float32Array(4), rows: 2, cols: 2 };
 * gemm(a, a, c, { transB: true }); // c = a aᵀ = [14, 32, 32, 77]
 */
export function gemm(a: Matrix, b: Matrix, c: Matrix, options: GemmOptions = {}): void {
  sharedGemmArena().gemm(a, b, c, options);
}

/** Whether this engine runs the WebAssembly SIMD kernel (else products take the JS fallback). */
export function wasmGemmAvailable(): boolean {
  return sharedGemmArena().usesWasm;
}
