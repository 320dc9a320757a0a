import type { RowKernel } from './sparse-rows.js';
import type { IdleSummary } from './idle-summary.js';

/** Missed steps kept in the history ring: older momentum contributions are below 1e-12 and dropped. */
export const HISTORY = 2048;

/**
 * Per group, the factors of each recent step (ring buffers), so that the steps a row sat out can be
 * replayed as a loop of scalar multiply-adds: the momentum, the state-direction factor, the move
 * coefficient and the decay factor of that step, and the cumulative log of the decay.
 */
export class ReplayHistory {
  private readonly histMom: Float64Array[];
  private readonly histRho: Float64Array[];
  private readonly histCoef: Float64Array[];
  private readonly histF: Float64Array[];
  /** Cumulative log of the decoupled decay factor per group at each recent step. */
  private readonly histLog: Float64Array[];
  /** Cumulative log of the decoupled decay factor per group, now. */
  readonly cumLog: Float64Array;

  constructor(
    groups: number,
    private readonly kernel: RowKernel,
    private readonly wd: number,
    private readonly decoupledWd: boolean,
  ) {
    const ring = (): Float64Array[] => Array.from({ length: groups }, () => new Float64Array(HISTORY));
    this.histMom = ring();
    this.histRho = ring();
    this.histCoef = ring();
    this.histF = ring();
    this.histLog = ring();
    this.cumLog = new Float64Array(groups);
  }

  /** Records the factors of step `t` from the group rates of that step. */
  record(t: number, lrs: Float64Array, moms: Float64Array): void {
    const h = t % HISTORY;
    for (let g = 0; g < lrs.length; g++) {
      const lr = lrs[g];
      const mom = moms[g];
      const f = 1 - lr * this.wd;
      this.histMom[g][h] = mom;
      this.histRho[g][h] = this.kernel.idleFactor(mom);
      this.histCoef[g][h] = this.kernel.idleCoef(lr, mom, t);
      this.histF[g][h] = this.decoupledWd ? f : 1;
      this.cumLog[g] += this.decoupledWd && f > 0 ? Math.log(f) : 0;
      this.histLog[g][h] = this.cumLog[g];
    }
  }

  /**
   * Summarises the steps `last + 1 .. t - 1` of group `g` that a row sat out: the decay product, the
   * momentum product, and the accumulated move `A` such that, for state direction `x` at the start of the
   * gap, the dense optimizer would have reached `p * decay - A * x`. Walks the missed steps one scalar at a
   * time until the momentum factor is negligible, then applies only decay.
   * @param lastLog the group's cumulative log decay when the row was last brought up to date
   */
  summarize(g: number, decays: boolean, last: number, lastLog: number, t: number, out: IdleSummary): IdleSummary {
    const gap = t - 1 - last;
    out.gap = gap;
    out.decay = 1;
    out.move = 0;
    out.momDecay = 1;
    if (gap <= 0) return out;
    const logNow = this.cumLog[g];
    if (decays) out.decay = Math.exp(logNow - lastLog);
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
}
