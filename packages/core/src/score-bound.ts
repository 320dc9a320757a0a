import type { FactorTables } from './scoring.js';

/** float32's unit roundoff, 2^-24. */
const UNIT_ROUNDOFF = 2 ** -24;

/**
 * A bound on how far `scoreFactorBlock`'s fast `f32` scores can be from its exact `f64` ones, per user.
 *
 * A float32 sum of `d` rounded products is within `γ_d · Σ|u_k v_k|` of the exact sum (`γ_d ≈ d · 2^-24`,
 * whatever the summation order); adding the two biases in float32 and the final rounding of the exact score
 * add a few more units of the largest magnitude involved. By Cauchy–Schwarz `Σ|u_k v_k| ≤ |u| · max_i |v_i|`,
 * so for user `u` every item's error is at most
 * `slack(u) = 2 (d + 4) 2^-24 (|u| · max_i |v_i| + |b_u| + max_i |b_i|)`, twice the textbook bound.
 * A top-k scan compares the fast scores with `threshold - slack(u)` and re-scores the few that pass exactly
 * (`factorScore`), so it returns the same lists as a scan over exact scores. Non-finite tables give a
 * non-finite slack: every comparison with it fails and every item is re-scored.
 */
export class F32ScoreBound {
  private readonly t: FactorTables;
  private readonly maxItemNorm: number;
  private readonly maxItemBias: number;
  private readonly scale: number;

  constructor(t: FactorTables) {
    this.t = t;
    const d = t.dim;
    const V = t.itemFactors;
    let maxSq = 0;
    for (let o = 0; o + d <= V.length && d > 0; o += d) {
      let s = 0;
      for (let k = 0; k < d; k++) s += V[o + k] * V[o + k];
      // NaN must win the max, so the slack turns NaN and nothing is skipped
      if (s !== s) {
        maxSq = NaN;
        break;
      }
      if (s > maxSq) maxSq = s;
    }
    let maxBias = 0;
    const bi = t.itemBias;
    if (bi) for (let i = 0; i < bi.length && maxBias === maxBias; i++) if (!(Math.abs(bi[i]) <= maxBias)) maxBias = Math.abs(bi[i]);
    this.maxItemNorm = Math.sqrt(maxSq);
    this.maxItemBias = maxBias;
    this.scale = 2 * (d + 4) * UNIT_ROUNDOFF;
  }

  /** The most any of user `u`'s fast scores can differ from the exact ones. */
  slack(u: number): number {
    const d = this.t.dim;
    const U = this.t.userFactors;
    let s = 0;
    for (let k = u * d; k < (u + 1) * d; k++) s += U[k] * U[k];
    const bu = this.t.userBias ? Math.abs(this.t.userBias[u]) : 0;
    return this.scale * (Math.sqrt(s) * this.maxItemNorm + bu + this.maxItemBias);
  }
}
