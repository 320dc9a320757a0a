import type { SparseRowGrad } from '@collab-ts/core';
import { LazyDecay } from '../lazy-decay.js';
import type { ParamSlot } from '../param-slot.js';
import type { RowKernel, SparseModeContext, SparseRows } from './sparse-rows.js';

/**
 * `sparseMode: 'lazy'`: only the rows in a batch move; decoupled weight decay stays exact through a
 * {@link LazyDecay} per decayed table, which applies the pending decay when a row is next touched.
 */
export class LazyRows implements SparseRows {
  private readonly kernel: RowKernel;
  private readonly slots: readonly ParamSlot[];
  private readonly decay: (LazyDecay | null)[];

  constructor(ctx: SparseModeContext) {
    this.kernel = ctx.kernel;
    this.slots = ctx.slots;
    const decays = ctx.wd > 0 && ctx.decoupledWd;
    this.decay = ctx.slots.map((s) => (s.embedding && s.param.decay && decays ? new LazyDecay(s.units, s.unitSize, ctx.allocate) : null));
  }

  apply(s: ParamSlot, g: SparseRowGrad, lr: number, mom: number, lrWd: number, l2: number): void {
    const lazy = this.decay[s.index];
    if (lazy && lrWd !== 0) {
      if (lrWd < 1) {
        lazy.advance(lrWd);
      } else {
        // 1 - lr*wd <= 0 has no logarithm: apply it densely (rare, and a sign that lr*wd is far too large)
        const data = s.param.data;
        lazy.flush(data);
        for (let i = 0; i < data.length; i++) data[i] *= 1 - lrWd;
      }
    }
    const { rows, values, count } = g;
    const n = s.unitSize;
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      this.kernel.update(s, r, values, k * n, lr, mom, lazy ? lazy.take(r) : 1, l2);
    }
  }

  beforeDense(s: ParamSlot): void {
    this.decay[s.index]?.flush(s.param.data);
  }

  endStep(): void {}

  flush(): void {
    for (const s of this.slots) this.decay[s.index]?.flush(s.param.data);
  }

  reset(): void {
    for (const d of this.decay) d?.reset();
  }
}
