import { allocateFloat64, allocateInt32 } from '@collab-ts/core';
import type { SparseRowGrad } from '@collab-ts/core';
import type { ParamSlot } from '../param-slot.js';
import { emptyIdleSummary } from './idle-summary.js';
import { ReplayHistory } from './replay-history.js';
import type { RowKernel, SparseModeContext, SparseRows } from './sparse-rows.js';

/** Per-row bookkeeping of `sparseMode: 'catch-up'`: the step each row was last brought up to date. */
export interface CatchUpRowState {
  readonly lastStep: Int32Array;
  /** The group's cumulative log decay at `lastStep`. */
  readonly lastLog: Float64Array;
}

/**
 * `sparseMode: 'catch-up'`: only the rows in a batch are touched, but a touched row first makes up, in
 * closed form, the steps it sat out (momentum decay, the moves of the decaying momentum, decoupled decay),
 * so the result tracks the dense optimizer at the lazy cost.
 */
export class CatchUpRows implements SparseRows {
  private readonly kernel: RowKernel;
  private readonly slots: readonly ParamSlot[];
  private readonly rows: (CatchUpRowState | null)[];
  private readonly history: ReplayHistory;
  private readonly wdDecays: boolean;
  private readonly idle = emptyIdleSummary();

  constructor(ctx: SparseModeContext) {
    this.kernel = ctx.kernel;
    this.slots = ctx.slots;
    this.wdDecays = ctx.decoupledWd && ctx.wd > 0;
    this.history = new ReplayHistory(ctx.groups, ctx.kernel, ctx.wd, ctx.decoupledWd);
    this.rows = ctx.slots.map((s) => (s.embedding ? { lastStep: allocateInt32(ctx.allocate, s.units), lastLog: allocateFloat64(ctx.allocate, s.units) } : null));
  }

  apply(s: ParamSlot, g: SparseRowGrad, lr: number, mom: number, lrWd: number, l2: number, t: number): void {
    const state = this.rows[s.index]!;
    const { rows, values, count } = g;
    const n = s.unitSize;
    const logNow = this.history.cumLog[s.group];
    // this step's decay is applied by the update: mark it, so the next gap starts after it
    const logAfter = logNow + (lrWd > 0 && lrWd < 1 ? Math.log(1 - lrWd) : 0);
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      this.catchUpRow(s, state, r, t);
      this.kernel.update(s, r, values, k * n, lr, mom, 1 - lrWd, l2);
      state.lastStep[r] = t;
      state.lastLog[r] = logAfter;
    }
  }

  // as before the split: a dense gradient for a table in catch-up mode updates the rows as they stand
  beforeDense(): void {}

  endStep(t: number, lrs: Float64Array, moms: Float64Array): void {
    this.history.record(t, lrs, moms);
  }

  flush(t: number): void {
    for (const s of this.slots) {
      const state = this.rows[s.index];
      if (state) for (let r = 0; r < s.units; r++) this.catchUpRow(s, state, r, t + 1);
    }
  }

  reset(t: number): void {
    this.history.cumLog.fill(0);
    for (const state of this.rows) {
      state?.lastStep.fill(t);
      state?.lastLog.fill(0);
    }
  }

  /** Makes up the steps row `r` missed before step `t` and marks it current as of step `t - 1`. */
  private catchUpRow(s: ParamSlot, state: CatchUpRowState, r: number, t: number): void {
    const decays = s.param.decay && this.wdDecays;
    const sum = this.history.summarize(s.group, decays, state.lastStep[r], state.lastLog[r], t, this.idle);
    if (sum.gap > 0) this.kernel.applyIdle(s, r, sum);
    state.lastStep[r] = t - 1;
    state.lastLog[r] = this.history.cumLog[s.group];
  }
}
