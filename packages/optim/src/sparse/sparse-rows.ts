import type { Float32Allocator, SparseRowGrad } from '@collab-ts/core';
import type { ParamSlot } from '../param-slot.js';
import type { IdleSummary } from './idle-summary.js';

/** The per-span arithmetic an optimizer supplies to the sparse modes (SGD's and Adam's update rules). */
export interface RowKernel {
  /**
   * Updates span `unit` of slot `s` in place: `p = p * f - lr * direction(g + l2 * p)`.
   * @param grad gradient buffer, read from `gOff` for `s.unitSize` floats
   * @param f decoupled decay factor to apply first (1 for none)
   * @param l2 L2 coefficient added to the gradient (0 for none)
   */
  update(s: ParamSlot, unit: number, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void;
  /**
   * How much one missed step shrinks the state direction (SGD: the momentum; Adam: beta1 / sqrt(beta2); 0 for
   * an optimizer without state). Called once per step in `'catch-up'` mode.
   */
  idleFactor(mom: number): number;
  /** The learning-rate coefficient of a missed step `k` (SGD: lr; Adam: lr with bias corrections); once per step. */
  idleCoef(lr: number, mom: number, k: number): number;
  /** Applies a missed-steps summary to row `r` of slot `s` (state and parameters). */
  applyIdle(s: ParamSlot, r: number, sum: IdleSummary): void;
}

/** What a sparse mode is built from. */
export interface SparseModeContext {
  readonly slots: readonly ParamSlot[];
  readonly kernel: RowKernel;
  /** Number of parameter groups. */
  readonly groups: number;
  readonly wd: number;
  readonly decoupledWd: boolean;
  /** Where per-row bookkeeping is allocated (the optimizer's allocator). */
  readonly allocate: Float32Allocator;
}

/**
 * How the row gradients of embedding tables are applied (one instance per optimizer): which rows move at a
 * step, and what happens to the rows that sat it out.
 */
export interface SparseRows {
  /**
   * Applies sparse gradient `g` to slot `s` at step `t` (steps taken, this one included).
   * @param lrWd `lr * wd` of decoupled decay for this slot (0 for none); @param l2 L2 coefficient (0 for none)
   */
  apply(s: ParamSlot, g: SparseRowGrad, lr: number, mom: number, lrWd: number, l2: number, t: number): void;
  /** Brings slot `s` up to date before a dense gradient updates every row of it. */
  beforeDense(s: ParamSlot): void;
  /** Called once per step after every gradient was applied, with the group rates of that step. */
  endStep(t: number, lrs: Float64Array, moms: Float64Array): void;
  /** Brings every row of every table up to date as of step `t` (steps taken). */
  flush(t: number): void;
  /** Marks every row current as of step `t` without touching parameters (after loading a checkpoint). */
  reset(t: number): void;
}

/** Builds a {@link SparseRows} for an optimizer. */
export type SparseModeFactory = (ctx: SparseModeContext) => SparseRows;
