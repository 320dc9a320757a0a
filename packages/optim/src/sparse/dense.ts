import type { SparseRowGrad } from '@collab-ts/core';
import type { ParamSlot } from '../param-slot.js';
import type { RowKernel, SparseModeContext, SparseRows } from './sparse-rows.js';

/**
 * `sparseMode: 'dense'`: every row is updated every step as a dense optimizer would, rows not in the batch
 * getting a zero gradient. The rows are scattered into a zeroed buffer per table; after the step only the
 * touched rows are zeroed again.
 */
export class DenseRows implements SparseRows {
  private readonly kernel: RowKernel;
  private readonly scratch: (Float32Array | null)[];

  constructor(ctx: SparseModeContext) {
    this.kernel = ctx.kernel;
    this.scratch = ctx.slots.map((s) => (s.embedding ? new Float32Array(s.param.data.length) : null));
  }

  apply(s: ParamSlot, g: SparseRowGrad, lr: number, mom: number, lrWd: number, l2: number): void {
    const { rows, values, count } = g;
    const n = s.unitSize;
    const buf = this.scratch[s.index]!;
    for (let k = 0; k < count; k++) {
      const src = k * n;
      const dst = rows[k] * n;
      for (let i = 0; i < n; i++) buf[dst + i] = values[src + i];
    }
    for (let u = 0; u < s.units; u++) this.kernel.update(s, u, buf, u * n, lr, mom, 1 - lrWd, l2);
    for (let k = 0; k < count; k++) buf.fill(0, rows[k] * n, (rows[k] + 1) * n);
  }

  beforeDense(): void {}
  endStep(): void {}
  flush(): void {}
  reset(): void {}
}
