import type { Float32Allocator, Gradients } from '@collab-ts/core';
import type { IdleHistoryFactory } from './sparse/idle-history.js';

/**
 * A parameter group: the named parameters share a learning rate of `base lr * lrMult` (fastai's
 * discriminative learning rates). Parameters not listed in any group go into a final default group.
 */
export interface ParamGroupSpec {
  /** Names of the parameters in this group (each may appear in one group only). */
  params: string[];
  /** Multiplier on the base learning rate (default 1). */
  lrMult?: number;
}

/**
 * How gradients of `embedding` parameters that arrive as sparse rows are applied.
 *
 * - `'lazy'` (default): only the rows in the batch are updated; optimizer state (momentum, Adam's m, v
 *   and step count) is kept per row and moves only when the row is touched. Cost is proportional to the
 *   rows touched, never to the table size. Decoupled weight decay stays exact (see the README).
 * - `'dense'`: every row is updated every step as a dense optimizer would, rows not in the batch getting a
 *   zero gradient (so momentum keeps moving them). Costs the whole table every step; use it to compare with
 *   fastai's dense optimizers.
 * - `'catch-up'`: gives (nearly) the dense result at the lazy cost. Only touched rows are updated, but a
 *   touched row first replays, in closed form, the steps it sat out: the decay of its momentum (and Adam's
 *   second moment) and the moves that decaying momentum would have made, with decoupled weight decay and the
 *   scheduled learning rate and momentum of each missed step. Exact for SGD; for Adam exact except that the
 *   `eps` of the missed steps is taken at the start of the gap. Bias correction counts global steps, as a dense
 *   optimizer does. This is what makes fastai's hyper-parameters (Adam, lr 5e-3, wd 0.1) behave as in fastai.
 *   With L2 decay (`decoupledWd: false`) the missed steps carry no L2 term, as in lazy mode.
 */
export type SparseMode = 'lazy' | 'dense' | 'catch-up';

/**
 * How `sparseMode: 'catch-up'` sums the steps a row sat out.
 *
 * - `'closed-form'` (default): from at most four stored spans of steps, whatever the gap (constant cost per
 *   touched row).
 * - `'replay'`: step by step until the row's state has vanished (cost grows with the gap up to a few hundred
 *   steps); the reference the closed form is tested against.
 */
export type CatchUpMethod = 'closed-form' | 'replay';

/** Options shared by every optimizer. */
export interface CommonOptimizerOptions {
  /** Base learning rate (a schedule may overwrite it every step). */
  lr: number;
  /** Weight decay coefficient; applies only to parameters with `decay: true`. */
  wd?: number;
  /**
   * `true` (default): decoupled ("true") weight decay, `p -= lr * wd * p`, as fastai does by default (AdamW).
   * `false`: L2 regularisation, `wd * p` added to the gradient.
   */
  decoupledWd?: boolean;
  /** Parameter groups with their own learning-rate multipliers. */
  groups?: ParamGroupSpec[];
  /** How sparse row gradients of embedding tables are applied (default `'lazy'`). */
  sparseMode?: SparseMode;
  /**
   * How `'catch-up'` sums the missed steps (default `'closed-form'`): a method's name, or a factory of
   * `IdleHistory` per parameter group.
   */
  catchUp?: CatchUpMethod | IdleHistoryFactory;
  /**
   * Allocates the optimizer's per-parameter state (momentum, Adam's moments and step counts, the sparse
   * modes' per-row bookkeeping). Default: the parameter store's allocator, so a store built with
   * `{ allocate: sharedFloat32 }` gets its optimizer state in shared memory as well.
   */
  allocate?: Float32Allocator;
}

/**
 * A snapshot of an optimizer's state for checkpoints: JSON-able scalars plus `Float32Array`s.
 *
 * Taking it calls {@link Optimizer.flush} first, so the parameters saved beside it already hold all pending
 * lazy weight decay and no per-row decay bookkeeping needs to be stored.
 */
export interface OptimizerState {
  /** Which optimizer wrote it (`'sgd'` or `'adam'`). */
  type: string;
  /** Format version (currently 1). */
  version: number;
  /** Number of steps taken. */
  step: number;
  /** Base learning rate. */
  lr: number;
  /** Base momentum / beta1. */
  mom: number;
  /** Per parameter group: current learning rate, momentum and whether the lr was set explicitly by `setLrs`. */
  groups: { lr: number; mom: number; explicitLr: boolean }[];
  /** Per-parameter scalars (for example a dense parameter's Adam step count), keyed `"<param>.<name>"`. */
  scalars: Record<string, number>;
  /**
   * Per-parameter buffers keyed `"<param>.<name>"` (`m`, `v`, `count` for Adam; `momentum` for SGD).
   * Per-row step counts are stored as floats: exact up to 2^24 steps per row.
   */
  arrays: Record<string, Float32Array>;
}

/**
 * An optimizer bound to one `ParamStore`: each {@link Optimizer.step} updates that store's parameters from a
 * map of gradients (dense, or sparse rows for embedding tables).
 */
export interface Optimizer {
  /** Current base learning rate; setting it gives every group `lr * lrMult` (schedules set it every step). */
  lr: number;
  /** Momentum for SGD, beta1 for Adam; setting it sets every group's value (one-cycle cycles it). */
  mom: number;
  /** Weight decay coefficient. */
  readonly wd: number;
  /** Number of parameter groups (the length `setLrs` expects for an array). */
  readonly groupCount?: number;
  /** Number of steps taken so far. */
  readonly stepCount?: number;
  /** Applies one update from `grads`; parameters without a gradient are left alone this step. */
  step(grads: Gradients): void;
  /** Applies any lazily pending weight decay to every row (call before evaluation or saving). */
  flush(): void;
  /** Resets all optimizer state (momentum, Adam moments, step counts). */
  zeroState?(): void;
  /** A checkpoint of the optimizer state (flushes pending decay first). */
  state(): OptimizerState;
  /** Restores a state written by {@link Optimizer.state} of an optimizer of the same kind over the same params. */
  loadState(s: OptimizerState): void;
  /** Sets the learning rate of every group (one number) or of each group (an array of `groupCount` numbers). */
  setLrs(lrs: number | number[]): void;
  /** Sets momentum / beta1 of every group (one number) or of each group (an array). */
  setMoms?(moms: number | number[]): void;
}
