/** Most chains a kernel may ask for (Adam uses three). */
export const MAX_IDLE_CHAINS = 3;

/**
 * What the steps a row sat out (`sparseMode: 'catch-up'`) add up to, for a row whose state at the start of
 * the gap is `x`: the dense optimizer would have brought its parameters to `p * decay - sum of the moves`,
 * its state to `x * momDecay`. Each chain `j` sums the missed steps' moves with its own per-step weight
 * (see {@link RowKernel.idleStep}); the kernel combines them per element.
 */
export interface IdleSummary {
  /** Number of missed steps. */
  gap: number;
  /** Product of the decoupled decay factors over the missed steps (1 for a parameter without decay). */
  decay: number;
  /** Product of the momentum / beta1 factors over the missed steps. */
  momDecay: number;
  /**
   * Per chain `j`: `sum over missed steps k of coef_k[j] * prod(rate[j], gap start .. k) * prod(decay, k+1 .. end)`.
   * Chain 0 is the move in units of the state direction (momentum, or Adam's m / sqrt(v)).
   */
  readonly moves: Float64Array;
}

/** A summary of no missed steps. */
export function emptyIdleSummary(): IdleSummary {
  return { gap: 0, decay: 1, momDecay: 1, moves: new Float64Array(MAX_IDLE_CHAINS) };
}
