import { UsageError, allocateFloat32 } from '@collab-ts/core';
import type { ParamStore } from '@collab-ts/core';
import { BaseOptimizer } from './base-optimizer.js';
import type { ParamSlot } from './param-slot.js';
import type { IdleSummary } from './sparse/idle-summary.js';
import type { CommonOptimizerOptions, OptimizerState } from './types.js';

/** Options of {@link sgd}. */
export interface SgdOptions extends CommonOptimizerOptions {
  /**
   * Momentum (default 0). As in fastai, an optimizer built with momentum 0 keeps no momentum buffer, so a
   * schedule that later sets `mom` has no effect on it; build it with a momentum > 0 to have one.
   */
  momentum?: number;
  /** Nesterov momentum (PyTorch's formula): the step is `g + mom * buf` instead of `buf`. Default false. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and weight decay.
 *
 * Per step, with `g` the gradient, `f = 1 - lr * wd` for decoupled decay (else 1) and `l2 = wd` for L2
 * decay (else 0): `g' = g + l2 * p`; `buf = mom * buf + g'`; `d = nesterov ? g' + mom * buf : buf`
 * (`d = g'` without momentum); `p = p * f - lr * d`. Embedding tables with sparse row gradients keep one
 * momentum buffer row per table row and, in lazy mode, only rows in the batch move.
 */
export class Sgd extends BaseOptimizer {
  protected readonly type = 'sgd';
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;
  private readonly bufs: (Float32Array | null)[];

  constructor(params: ParamStore, opts: SgdOptions) {
    // one catch-up chain: the momentum buffer, shrinking by `mom` per missed step
    super(params, opts, opts?.momentum ?? 0, (opts?.momentum ?? 0) > 0 ? 1 : 0);
    this.nesterov = opts.nesterov ?? false;
    if (this.nesterov && !(this.mom > 0)) throw new UsageError('nesterov needs a momentum > 0');
    const withBuffer = this.mom > 0;
    this.bufs = this.slots.map((s) => (withBuffer ? allocateFloat32(this.allocate, s.param.data.length) : null));
  }

  /** Whether a momentum buffer is kept (the optimizer was built with momentum > 0). */
  get hasMomentum(): boolean {
    return this.bufs.length > 0 && this.bufs[0] !== null;
  }

  update(s: ParamSlot, unit: number, grad: Float32Array, gOff: number, lr: number, mom: number, f: number, l2: number): void {
    const data = s.param.data;
    const n = s.unitSize;
    const off = unit * n;
    const buf = this.bufs[s.index];
    if (buf === null) {
      for (let i = 0; i < n; i++) {
        const p = data[off + i];
        data[off + i] = p * f - lr * (grad[gOff + i] + l2 * p);
      }
      return;
    }
    const nesterov = this.nesterov;
    for (let i = 0; i < n; i++) {
      const j = off + i;
      const p = data[j];
      const g = grad[gOff + i] + l2 * p;
      const b = mom * buf[j] + g;
      buf[j] = b;
      data[j] = p * f - lr * (nesterov ? g + mom * b : b);
    }
  }

  override idleStep(lr: number, mom: number, _k: number, rates: Float64Array, coefs: Float64Array): number {
    if (!this.hasMomentum) return 0;
    rates[0] = mom;
    coefs[0] = this.nesterov ? lr * mom : lr;
    return mom;
  }

  override applyIdle(s: ParamSlot, r: number, sum: IdleSummary): void {
    const data = s.param.data;
    const buf = this.bufs[s.index];
    const n = s.unitSize;
    const off = r * n;
    const move = sum.moves[0];
    // with zero gradients the buffer only decays (b_k = mom_k * b_{k-1}) and each missed step moved the row by
    // lr_k * b_k (Nesterov: lr_k * mom_k * b_k): exact in closed form
    for (let j = off; j < off + n; j++) {
      const b = buf ? buf[j] : 0;
      data[j] = data[j] * sum.decay - move * b;
      if (buf) buf[j] = b * sum.momDecay;
    }
  }

  protected zeroSlot(s: ParamSlot): void {
    this.bufFor(s)?.fill(0);
  }

  protected saveSlot(s: ParamSlot, arrays: Record<string, Float32Array>): void {
    const buf = this.bufFor(s);
    if (buf) arrays[`${s.param.name}.momentum`] = buf.slice();
  }

  protected checkSlotState(s: ParamSlot, st: OptimizerState): void {
    if (this.bufFor(s)) this.stateArray(st, `${s.param.name}.momentum`, s.param.data.length);
  }

  protected loadSlot(s: ParamSlot, st: OptimizerState): void {
    this.bufFor(s)?.set(this.stateArray(st, `${s.param.name}.momentum`, s.param.data.length));
  }

  private bufFor(s: ParamSlot): Float32Array | null {
    return this.bufs[s.index];
  }
}

/**
 * Builds an SGD optimizer over `params` (fastai's `SGD`: decoupled weight decay by default).
 * @example
 * const opt = sgd(store, { lr: 0.1, momentum: 0.9, wd: 1e-4 });
 * opt.step(grads);
 */
export function sgd(params: ParamStore, opts: SgdOptions): Sgd {
  return new Sgd(params, opts);
}
