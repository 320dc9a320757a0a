// Adam's catch-up (`sparseMode: 'catch-up'`): what the steps a row sat out did to it.
//
// A missed step k (zero gradient) with rate lr_k and beta1 b1_k moves a row by c_k * R_k * m / (s + eps * g_k)
// per element, where m and s = sqrt(v) are the row's moments at the start of the gap,
// c_k = lr_k * sqrt(bc2_k) / bc1_k (bias corrections bc_k = 1 - beta^k), R_k the product of b1 / sqrt(beta2)
// over the gap so far, and g_k = sqrt(bc2_k) * beta2^(-(steps so far) / 2): how much eps has grown against
// the decaying sqrt(v). Summed over the gap (each move carried through the later decoupled decay), chain 0
// gives W = sum of w_k = c_k R_k (the move in units of m / (s + eps)); the eps term keeps the sum of
// w_k / (s + eps g_k) from having a closed form in s, which differs per element. Two treatments:
//
// - 'gap-start': eps is taken at the start of the gap (g_k = 1): the move is W * m / (s + eps). One chain.
//   The chapter-8 figures were measured with it. It overstates the moves of rows whose sqrt(v) is not large
//   against eps by up to (gbar - 1) * eps / (s + eps) relative, gbar being the weighted mean of g_k (about
//   1.1 for beta1 0.95 and beta2 0.99 after the first few hundred steps; early in training, where
//   sqrt(bc2) < 1, it may understate them instead).
// - 'tracked': chains 1 and 2 also sum w_k g_k and w_k g_k^2 (rates times beta2^(-1/2) and beta2^(-1)), so
//   eps's growth is followed to second order: with gbar = W1 / W and var = W2 / W - gbar^2, the move is
//   W * m / d * (1 + eps^2 var / d^2), d = s + eps gbar. The exact sum is at least W * m / d (convexity) and
//   the expansion errs by at most var / gbar^2 relative times max(1, (gbar - gmin) / gmin): the squared
//   coefficient of variation of eps's growth over the gap, about 0.01 at beta1 0.95, beta2 0.99, and far
//   less where s outweighs eps. Tested against dense Adam on random one-cycle schedules.

/** How Adam's catch-up treats `eps` over a gap (see `AdamOptions.idleEps`). */
export type IdleEps = 'gap-start' | 'tracked';

import type { IdleSummary } from './sparse/idle-summary.js';

/** Catch-up chains each treatment needs. */
export function idleEpsChains(mode: IdleEps): number {
  return mode === 'tracked' ? 3 : 1;
}

/** Fills the rates and coefficients of missed step `k`; returns the factor beta1 shrinks `m` by. */
export function adamIdleStep(mode: IdleEps, b2: number, lr: number, b1: number, k: number, rates: Float64Array, coefs: Float64Array): number {
  const bc2 = 1 - Math.pow(b2, k);
  const c = (lr * Math.sqrt(bc2)) / (1 - Math.pow(b1, k));
  const r = b1 / Math.sqrt(b2);
  rates[0] = r;
  coefs[0] = c;
  if (mode === 'tracked') {
    rates[1] = r / Math.sqrt(b2);
    coefs[1] = c * Math.sqrt(bc2);
    rates[2] = r / b2;
    coefs[2] = c * bc2;
  }
  return b1;
}

/** The per-row scalars of a gap: eps's mean and variance over it (see the notes above), and `beta2^gap`. */
export interface AdamIdleTerms {
  epsMean: number;
  epsVar: number;
  vDecay: number;
}

/** `b2^g` for the short gaps, read from a table rather than computed per row (the same values as `Math.pow`). */
export function powTable(b2: number, size = 1024): Float64Array {
  return Float64Array.from({ length: size }, (_, g) => Math.pow(b2, g));
}

/** Fills `out` from a gap summary; `pows` is {@link powTable} of `b2`. */
export function adamIdleTerms(mode: IdleEps, eps: number, b2: number, pows: Float64Array, sum: IdleSummary, out: AdamIdleTerms): AdamIdleTerms {
  const w = sum.moves[0];
  const tracked = mode === 'tracked' && w > 0;
  const gbar = tracked ? sum.moves[1] / w : 1;
  out.epsMean = eps * gbar;
  out.epsVar = tracked ? eps * eps * Math.max(0, sum.moves[2] / w - gbar * gbar) : 0;
  out.vDecay = sum.gap < pows.length ? pows[sum.gap] : Math.pow(b2, sum.gap);
  return out;
}

/** Applies a gap summary to the `n` floats of a row at `off`: parameters, `m` and `v`. */
export function applyAdamIdle(data: Float32Array, m: Float32Array, v: Float32Array, off: number, n: number, sum: IdleSummary, idle: AdamIdleTerms): void {
  const w = sum.moves[0];
  const { decay, momDecay } = sum;
  const { epsMean, epsVar, vDecay } = idle;
  for (let j = off; j < off + n; j++) {
    const vj = v[j];
    const inv = 1 / (Math.sqrt(vj) + epsMean);
    data[j] = data[j] * decay - w * m[j] * inv * (1 + epsVar * inv * inv);
    m[j] *= momDecay;
    v[j] = vj * vDecay;
  }
}
