import type { SparseRowAccumulator } from '@collab-ts/core';

/** The tables a dot-family kernel reads: factors `[n, k]` row-major, biases (or `null`), and the y-range. */
export interface DotTables {
  readonly k: number;
  readonly userFactors: Float32Array;
  readonly itemFactors: Float32Array;
  readonly userBias: Float32Array | null;
  readonly itemBias: Float32Array | null;
  /** Whether predictions pass through `lo + (hi - lo) * sigmoid(x)`. */
  readonly hasRange: boolean;
  readonly lo: number;
  readonly hi: number;
}

/** Where a dot-family kernel adds its row gradients (one accumulator per table; biases `null` when absent). */
export interface DotAccumulators {
  readonly userFactors: SparseRowAccumulator;
  readonly itemFactors: SparseRowAccumulator;
  readonly userBias: SparseRowAccumulator | null;
  readonly itemBias: SparseRowAccumulator | null;
}

/** Loss codes the fused kernels switch on. */
export const MSE = 0;
export const BCE = 1;
