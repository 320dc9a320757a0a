import { UsageError } from '@collab-ts/core';
import type { Float32Allocator, Gradient, Gradients, ParamStore } from '@collab-ts/core';
import { STATE_VERSION, checkStateHeader, stateArray } from './checkpoint.js';
import { checkGradient } from './gradient-check.js';
import { GroupHyperParams } from './group-hyper.js';
import { resolveGroups } from './groups.js';
import { createSlots } from './param-slot.js';
import type { ParamSlot } from './param-slot.js';
import { sparseModeFactory } from './sparse/index.js';
import type { IdleSummary, RowKernel, SparseRows } from './sparse/index.js';
import type { CommonOptimizerOptions, Optimizer, OptimizerState, SparseMode } from './types.js';

/**
 * Shared machinery of the optimizers: it ties together the parameter groups ({@link GroupHyperParams}),
 * gradient validation, the sparse mode that applies row gradients (`SPARSE_MODES`) and the checkpoint
 * format. Subclasses supply the per-span update arithmetic ({@link RowKernel}) and their buffers.
 */
export abstract class BaseOptimizer implements Optimizer, RowKernel {
  /** Weight decay coefficient (applies to parameters with `decay: true`). */
  readonly wd: number;
  /** Whether weight decay is decoupled (`p -= lr * wd * p`) rather than L2 (`g += wd * p`). */
  readonly decoupledWd: boolean;
  /** How sparse row gradients are applied. */
  readonly sparseMode: SparseMode;
  /** Optimizer kind written into checkpoints. */
  protected abstract readonly type: string;
  protected readonly slots: ParamSlot[];
  /** Allocates the optimizer's state tables (see `CommonOptimizerOptions.allocate`). */
  protected readonly allocate: Float32Allocator;
  private readonly byName = new Map<string, ParamSlot>();
  private readonly hyper: GroupHyperParams;
  private readonly sparse: SparseRows;
  private steps = 0;
  /** Stamp for duplicate-row detection; advances on every `step` call, successful or not. */
  private checks = 0;

  /** See {@link RowKernel.idleChains}. */
  readonly idleChains: number;

  /**
   * @param mom initial momentum (SGD) or beta1 (Adam)
   * @param idleChains chains of the subclass's catch-up (see {@link RowKernel.idleChains})
   */
  protected constructor(params: ParamStore, opts: CommonOptimizerOptions, mom: number, idleChains: number) {
    this.idleChains = idleChains;
    if (opts === null || typeof opts !== 'object') throw new UsageError('optimizer options are required');
    const { groupOf, lrMults } = resolveGroups(params, opts.groups);
    this.hyper = new GroupHyperParams(lrMults, opts.lr, mom);
    const wd = opts.wd ?? 0;
    if (!Number.isFinite(wd) || wd < 0) throw new UsageError(`wd must be a finite number >= 0, got ${wd}`);
    this.wd = wd;
    this.decoupledWd = opts.decoupledWd ?? true;
    this.allocate = opts.allocate ?? params.allocate;
    const mode = opts.sparseMode ?? 'lazy';
    const factory = sparseModeFactory(mode);
    this.sparseMode = mode;
    this.slots = createSlots(params, groupOf, mode === 'catch-up');
    for (const s of this.slots) this.byName.set(s.param.name, s);
    this.sparse = factory({ slots: this.slots, kernel: this, groups: lrMults.length, wd, decoupledWd: this.decoupledWd, allocate: this.allocate, catchUp: opts.catchUp });
  }

  /** Base learning rate. Setting it gives every group `lr * lrMult`, replacing values set by `setLrs`. */
  get lr(): number {
    return this.hyper.lr;
  }

  set lr(v: number) {
    this.hyper.lr = v;
  }

  /** Momentum (SGD) or beta1 (Adam). Setting it sets every group's value. */
  get mom(): number {
    return this.hyper.mom;
  }

  set mom(v: number) {
    this.hyper.mom = v;
  }

  /** Number of parameter groups. */
  get groupCount(): number {
    return this.hyper.count;
  }

  /** Number of steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /** Current learning rate of each group. */
  lrs(): number[] {
    return [...this.hyper.lrs];
  }

  /** Current momentum / beta1 of each group. */
  moms(): number[] {
    return [...this.hyper.moms];
  }

  /**
   * Sets group learning rates explicitly: one number for all groups (ignoring multipliers; it also becomes
   * the base `lr`), or one per group. They hold until the next `setLrs` or assignment to `lr`.
   */
  setLrs(lrs: number | number[]): void {
    this.hyper.setLrs(lrs);
  }

  /** Sets momentum / beta1: one number for all groups, or one per group. */
  setMoms(moms: number | number[]): void {
    this.hyper.setMoms(moms);
  }

  /**
   * Applies one update. Every gradient is validated before any parameter changes. Parameters missing from
   * `grads` are left alone (no update, no decay), as PyTorch skips parameters whose `grad` is `None`.
   * @throws UsageError for an unknown name, a wrong size, or bad / duplicate / out-of-range rows.
   */
  step(grads: Gradients): void {
    this.checks++;
    grads.forEach(this.checkOne);
    this.steps++;
    grads.forEach(this.applyOne);
    this.sparse.endStep(this.steps, this.hyper.lrs, this.hyper.moms);
  }

  /**
   * Brings every row of every embedding table up to date: applies pending lazy weight decay and, in
   * `'catch-up'` mode, the missed steps of every row.
   */
  flush(): void {
    this.sparse.flush(this.steps);
  }

  /** Resets momentum, moments and step counts (parameters and hyper-parameters are kept). */
  zeroState(): void {
    this.flush();
    for (const s of this.slots) this.zeroSlot(s);
  }

  /** A checkpoint of the state; flushes pending decay first so the parameters are up to date. */
  state(): OptimizerState {
    this.flush();
    const arrays: Record<string, Float32Array> = {};
    const scalars: Record<string, number> = {};
    for (const s of this.slots) this.saveSlot(s, arrays, scalars);
    const groups = this.hyper.snapshot();
    return { type: this.type, version: STATE_VERSION, step: this.steps, lr: this.hyper.lr, mom: this.hyper.mom, groups, scalars, arrays };
  }

  /**
   * Restores a checkpoint from {@link BaseOptimizer.state}. Load the parameters saved with it as well: the
   * lazy decay bookkeeping restarts with every row up to date.
   * @throws UsageError when the state is of another optimizer kind or does not fit these parameters.
   */
  loadState(st: OptimizerState): void {
    checkStateHeader(st, this.type, this.hyper.count);
    for (const s of this.slots) this.checkSlotState(s, st);
    for (const s of this.slots) this.loadSlot(s, st);
    this.hyper.restore(st.lr, st.mom, st.groups);
    this.steps = st.step;
    this.sparse.reset(this.steps);
  }

  /** Fetches array `key` of a checkpoint, checking its length. */
  protected stateArray(st: OptimizerState, key: string, length: number): Float32Array {
    return stateArray(st, key, length);
  }

  /** See {@link RowKernel.update}; called by the sparse modes and for dense gradients. */
  abstract update(s: ParamSlot, unit: number, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void;


  /** See {@link RowKernel.idleStep}. */
  idleStep(_lr: number, _mom: number, _k: number, _rates: Float64Array, _coefs: Float64Array): number {
    return 0;
  }

  /** See {@link RowKernel.applyIdle}. */
  applyIdle(_s: ParamSlot, _r: number, _sum: IdleSummary): void {}

  /** See {@link RowKernel.catchUpAndUpdate}: two passes unless a subclass fuses them. */
  catchUpAndUpdate(s: ParamSlot, unit: number, sum: IdleSummary, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void {
    this.applyIdle(s, unit, sum);
    this.update(s, unit, grad, gOff, lr, mom, f, l2);
  }

  /** Zeroes the subclass's buffers for `s`. */
  protected abstract zeroSlot(s: ParamSlot): void;
  /** Writes the subclass's buffers for `s` into a checkpoint. */
  protected abstract saveSlot(s: ParamSlot, arrays: Record<string, Float32Array>, scalars: Record<string, number>): void;
  /** Throws if the checkpoint lacks what {@link BaseOptimizer.loadSlot} needs for `s`. */
  protected abstract checkSlotState(s: ParamSlot, st: OptimizerState): void;
  /** Reads the subclass's buffers for `s` from a checkpoint. */
  protected abstract loadSlot(s: ParamSlot, st: OptimizerState): void;

  // bound once, so a step allocates no iterator or closure
  private readonly checkOne = (g: Gradient, name: string): void => checkGradient(this.byName.get(name), name, g, this.checks);
  private readonly applyOne = (g: Gradient, name: string): void => this.apply(this.byName.get(name)!, g);

  private apply(s: ParamSlot, g: Gradient): void {
    const lr = this.hyper.lrs[s.group];
    const mom = this.hyper.moms[s.group];
    const decays = s.param.decay && this.wd !== 0;
    const l2 = decays && !this.decoupledWd ? this.wd : 0;
    const lrWd = decays && this.decoupledWd ? lr * this.wd : 0;
    if (g.kind === 'sparse') {
      this.sparse.apply(s, g, lr, mom, lrWd, l2, this.steps);
      return;
    }
    if (s.embedding) this.sparse.beforeDense(s, this.steps);
    const n = s.unitSize;
    for (let u = 0; u < s.units; u++) this.update(s, u, g.values, u * n, lr, mom, 1 - lrWd, l2);
  }
}
