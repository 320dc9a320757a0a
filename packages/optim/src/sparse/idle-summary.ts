/** The closed-form summary of the steps a row sat out (`sparseMode: 'catch-up'`). */
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

/** A summary of no missed steps. */
export function emptyIdleSummary(): IdleSummary {
  return { gap: 0, decay: 1, move: 0, momDecay: 1 };
}
