import { UsageError, rowSize } from '@collab-ts/core';
import type { Gradient, Gradients, Param, ParamStore } from '@collab-ts/core';
import { resolveGroups } from './groups.js';
import { LazyDecay } from './lazy-decay.js';
import type { CommonOptimizerOptions, Optimizer, OptimizerState, SparseMode } from './types.js';

/**
 * What an optimizer keeps per parameter. A parameter is split into `units` equal spans of `unitSize`
 * floats: the rows of an embedding table, or the whole of a dense parameter as one span. Update kernels work
 * on one span at a time, so lazy row updates and dense updates share the same arithmetic.
 */
export interface ParamSlot {
  readonly param: Param;
  /** Position of the parameter in the store (index into per-slot buffers). */
  readonly index: number;
  /** Index of the parameter group. */
  readonly group: number;
  /** Whether the parameter takes sparse row gradients (`kind: 'embedding'`). */
  readonly embedding: boolean;
  /** Rows of an embedding table; 1 for a dense parameter. */
  readonly units: number;
  /** Floats per unit. */
  readonly unitSize: number;
  /** Lazy decoupled-decay bookkeeping (embedding tables with decay in lazy mode only). */
  readonly lazy: LazyDecay | null;
  /** Zeroed gradient buffer for `sparseMode: 'dense'` (embedding tables only). */
  readonly scratch: Float32Array | null;
  /** Step stamp per row, to reject duplicate rows in a sparse gradient. */
  readonly seen: Int32Array | null;
  /** `sparseMode: 'catch-up'` bookkeeping (embedding tables only). */
  readonly catchUp: CatchUpRows | null;
}

/** Per-row bookkeeping of `sparseMode: 'catch-up'`: the step each row was last brought up to date. */
export interface CatchUpRows {
  readonly lastStep: Int32Array;
  /** The group's cumulative log decay at `lastStep`. */
  readonly lastLog: Float64Array;
}

/** The closed-form summary of the steps a row sat out (see {@link BaseOptimizer.idleSummary}). */
export interface IdleSummary {
  /** Number of missed steps. */
  gap: number;
  /** Product of the decoupled decay factors over the missed steps. */
  decay: number;
  /** Total move, in units of the row's state direction (momentum, or Adam's m / sqrt(v)). */
  move: number;
  /** Product of the momentum / beta1 factors over the missed steps. */
  momDecay: number;
}

/** Missed steps kept in the history ring: older momentum contributions are below 1e-12 and dropped. */
const HISTORY = 2048;

function checkLr(v: number, what = 'lr'): number {
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`${what} must be a finite number >= 0, got ${v}`);
  return v;
}

function checkMom(v: number, what = 'mom'): number {
  if (!Number.isFinite(v) || v < 0 || v >= 1) throw new UsageError(`${what} must be in [0, 1), got ${v}`);
  return v;
}

/**
 * Shared machinery of the optimizers: parameter groups and their learning rates and momenta, gradient
 * validation, the lazy / dense handling of sparse row gradients, exact lazy decoupled weight decay, and the
 * checkpoint format. Subclasses supply the per-span update arithmetic and their buffers.
 */
export abstract class BaseOptimizer implements Optimizer {
  /** Weight decay coefficient (applies to parameters with `decay: true`). */
  readonly wd: number;
  /** Whether weight decay is decoupled (`p -= lr * wd * p`) rather than L2 (`g += wd * p`). */
  readonly decoupledWd: boolean;
  /** How sparse row gradients are applied. */
  readonly sparseMode: SparseMode;
  /** Optimizer kind written into checkpoints. */
  protected abstract readonly type: string;
  protected readonly slots: ParamSlot[] = [];
  private readonly byName = new Map<string, ParamSlot>();
  private readonly lrMults: readonly number[];
  private readonly groupLrs: Float64Array;
  private readonly groupMoms: Float64Array;
  private readonly explicitLr: Uint8Array;
  private baseLr: number;
  private baseMom: number;
  private steps = 0;
  /** Stamp for duplicate-row detection; advances on every `step` call, successful or not. */
  private checks = 0;
  /**
   * Per group, per recent step (ring buffers, `sparseMode: 'catch-up'`): the momentum, the state-direction
   * factor, the move coefficient and the decay factor of that step, computed once per step so that replaying
   * a row's missed steps is a loop of multiply-adds.
   */
  private readonly histMom: Float64Array[];
  private readonly histRho: Float64Array[];
  private readonly histCoef: Float64Array[];
  private readonly histF: Float64Array[];
  /** Cumulative log of the decoupled decay factor per group, now and at each recent step. */
  private readonly histLog: Float64Array[];
  private readonly cumLog: Float64Array;

  /** @param mom initial momentum (SGD) or beta1 (Adam) */
  protected constructor(params: ParamStore, opts: CommonOptimizerOptions, mom: number) {
    if (opts === null || typeof opts !== 'object') throw new UsageError('optimizer options are required');
    this.baseLr = checkLr(opts.lr);
    this.baseMom = checkMom(mom);
    const wd = opts.wd ?? 0;
    if (!Number.isFinite(wd) || wd < 0) throw new UsageError(`wd must be a finite number >= 0, got ${wd}`);
    this.wd = wd;
    this.decoupledWd = opts.decoupledWd ?? true;
    const mode = opts.sparseMode ?? 'lazy';
    if (mode !== 'lazy' && mode !== 'dense' && mode !== 'catch-up') {
      throw new UsageError(`sparseMode must be 'lazy', 'dense' or 'catch-up', got ${String(mode)}`);
    }
    this.sparseMode = mode;
    const { groupOf, lrMults } = resolveGroups(params, opts.groups);
    this.lrMults = lrMults;
    this.groupLrs = new Float64Array(lrMults.length);
    this.groupMoms = new Float64Array(lrMults.length).fill(this.baseMom);
    this.explicitLr = new Uint8Array(lrMults.length);
    this.lr = this.baseLr;
    const ring = (): Float64Array[] => Array.from({ length: lrMults.length }, () => new Float64Array(HISTORY));
    this.histMom = ring();
    this.histRho = ring();
    this.histCoef = ring();
    this.histF = ring();
    this.histLog = Array.from({ length: lrMults.length }, () => new Float64Array(HISTORY));
    this.cumLog = new Float64Array(lrMults.length);
    for (const p of params.list()) {
      const embedding = p.kind === 'embedding';
      const units = embedding ? (p.shape[0] ?? 1) : 1;
      const unitSize = embedding ? rowSize(p) : p.data.length;
      const lazyDecay = embedding && mode === 'lazy' && p.decay && wd > 0 && this.decoupledWd;
      const slot: ParamSlot = {
        param: p,
        index: this.slots.length,
        group: groupOf.get(p.name)!,
        embedding,
        units,
        unitSize,
        lazy: lazyDecay ? new LazyDecay(units, unitSize) : null,
        scratch: embedding && mode === 'dense' ? new Float32Array(p.data.length) : null,
        seen: embedding ? new Int32Array(units) : null,
        catchUp: embedding && mode === 'catch-up' ? { lastStep: new Int32Array(units), lastLog: new Float64Array(units) } : null,
      };
      this.slots.push(slot);
      this.byName.set(p.name, slot);
    }
  }

  /** Base learning rate. Setting it gives every group `lr * lrMult`, replacing values set by `setLrs`. */
  get lr(): number {
    return this.baseLr;
  }

  set lr(v: number) {
    this.baseLr = checkLr(v);
    for (let g = 0; g < this.lrMults.length; g++) this.groupLrs[g] = v * this.lrMults[g];
    this.explicitLr.fill(0);
  }

  /** Momentum (SGD) or beta1 (Adam). Setting it sets every group's value. */
  get mom(): number {
    return this.baseMom;
  }

  set mom(v: number) {
    this.baseMom = checkMom(v);
    this.groupMoms.fill(v);
  }

  /** Number of parameter groups. */
  get groupCount(): number {
    return this.lrMults.length;
  }

  /** Number of steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /** Current learning rate of each group. */
  lrs(): number[] {
    return [...this.groupLrs];
  }

  /** Current momentum / beta1 of each group. */
  moms(): number[] {
    return [...this.groupMoms];
  }

  /**
   * Sets group learning rates explicitly: one number for all groups (ignoring multipliers; it also becomes
   * the base `lr`), or one per group. They hold until the next `setLrs` or assignment to `lr`.
   */
  setLrs(lrs: number | number[]): void {
    if (typeof lrs === 'number') {
      this.baseLr = checkLr(lrs);
      this.groupLrs.fill(lrs);
    } else {
      if (!Array.isArray(lrs) || lrs.length !== this.groupLrs.length) {
        throw new UsageError(`setLrs: expected ${this.groupLrs.length} learning rates (one per group), got ${Array.isArray(lrs) ? lrs.length : typeof lrs}`);
      }
      for (let g = 0; g < lrs.length; g++) this.groupLrs[g] = checkLr(lrs[g], `lr of group ${g}`);
    }
    this.explicitLr.fill(1);
  }

  /** Sets momentum / beta1: one number for all groups, or one per group. */
  setMoms(moms: number | number[]): void {
    if (typeof moms === 'number') {
      this.mom = moms;
      return;
    }
    if (!Array.isArray(moms) || moms.length !== this.groupMoms.length) {
      throw new UsageError(`setMoms: expected ${this.groupMoms.length} values (one per group), got ${Array.isArray(moms) ? moms.length : typeof moms}`);
    }
    for (let g = 0; g < moms.length; g++) this.groupMoms[g] = checkMom(moms[g], `mom of group ${g}`);
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
    if (this.sparseMode === 'catch-up') {
      const h = this.steps % HISTORY;
      for (let g = 0; g < this.groupLrs.length; g++) {
        const lr = this.groupLrs[g];
        const mom = this.groupMoms[g];
        const f = 1 - lr * this.wd;
        this.histMom[g][h] = mom;
        this.histRho[g][h] = this.idleFactor(mom);
        this.histCoef[g][h] = this.idleCoef(lr, mom, this.steps);
        this.histF[g][h] = this.decoupledWd ? f : 1;
        this.cumLog[g] += this.decoupledWd && f > 0 ? Math.log(f) : 0;
        this.histLog[g][h] = this.cumLog[g];
      }
    }
  }

  /**
   * Brings every row of every embedding table up to date: applies pending lazy weight decay and, in
   * `'catch-up'` mode, the missed steps of every row.
   */
  flush(): void {
    for (const s of this.slots) {
      s.lazy?.flush(s.param.data);
      if (s.catchUp) {
        for (let r = 0; r < s.units; r++) this.catchUpRow(s, r, this.steps + 1);
      }
    }
  }

  /**
   * Summarises the steps row `r` of slot `s` sat out before step `t` (steps `lastStep + 1 .. t - 1`):
   * the decay product, the momentum product, and the accumulated move `A` such that, for state direction
   * `x` at the start of the gap, the dense optimizer would have reached `p * decay - A * x`. Walks the missed
   * steps one scalar at a time until the momentum factor is negligible, then applies only decay.
   */
  protected idleSummary(s: ParamSlot, r: number, t: number, out: IdleSummary): IdleSummary {
    const rows = s.catchUp!;
    const last = rows.lastStep[r];
    const gap = t - 1 - last;
    out.gap = gap;
    out.decay = 1;
    out.move = 0;
    out.momDecay = 1;
    if (gap <= 0) return out;
    const g = s.group;
    const decays = s.param.decay && this.decoupledWd && this.wd > 0;
    const logNow = this.cumLog[g];
    if (decays) out.decay = Math.exp(logNow - rows.lastLog[r]);
    if (last + 1 <= t - HISTORY) {
      // idle for longer than the history ring: the momentum's moves have long vanished (< 1e-12)
      out.momDecay = 0;
      return out;
    }
    const moms = this.histMom[g];
    const rhos = this.histRho[g];
    const coefs = this.histCoef[g];
    const fs = this.histF[g];
    const logs = this.histLog[g];
    let move = 0;
    let mom = 1;
    let ratio = 1;
    let k = last + 1;
    // one multiply-add per missed step, until the momentum factor is negligible
    for (; k < t && ratio > 1e-10; k++) {
      const h = k % HISTORY;
      ratio *= rhos[h];
      mom *= moms[h];
      move = (decays ? move * fs[h] : move) + coefs[h] * ratio;
    }
    if (k < t) {
      // the remaining missed steps only decay
      if (decays) move *= Math.exp(logNow - logs[(k - 1) % HISTORY]);
      mom = 0;
    }
    out.move = move;
    out.momDecay = mom;
    return out;
  }

  /**
   * How much one missed step shrinks the state direction (SGD: the momentum; Adam: beta1 / sqrt(beta2); 0 for
   * an optimizer without state). Called once per step in `'catch-up'` mode.
   */
  protected idleFactor(_mom: number): number {
    return 0;
  }

  /** The learning-rate coefficient of a missed step `k` (SGD: lr; Adam: lr with bias corrections); once per step. */
  protected idleCoef(_lr: number, _mom: number, _k: number): number {
    return 0;
  }

  /** Applies a missed-steps summary to row `r` of slot `s` (state and parameters). */
  protected applyIdle(_s: ParamSlot, _r: number, _sum: IdleSummary): void {}

  private readonly idle: IdleSummary = { gap: 0, decay: 1, move: 0, momDecay: 1 };

  /** Replays the steps row `r` missed before step `t` and marks it current as of step `t - 1`. */
  private catchUpRow(s: ParamSlot, r: number, t: number): void {
    const sum = this.idleSummary(s, r, t, this.idle);
    if (sum.gap > 0) this.applyIdle(s, r, sum);
    s.catchUp!.lastStep[r] = t - 1;
    s.catchUp!.lastLog[r] = this.cumLog[s.group];
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
    const groups = [];
    for (let g = 0; g < this.groupLrs.length; g++) {
      groups.push({ lr: this.groupLrs[g], mom: this.groupMoms[g], explicitLr: this.explicitLr[g] === 1 });
    }
    return { type: this.type, version: 1, step: this.steps, lr: this.baseLr, mom: this.baseMom, groups, scalars, arrays };
  }

  /**
   * Restores a checkpoint from {@link BaseOptimizer.state}. Load the parameters saved with it as well: the
   * lazy decay bookkeeping restarts with every row up to date.
   * @throws UsageError when the state is of another optimizer kind or does not fit these parameters.
   */
  loadState(st: OptimizerState): void {
    if (!st || st.type !== this.type) throw new UsageError(`cannot load ${st?.type ?? 'missing'} optimizer state into ${this.type}`);
    if (st.version !== 1) throw new UsageError(`unsupported optimizer state version ${st.version}`);
    if (!Number.isInteger(st.step) || st.step < 0) throw new UsageError(`optimizer state: step must be an integer >= 0, got ${st.step}`);
    if (!Array.isArray(st.groups) || st.groups.length !== this.groupLrs.length) {
      throw new UsageError(`optimizer state has ${st.groups?.length} groups, this optimizer has ${this.groupLrs.length}`);
    }
    for (const s of this.slots) this.checkSlotState(s, st);
    for (const s of this.slots) this.loadSlot(s, st);
    this.baseLr = checkLr(st.lr);
    this.baseMom = checkMom(st.mom);
    st.groups.forEach((g, i) => {
      this.groupLrs[i] = checkLr(g.lr);
      this.groupMoms[i] = checkMom(g.mom);
      this.explicitLr[i] = g.explicitLr ? 1 : 0;
    });
    this.steps = st.step;
    this.cumLog.fill(0);
    for (const s of this.slots) {
      s.lazy?.reset();
      s.catchUp?.lastStep.fill(this.steps);
      s.catchUp?.lastLog.fill(0);
    }
  }

  /** Fetches array `key` of a checkpoint, checking its length. */
  protected stateArray(st: OptimizerState, key: string, length: number): Float32Array {
    const a = st.arrays?.[key];
    if (!(a instanceof Float32Array) || a.length !== length) {
      throw new UsageError(`optimizer state: ${key} is missing or has the wrong length (expected ${length})`);
    }
    return a;
  }

  /**
   * Updates span `unit` of slot `s` in place: `p = p * f - lr * direction(g + l2 * p)`.
   * @param grad gradient buffer, read from `gOff` for `s.unitSize` floats
   * @param f decoupled decay factor to apply first (1 for none)
   * @param l2 L2 coefficient added to the gradient (0 for none)
   */
  protected abstract update(s: ParamSlot, unit: number, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void;
  /** Zeroes the subclass's buffers for `s`. */
  protected abstract zeroSlot(s: ParamSlot): void;
  /** Writes the subclass's buffers for `s` into a checkpoint. */
  protected abstract saveSlot(s: ParamSlot, arrays: Record<string, Float32Array>, scalars: Record<string, number>): void;
  /** Throws if the checkpoint lacks what {@link BaseOptimizer.loadSlot} needs for `s`. */
  protected abstract checkSlotState(s: ParamSlot, st: OptimizerState): void;
  /** Reads the subclass's buffers for `s` from a checkpoint. */
  protected abstract loadSlot(s: ParamSlot, st: OptimizerState): void;

  // bound once, so a step allocates no iterator or closure
  private readonly checkOne = (g: Gradient, name: string): void => this.check(name, g, this.checks);
  private readonly applyOne = (g: Gradient, name: string): void => this.apply(this.byName.get(name)!, g);

  private check(name: string, g: Gradient, stamp: number): void {
    const s = this.byName.get(name);
    if (!s) throw new UsageError(`gradient for unknown parameter ${JSON.stringify(name)}`);
    if (g.kind === 'dense') {
      if (g.values.length !== s.param.data.length) {
        throw new UsageError(`dense gradient for ${name} has ${g.values.length} values, parameter has ${s.param.data.length}`);
      }
      return;
    }
    if (g.kind !== 'sparse') throw new UsageError(`gradient for ${name} has unknown kind ${String((g as { kind: unknown }).kind)}`);
    if (!s.embedding) throw new UsageError(`sparse gradient for ${name}, which is not an embedding parameter`);
    const { rows, count } = g;
    if (!Number.isInteger(count) || count < 0 || count > rows.length || count * s.unitSize > g.values.length) {
      throw new UsageError(`sparse gradient for ${name}: count ${count} does not fit its rows/values buffers`);
    }
    const seen = s.seen!;
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      if (r < 0 || r >= s.units) throw new UsageError(`sparse gradient for ${name}: row ${r} out of range [0, ${s.units})`);
      if (seen[r] === stamp) throw new UsageError(`sparse gradient for ${name}: row ${r} appears twice (sum duplicates first)`);
      seen[r] = stamp;
    }
  }

  private apply(s: ParamSlot, g: Gradient): void {
    const lr = this.groupLrs[s.group];
    const mom = this.groupMoms[s.group];
    const decays = s.param.decay && this.wd !== 0;
    const l2 = decays && !this.decoupledWd ? this.wd : 0;
    const lrWd = decays && this.decoupledWd ? lr * this.wd : 0;
    const n = s.unitSize;
    if (g.kind === 'dense') {
      s.lazy?.flush(s.param.data);
      for (let u = 0; u < s.units; u++) this.update(s, u, g.values, u * n, lr, mom, 1 - lrWd, l2);
      return;
    }
    const { rows, values, count } = g;
    if (s.scratch) {
      // sparseMode 'dense': scatter into a zeroed buffer, update every row, then re-zero only the touched rows
      const buf = s.scratch;
      for (let k = 0; k < count; k++) {
        const src = k * n;
        const dst = rows[k] * n;
        for (let i = 0; i < n; i++) buf[dst + i] = values[src + i];
      }
      for (let u = 0; u < s.units; u++) this.update(s, u, buf, u * n, lr, mom, 1 - lrWd, l2);
      for (let k = 0; k < count; k++) buf.fill(0, rows[k] * n, (rows[k] + 1) * n);
      return;
    }
    const catchUp = s.catchUp;
    if (catchUp) {
      const t = this.steps;
      for (let k = 0; k < count; k++) {
        const r = rows[k];
        this.catchUpRow(s, r, t);
        this.update(s, r, values, k * n, lr, mom, 1 - lrWd, l2);
        catchUp.lastStep[r] = t;
        // this step's decay was just applied: mark it, so the next gap starts after it
        catchUp.lastLog[r] = this.cumLog[s.group] + (lrWd > 0 && lrWd < 1 ? Math.log(1 - lrWd) : 0);
      }
      return;
    }
    const lazy = s.lazy;
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
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      this.update(s, r, values, k * n, lr, mom, lazy ? lazy.take(r) : 1, l2);
    }
  }
}
