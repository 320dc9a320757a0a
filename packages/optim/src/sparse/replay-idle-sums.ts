import type { IdleHistory } from './idle-history.js';
import type { IdleSummary } from './idle-summary.js';
import { composeInto, entrySize, setIdentity, setStep, toSummary } from './step-transform.js';

/** Below this, what is left of the state contributes less than float rounding: stop replaying. */
const NEGLIGIBLE = 1e-16;

/**
 * The reference catch-up: keeps every step since the last reset and replays a row's missed steps one at a
 * time, until its state has decayed below 1e-16 (then only the decay of the remaining steps is left, taken
 * from a running log). Its cost grows with the gap up to a few hundred steps per touched row; it is kept
 * for tests and benchmarks (`catchUp: 'replay'`) to check {@link BlockedIdleSums} against.
 */
export class ReplayIdleSums implements IdleHistory {
  origin = 0;
  readonly full = false;
  private n = 0;
  private readonly size: number;
  private steps: Float64Array;
  /** Running log of the decay products, per position (valid while every decay is positive). */
  private logs: Float64Array;
  private readonly acc: Float64Array;

  constructor(private readonly chains: number) {
    this.size = entrySize(chains);
    this.steps = new Float64Array(this.size * 64);
    this.logs = new Float64Array(64);
    this.acc = new Float64Array(this.size);
  }

  get now(): number {
    return this.origin + this.n;
  }

  reset(t: number): void {
    this.origin = t;
    this.n = 0;
  }

  record(f: number, m: number, rates: Float64Array, coefs: Float64Array): void {
    const n = ++this.n;
    if ((n + 1) * this.size > this.steps.length) {
      const steps = new Float64Array(this.steps.length * 2);
      steps.set(this.steps);
      this.steps = steps;
      const logs = new Float64Array(this.logs.length * 2);
      logs.set(this.logs);
      this.logs = logs;
    }
    setStep(this.steps, n * this.size, this.chains, f, m, rates, coefs);
    this.logs[n] = this.logs[n - 1] + Math.log(f);
  }

  summarize(last: number, decays: boolean, out: IdleSummary): IdleSummary {
    const a = last - this.origin;
    const n = this.n;
    const k = this.chains;
    const acc = this.acc;
    setIdentity(acc, 0, k);
    let p = a + 1;
    for (; p <= n; p++) {
      composeInto(acc, 0, this.steps, p * this.size, k);
      let live = acc[1];
      for (let j = 0; j < k; j++) live = Math.max(live, acc[2 + j]);
      if (live < NEGLIGIBLE) break;
    }
    if (p < n) {
      // the state has vanished: the remaining steps only decay
      const rest = Math.exp(this.logs[n] - this.logs[p]);
      acc[0] *= rest;
      for (let j = 0; j < k; j++) acc[2 + k + j] *= rest;
    }
    return toSummary(acc, 0, k, n - a, decays, out);
  }
}
