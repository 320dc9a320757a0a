import type { SparseRowAccumulator } from '@collab-ts/core';

/** Copies rows `idx[b]` of a row-major table into a new `[n, width]` array (the JS-side gather). */
export function gatherRows(table: Float32Array, width: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * width);
  for (let b = 0; b < idx.length; b++) out.set(table.subarray(idx[b] * width, (idx[b] + 1) * width), b * width);
  return out;
}

/** Adds row `b` of `grad` (`[n, width]`, starting at column `col` of `stride`) into the accumulator slot of `idx[b]`. */
export function scatterAddRows(
  acc: SparseRowAccumulator,
  idx: Int32Array,
  grad: ArrayLike<number>,
  stride: number,
  col = 0,
): void {
  const w = acc.rowSize;
  for (let b = 0; b < idx.length; b++) {
    const s = acc.slot(idx[b]);
    const buf = acc.buffer;
    const o = b * stride + col;
    for (let j = 0; j < w; j++) buf[s + j] += grad[o + j];
  }
}
