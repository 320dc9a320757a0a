import type { IdleSummary } from './idle-summary.js';

// The missed steps of a row act on (state, parameters) linearly: with zero gradient a step k multiplies the
// state by rate_k and moves the parameters by coef_k * state after decaying them by f_k. Over a span of steps
// that is a lower-triangular map [[A, 0], [C, F]]: A the product of rates, F the product of decays, C the
// sum of each step's move carried through the later decays. Spans compose with products and sums of
// non-negative numbers only (no subtraction), so any grouping of the steps gives the same value to float
// rounding: that is what lets the catch-up sum any gap from a few stored spans instead of replaying it.
//
// An entry holds, for K chains: [F, M, A_0..A_{K-1}, C_0..C_{K-1}, C0_0..C0_{K-1}], M being the product of the
// momentum factors and C0 the sum without decay (for parameters that are not decayed).

/** Floats per entry for `chains` chains. */
export function entrySize(chains: number): number {
  return 2 + 3 * chains;
}

/** Writes the identity span (no steps) at `off`. */
export function setIdentity(x: Float64Array, off: number, chains: number): void {
  x[off] = 1;
  x[off + 1] = 1;
  for (let j = 0; j < chains; j++) {
    x[off + 2 + j] = 1;
    x[off + 2 + chains + j] = 0;
    x[off + 2 + 2 * chains + j] = 0;
  }
}

/** Writes the span of one step at `off`: decay `f`, momentum factor `m`, and per chain a rate and a coefficient. */
export function setStep(x: Float64Array, off: number, chains: number, f: number, m: number, rates: Float64Array, coefs: Float64Array): void {
  x[off] = f;
  x[off + 1] = m;
  for (let j = 0; j < chains; j++) {
    const c = coefs[j] * rates[j];
    x[off + 2 + j] = rates[j];
    x[off + 2 + chains + j] = c;
    x[off + 2 + 2 * chains + j] = c;
  }
}

/** `x = x then y`: the span at `x[xo]` followed by the span at `y[yo]`, written over `x` (not aliased). */
export function composeInto(x: Float64Array, xo: number, y: Float64Array, yo: number, chains: number): void {
  const fy = y[yo];
  const a = xo + 2;
  const b = yo + 2;
  for (let j = 0; j < chains; j++) {
    const ax = x[a + j];
    x[a + chains + j] = x[a + chains + j] * fy + ax * y[b + chains + j];
    x[a + 2 * chains + j] += ax * y[b + 2 * chains + j];
    x[a + j] = ax * y[b + j];
  }
  x[xo] *= fy;
  x[xo + 1] *= y[yo + 1];
}

/** Reads a span into a summary for a parameter that is (`decays`) or is not decayed. */
export function toSummary(x: Float64Array, off: number, chains: number, gap: number, decays: boolean, out: IdleSummary): IdleSummary {
  out.gap = gap;
  out.decay = decays ? x[off] : 1;
  out.momDecay = x[off + 1];
  const from = off + 2 + (decays ? chains : 2 * chains);
  for (let j = 0; j < chains; j++) out.moves[j] = x[from + j];
  for (let j = chains; j < out.moves.length; j++) out.moves[j] = 0;
  return out;
}
