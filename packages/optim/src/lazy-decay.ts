import { allocateFloat64, heapFloat32 } from '@collab-ts/core';
import type { Float32Allocator } from '@collab-ts/core';

/**
 * Exact, lazy decoupled weight decay for an embedding table.
 *
 * Dense decoupled decay multiplies every row by `1 - lr_t * wd` at every step `t`. Doing that to a whole
 * table each step would cost the table size, so instead this keeps the running log of the cumulative decay
 * factor, `L_t = sum over s <= t of log(1 - lr_s * wd)`, and for each row the value of `L` when its decay
 * was last applied. When a row is touched, it is first multiplied by `exp(L_now - L_row)` (the product of
 * every factor since then, this step's included) and then updated; {@link LazyDecay.flush} brings every row
 * up to date. The result equals dense decay of every row at every step (up to float rounding).
 *
 * Working in log space keeps the cumulative product from underflowing over long runs; after a flush both
 * logs are reset to zero.
 */
export class LazyDecay {
  private logNow = 0;
  private readonly rowLog: Float64Array;

  /**
   * @param numRows rows in the table, @param rowSize floats per row
   * @param allocate where the per-row log is kept (default: the heap)
   */
  constructor(
    readonly numRows: number,
    readonly rowSize: number,
    allocate: Float32Allocator = heapFloat32,
  ) {
    this.rowLog = allocateFloat64(allocate, numRows);
  }

  /** Records one step's decay `p *= 1 - lrWd` for every row; `lrWd` must be in [0, 1). */
  advance(lrWd: number): void {
    this.logNow += Math.log1p(-lrWd);
  }

  /** Whether some rows may hold decay not yet applied. */
  get pending(): boolean {
    return this.logNow !== 0;
  }

  /** The factor that brings row `r` up to date, marking the row as current (1 when nothing is pending). */
  take(r: number): number {
    const d = this.logNow - this.rowLog[r];
    if (d === 0) return 1;
    this.rowLog[r] = this.logNow;
    return Math.exp(d);
  }

  /** Applies all pending decay to every row of `data`; cost is the table size. */
  flush(data: Float32Array): void {
    if (this.logNow === 0) return;
    const n = this.rowSize;
    for (let r = 0; r < this.numRows; r++) {
      const f = this.take(r);
      if (f === 1) continue;
      const off = r * n;
      for (let i = off; i < off + n; i++) data[i] *= f;
    }
    this.reset();
  }

  /** Marks every row as current without touching data (after a flush, or after loading a checkpoint). */
  reset(): void {
    this.logNow = 0;
    this.rowLog.fill(0);
  }
}
