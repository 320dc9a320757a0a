import { UsageError, allocateFloat32, allocateInt32 } from '@collab-ts/core';
import type { ParamStore } from '@collab-ts/core';
import { BaseOptimizer } from './base-optimizer.js';
import type { ParamSlot } from './param-slot.js';
import type { IdleSummary } from './sparse/idle-summary.js';
import { adamIdleStep, adamIdleTerms, applyAdamIdle, idleEpsChains, powTable } from './adam-idle.js';
import type { AdamIdleTerms, IdleEps } from './adam-idle.js';
import type { CommonOptimizerOptions, OptimizerState } from './types.js';

/** Options of {@link adam}. Defaults are fastai's: beta2 0.99, eps 1e-5, wd 0.01, decoupled. */
export interface AdamOptions extends CommonOptimizerOptions {
  /** Decay of the gradient average (default 0.9); it is the optimizer's `mom`, which one-cycle cycles. */
  beta1?: number;
  /** Decay of the squared-gradient average (default 0.99, fastai's `sqr_mom`). */
  beta2?: number;
  /** Added to the denominator (default 1e-5, fastai's default). */
  eps?: number;
  /**
   * How `sparseMode: 'catch-up'` treats `eps` over the steps a row sat out: `'gap-start'` (default, what the
   * chapter-8 figures were measured with) takes it at the start of the gap; `'tracked'` follows its growth
   * against the decaying second moment to second order, closer to dense Adam at three times the bookkeeping.
   * Both are bounded in `adam-idle.ts` and the README.
   */
  idleEps?: IdleEps;
}

/**
 * Adam with bias correction and weight decay, following fastai's `Adam`.
 *
 * Per step `t`, with `g' = g + l2 * p` and `f = 1 - lr * wd` for decoupled decay:
 * `m = b1 * m + (1 - b1) * g'`; `v = b2 * v + (1 - b2) * g'^2`;
 * `p = p * f - (lr / (1 - b1^t)) * m / (sqrt(v / (1 - b2^t)) + eps)`.
 *
 * Dense parameters count `t` per parameter. Embedding tables count `t` per row: in lazy mode a row's
 * `m`, `v` and `t` move only when the row is in a batch, as TensorFlow's LazyAdam and PyTorch's SparseAdam
 * keep state only for the rows they see; the bias correction uses how many times that row was updated.
 */
export class Adam extends BaseOptimizer {
  protected readonly type = 'adam';
  /** Decay of the squared-gradient average. */
  readonly beta2: number;
  /** Denominator epsilon. */
  readonly eps: number;
  /** How the catch-up treats `eps` over a gap. */
  readonly idleEps: IdleEps;
  private readonly ms: Float32Array[];
  private readonly vs: Float32Array[];
  private readonly counts: Int32Array[];

  constructor(params: ParamStore, opts: AdamOptions) {
    const idleEps = opts?.idleEps ?? 'gap-start';
    if (idleEps !== 'gap-start' && idleEps !== 'tracked') throw new UsageError(`idleEps must be 'gap-start' or 'tracked', got ${String(idleEps)}`);
    super(params, { ...opts, wd: opts?.wd ?? 0.01 }, opts?.beta1 ?? 0.9, idleEpsChains(idleEps));
    this.idleEps = idleEps;
    const beta2 = opts.beta2 ?? 0.99;
    if (!Number.isFinite(beta2) || beta2 < 0 || beta2 >= 1) throw new UsageError(`beta2 must be in [0, 1), got ${beta2}`);
    const eps = opts.eps ?? 1e-5;
    if (!Number.isFinite(eps) || eps <= 0) throw new UsageError(`eps must be a finite number > 0, got ${eps}`);
    this.beta2 = beta2;
    this.b2Pows = powTable(beta2);
    this.eps = eps;
    this.ms = this.slots.map((s) => allocateFloat32(this.allocate, s.param.data.length));
    this.vs = this.slots.map((s) => allocateFloat32(this.allocate, s.param.data.length));
    this.counts = this.slots.map((s) => allocateInt32(this.allocate, s.units));
  }

  update(s: ParamSlot, unit: number, grad: Float32Array, gOff: number, lr: number, b1: number, f: number, l2: number): void {
    const data = s.param.data;
    const m = this.ms[s.index];
    const v = this.vs[s.index];
    const counts = this.counts[s.index];
    // catch-up mode counts global steps for bias correction, as a dense optimizer does
    const t = s.globalSteps ? (counts[unit] = this.stepCount) : ++counts[unit];
    const b2 = this.beta2;
    const eps = this.eps;
    this.biasCorrect(lr, b1, t);
    const stepSize = this.stepSize;
    const invDebias2 = this.invDebias2;
    const n = s.unitSize;
    const off = unit * n;
    for (let i = 0; i < n; i++) {
      const j = off + i;
      const p = data[j];
      const g = grad[gOff + i] + l2 * p;
      const mj = b1 * m[j] + (1 - b1) * g;
      const vj = b2 * v[j] + (1 - b2) * g * g;
      m[j] = mj;
      v[j] = vj;
      data[j] = p * f - (stepSize * mj) / (Math.sqrt(vj * invDebias2) + eps);
    }
  }

  /**
   * {@link BaseOptimizer.applyIdle} then {@link Adam.update} in one pass over the row: the row is read and
   * written once, and the made-up values stay in float64 until the update (two passes round them to float32
   * in between; the results differ from theirs only in the last bits). Written out inline because it is the
   * hot loop of sparse training: half the time of the two passes.
   */
  override catchUpAndUpdate(s: ParamSlot, unit: number, sum: IdleSummary, grad: Float32Array, gOff: number, lr: number, b1: number, f: number, l2: number): void {
    if (!s.globalSteps) {
      super.catchUpAndUpdate(s, unit, sum, grad, gOff, lr, b1, f, l2);
      return;
    }
    const data = s.param.data;
    const m = this.ms[s.index];
    const v = this.vs[s.index];
    const t = (this.counts[s.index][unit] = this.stepCount);
    const b2 = this.beta2;
    const eps = this.eps;
    this.biasCorrect(lr, b1, t);
    const stepSize = this.stepSize;
    const invDebias2 = this.invDebias2;
    const idle = this.idleTerms(sum);
    const { decay, momDecay } = sum;
    const w = sum.moves[0];
    const epsMean = idle.epsMean;
    const epsVar = idle.epsVar;
    const vDecay = idle.vDecay;
    const n = s.unitSize;
    const off = unit * n;
    for (let i = 0; i < n; i++) {
      const j = off + i;
      // the missed steps
      const v0 = v[j];
      const m0 = m[j];
      const inv = 1 / (Math.sqrt(v0) + epsMean);
      const p = data[j] * decay - w * m0 * inv * (1 + epsVar * inv * inv);
      // this step
      const g = grad[gOff + i] + l2 * p;
      const mj = b1 * m0 * momDecay + (1 - b1) * g;
      const vj = b2 * v0 * vDecay + (1 - b2) * g * g;
      m[j] = mj;
      v[j] = vj;
      data[j] = p * f - (stepSize * mj) / (Math.sqrt(vj * invDebias2) + eps);
    }
  }

  override idleStep(lr: number, b1: number, k: number, rates: Float64Array, coefs: Float64Array): number {
    return adamIdleStep(this.idleEps, this.beta2, lr, b1, k, rates, coefs);
  }

  override applyIdle(s: ParamSlot, r: number, sum: IdleSummary): void {
    const n = s.unitSize;
    const idle = this.idleTerms(sum);
    applyAdamIdle(s.param.data, this.ms[s.index], this.vs[s.index], r * n, n, sum, idle);
  }

  private readonly idle: AdamIdleTerms = { epsMean: 0, epsVar: 0, vDecay: 1 };
  private b2Pows: Float64Array = new Float64Array(0);

  private idleTerms(sum: IdleSummary): AdamIdleTerms {
    return adamIdleTerms(this.idleEps, this.eps, this.beta2, this.b2Pows, sum, this.idle);
  }

  private stepSize = 0;
  private invDebias2 = 0;
  private biasKey = { lr: NaN, b1: NaN, t: -1 };

  /** Sets `stepSize` and `invDebias2` for step `t` (cached: in catch-up mode every row of a step shares them). */
  private biasCorrect(lr: number, b1: number, t: number): void {
    const key = this.biasKey;
    if (key.t === t && key.lr === lr && key.b1 === b1) return;
    key.t = t;
    key.lr = lr;
    key.b1 = b1;
    this.stepSize = lr / (1 - Math.pow(b1, t));
    this.invDebias2 = 1 / (1 - Math.pow(this.beta2, t));
  }

  protected zeroSlot(s: ParamSlot): void {
    this.ms[s.index].fill(0);
    this.vs[s.index].fill(0);
    this.counts[s.index].fill(0);
  }

  protected saveSlot(s: ParamSlot, arrays: Record<string, Float32Array>, scalars: Record<string, number>): void {
    const name = s.param.name;
    arrays[`${name}.m`] = this.ms[s.index].slice();
    arrays[`${name}.v`] = this.vs[s.index].slice();
    if (s.embedding) arrays[`${name}.count`] = Float32Array.from(this.counts[s.index]);
    else scalars[`${name}.count`] = this.counts[s.index][0];
  }

  protected checkSlotState(s: ParamSlot, st: OptimizerState): void {
    const name = s.param.name;
    this.stateArray(st, `${name}.m`, s.param.data.length);
    this.stateArray(st, `${name}.v`, s.param.data.length);
    const counts = s.embedding ? this.stateArray(st, `${name}.count`, s.units) : [st.scalars?.[`${name}.count`]];
    for (const c of counts) {
      if (!Number.isInteger(c) || (c as number) < 0) throw new UsageError(`optimizer state: ${name}.count must hold integers >= 0`);
    }
  }

  protected loadSlot(s: ParamSlot, st: OptimizerState): void {
    const name = s.param.name;
    this.ms[s.index].set(st.arrays[`${name}.m`]);
    this.vs[s.index].set(st.arrays[`${name}.v`]);
    if (s.embedding) this.counts[s.index].set(st.arrays[`${name}.count`]);
    else this.counts[s.index][0] = st.scalars[`${name}.count`];
  }
}

/**
 * Builds an Adam optimizer over `params` with fastai's defaults (beta1 0.9, beta2 0.99, eps 1e-5, wd 0.01,
 * decoupled weight decay, so this is AdamW unless `decoupledWd: false`).
 * @example
 * const opt = adam(store, { lr: 5e-3, wd: 0.1 });
 * opt.step(grads);
 */
export function adam(params: ParamStore, opts: AdamOptions): Adam {
  return new Adam(params, opts);
}

/** {@link adam} with decoupled weight decay forced on (AdamW). */
export function adamW(params: ParamStore, opts: Omit<AdamOptions, 'decoupledWd'>): Adam {
  return new Adam(params, { ...opts, decoupledWd: true });
}
