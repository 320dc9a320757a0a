import { UsageError, allocateInt32 } from '@collab-ts/core';
import type { SparseRowGrad } from '@collab-ts/core';
import type { ParamSlot } from '../param-slot.js';
import type { CatchUpMethod } from '../types.js';
import { BlockedIdleSums } from './blocked-idle-sums.js';
import type { IdleHistory, IdleHistoryFactory } from './idle-history.js';
import { MAX_IDLE_CHAINS, emptyIdleSummary } from './idle-summary.js';
import { ReplayIdleSums } from './replay-idle-sums.js';
import type { RowKernel, SparseModeContext, SparseRows } from './sparse-rows.js';

/** How the missed steps are summed, by name (`catchUp` option). */
export const CATCH_UP_METHODS: Readonly<Record<CatchUpMethod, IdleHistoryFactory>> = {
  'closed-form': (chains) => new BlockedIdleSums(chains),
  replay: (chains) => new ReplayIdleSums(chains),
};

/**
 * `sparseMode: 'catch-up'`: only the rows in a batch are touched, but a touched row first makes up the steps
 * it sat out (momentum decay, the moves of the decaying momentum, decoupled decay), so the result tracks
 * the dense optimizer at the lazy cost. Each group keeps an {@link IdleHistory} of its steps since the last
 * flush; each row keeps the step it was last brought up to date.
 */
export class CatchUpRows implements SparseRows {
  private readonly kernel: RowKernel;
  private readonly slots: readonly ParamSlot[];
  private readonly lastStep: (Int32Array | null)[];
  private readonly history: IdleHistory[];
  private readonly wdDecays: boolean;
  private readonly wd: number;
  private readonly chains: number;
  private readonly idle = emptyIdleSummary();
  private readonly rates = new Float64Array(MAX_IDLE_CHAINS);
  private readonly coefs = new Float64Array(MAX_IDLE_CHAINS);

  constructor(ctx: SparseModeContext) {
    this.kernel = ctx.kernel;
    this.slots = ctx.slots;
    this.wd = ctx.wd;
    this.wdDecays = ctx.decoupledWd && ctx.wd > 0;
    this.chains = ctx.kernel.idleChains;
    const method = ctx.catchUp ?? 'closed-form';
    let factory: IdleHistoryFactory;
    if (typeof method === 'function') factory = method;
    else if (typeof method === 'string' && Object.hasOwn(CATCH_UP_METHODS, method)) factory = CATCH_UP_METHODS[method];
    else throw new UsageError(`catchUp must be 'closed-form', 'replay' or a history factory, got ${String(method)}`);
    this.history = Array.from({ length: ctx.groups }, () => factory(this.chains));
    this.lastStep = ctx.slots.map((s) => (s.embedding ? allocateInt32(ctx.allocate, s.units) : null));
  }

  apply(s: ParamSlot, g: SparseRowGrad, lr: number, mom: number, lrWd: number, l2: number, t: number): void {
    const last = this.lastStep[s.index]!;
    const history = this.history[s.group];
    const decays = s.param.decay && this.wdDecays;
    const { rows, values, count } = g;
    const n = s.unitSize;
    for (let k = 0; k < count; k++) {
      const r = rows[k];
      // the history holds steps up to t - 1 (this step is recorded in endStep)
      if (last[r] < t - 1) this.kernel.catchUpAndUpdate(s, r, history.summarize(last[r], decays, this.idle), values, k * n, lr, mom, 1 - lrWd, l2);
      else this.kernel.update(s, r, values, k * n, lr, mom, 1 - lrWd, l2);
      last[r] = t;
    }
  }

  /** A dense gradient updates every row: bring them all up to date first, as the dense optimizer would be. */
  beforeDense(s: ParamSlot, t: number): void {
    this.catchUpSlot(s);
    this.lastStep[s.index]!.fill(t);
  }

  endStep(t: number, lrs: Float64Array, moms: Float64Array): void {
    for (let g = 0; g < this.history.length; g++) {
      const lr = lrs[g];
      const m = this.kernel.idleStep(lr, moms[g], t, this.rates, this.coefs);
      this.history[g].record(this.wdDecays ? 1 - lr * this.wd : 1, m, this.rates, this.coefs);
    }
    for (const h of this.history) {
      if (h.full) {
        this.flush(t);
        break;
      }
    }
  }

  flush(t: number): void {
    for (const s of this.slots) this.catchUpSlot(s);
    this.reset(t);
  }

  reset(t: number): void {
    for (const h of this.history) h.reset(t);
    for (const last of this.lastStep) last?.fill(t);
  }

  /** Brings every row of slot `s` up to date as of the last recorded step. */
  private catchUpSlot(s: ParamSlot): void {
    const last = this.lastStep[s.index];
    if (!last) return;
    const history = this.history[s.group];
    const now = history.now;
    const decays = s.param.decay && this.wdDecays;
    for (let r = 0; r < s.units; r++) {
      if (last[r] < now) this.kernel.applyIdle(s, r, history.summarize(last[r], decays, this.idle));
      last[r] = now;
    }
  }
}
