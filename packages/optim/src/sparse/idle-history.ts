import type { IdleSummary } from './idle-summary.js';

/**
 * The steps of one parameter group since the last reset, in a form that answers "what did steps
 * `a + 1 .. now` add up to" for any `a`: what `sparseMode: 'catch-up'` asks when a row that was last brought
 * up to date at step `a` is touched again.
 */
export interface IdleHistory {
  /** The step count at the last reset: rows are never older than this. */
  readonly origin: number;
  /** The step count now (`origin` plus the steps recorded since). */
  readonly now: number;
  /** Whether the history holds as many steps as it can; the owner must bring every row up to date and reset. */
  readonly full: boolean;
  /** Records the next step: decay `f`, momentum factor `m`, and each chain's rate and coefficient. */
  record(f: number, m: number, rates: Float64Array, coefs: Float64Array): void;
  /** Summarises steps `last + 1 .. now` (`origin <= last <= now`) for a parameter that is or is not decayed. */
  summarize(last: number, decays: boolean, out: IdleSummary): IdleSummary;
  /** Forgets every step: the next one recorded is `t + 1`. */
  reset(t: number): void;
}

/** Builds the history of one group for kernels with `chains` chains. */
export type IdleHistoryFactory = (chains: number) => IdleHistory;
