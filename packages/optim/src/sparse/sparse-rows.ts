import type { Float32Allocator, SparseRowGrad } from '@collab-ts/core';
import type { ParamSlot } from '../param-slot.js';
import type { CatchUpMethod } from '../types.js';
import type { IdleHistoryFactory } from './idle-history.js';
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
   * Number of chains the kernel's catch-up sums per missed step (0 for an optimizer without state, whose
   * idle rows only decay; at most 3).
   */
  readonly idleChains: number;
  /**
   * What one missed step `k` does to a row with zero gradient, given that step's rate and momentum: returns
   * the factor the state is multiplied by, and fills for each chain `j` the rate `rates[j]` at which its
   * weight shrinks per step and the coefficient `coefs[j]` of that step's move. Called once per step and
   * group in `'catch-up'` mode.
   */
  idleStep(lr: number, mom: number, k: number, rates: Float64Array, coefs: Float64Array): number;
  /** Applies a missed-steps summary to row `r` of slot `s` (state and parameters). */
  applyIdle(s: ParamSlot, r: number, sum: IdleSummary): void;
  /** `applyIdle(s, unit, sum)` then `update(s, unit, ...)`: a kernel may do both in one pass over the row. */
  catchUpAndUpdate(s: ParamSlot, unit: number, sum: IdleSummary, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void;
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
  /** How `'catch-up'` sums the missed steps (default `'closed-form'`). */
  readonly catchUp?: CatchUpMethod | IdleHistoryFactory;
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
  /** Brings slot `s` up to date before a dense gradient updates every row of it at step `t`. */
  beforeDense(s: ParamSlot, t: number): void;
  /** Called once per step after every gradient was applied, with the group rates of that step. */
  endStep(t: number, lrs: Float64Array, moms: Float64Array): void;
  /** Brings every row of every table up to date as of step `t` (steps taken). */
  flush(t: number): void;
  /** Marks every row current as of step `t` without touching parameters (after loading a checkpoint). */
  reset(t: number): void;
}

/** Builds a {@link SparseRows} for an optimizer. */
export type SparseModeFactory = (ctx: SparseModeContext) => SparseRows;
