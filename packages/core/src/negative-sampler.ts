import type { CsrMatrix } from './csr.js';
import { UsageError } from './errors.js';
import { createRng } from './rng.js';
import type { Rng } from './rng.js';

/** How {@link NegativeSampler} proposes items: every item alike, or in proportion to `count ** beta`. */
export type NegativeDistribution = 'uniform' | 'popularity';

/** Options of {@link NegativeSampler}. */
export interface NegativeSamplerOptions {
  /** `'uniform'` (default, as implicit's BPR) or `'popularity'` (`count ** beta`, as word2vec's unigram table). */
  distribution?: NegativeDistribution;
  /** Exponent on the item counts for `'popularity'` (default 0.75, word2vec's; 0 is uniform, 1 plain popularity). */
  beta?: number;
  /**
   * Item counts for `'popularity'` (length `nItems`, finite, >= 0). Default: how many users interacted with
   * each item in `history`. An item with count 0 is never proposed (with `beta > 0`).
   */
  counts?: ArrayLike<number>;
  /** Seed of the draws (default 0): the same seed and history give the same negatives. */
  seed?: number;
  /**
   * Proposals rejected because the user interacted with the item before the sampler draws directly from the
   * user's non-interacted items instead (default 16; `'popularity'` only: uniform draws are always direct).
   */
  maxRetries?: number;
}

/**
 * Draws negative items for users: items the user has NOT interacted with, uniformly or in proportion to
 * item popularity raised to `beta`, from a seeded generator. It is the sampling kernel of BPR and of anyone
 * training with sampled negatives; `@collab-ts/data` re-exports it beside its `BatchLoader`.
 *
 * The kernel allocates nothing per draw and uses no alias table: a user's history is a sorted CSR row, so
 * - `'uniform'` draws `r` in `[0, nItems - degree)` and maps it to the `r`-th item not in the row (a binary
 *   search on `row[k] - k`): exactly uniform over the non-interacted items, one random number a draw;
 * - `'popularity'` inverts the cumulative weights by binary search (O(log nItems)), rejecting items the user
 *   interacted with; after `maxRetries` rejections it draws once from the exact distribution restricted to
 *   the non-interacted items (a walk over the row's gaps, O(degree + log nItems)). Either way the result
 *   follows `count ** beta` conditioned on "not interacted", and the cost of a draw stays bounded.
 *
 * A positive item comes back only when the user has no alternative (they interacted with every item, or
 * every item left has weight 0, in which case the draw is uniform over what is left); {@link
 * NegativeSampler.exhausted} counts those draws.
 *
 * @example
 * ```ts
 * const history = userItemMatrix(train, nUsers, nItems);
 * const sampler = new NegativeSampler(history, { distribution: 'popularity', beta: 0.75, seed: 1 });
 * const j = sampler.sample(17);             // an item user 17 has not interacted with
 * sampler.fill(batchUsers, negatives);      // one negative per user of a batch
 * ```
 */
export class NegativeSampler {
  readonly nUsers: number;
  readonly nItems: number;
  readonly distribution: NegativeDistribution;
  readonly beta: number;
  readonly maxRetries: number;
  private readonly offsets: Int32Array;
  /** Each row's distinct items, ascending. */
  private readonly indices: Int32Array;
  /** `cdf[i]` = total weight of items `< i` (`'popularity'` only; length `nItems + 1`). */
  private readonly cdf: Float64Array;
  private rng: Rng;
  private exhaustedDraws = 0;

  /**
   * @param history users x items interactions (rows sorted, as `userItemMatrix` builds them; repeated
   *   entries are fine). Only the pattern is used, not the values.
   * @throws UsageError on bad options or an empty item set.
   */
  constructor(history: CsrMatrix, options: NegativeSamplerOptions = {}) {
    const distribution = options.distribution ?? 'uniform';
    if (distribution !== 'uniform' && distribution !== 'popularity') {
      throw new UsageError(`NegativeSampler: distribution must be 'uniform' or 'popularity', got ${String(distribution)}`);
    }
    const beta = options.beta ?? 0.75;
    if (!Number.isFinite(beta) || beta < 0) throw new UsageError(`NegativeSampler: beta must be a finite number >= 0, got ${beta}`);
    const maxRetries = options.maxRetries ?? 16;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new UsageError(`NegativeSampler: maxRetries must be an integer >= 0, got ${maxRetries}`);
    if (!(history.nCols > 0)) throw new UsageError('NegativeSampler: the history has no items');
    this.nUsers = history.nRows;
    this.nItems = history.nCols;
    this.distribution = distribution;
    this.beta = beta;
    this.maxRetries = maxRetries;
    [this.offsets, this.indices] = distinctRows(history);
    this.rng = createRng(options.seed ?? 0);
    this.cdf = new Float64Array(distribution === 'popularity' ? this.nItems + 1 : 0);
    if (distribution === 'popularity') this.buildCdf(options.counts);
  }

  private buildCdf(given: ArrayLike<number> | undefined): void {
    const n = this.nItems;
    let counts: ArrayLike<number>;
    if (given) {
      if (given.length !== n) throw new UsageError(`NegativeSampler: ${given.length} counts for ${n} items`);
      counts = given;
    } else {
      const c = new Float64Array(n);
      for (let k = 0; k < this.indices.length; k++) c[this.indices[k]]++;
      counts = c;
    }
    const cdf = this.cdf;
    for (let i = 0; i < n; i++) {
      const c = counts[i];
      if (!Number.isFinite(c) || c < 0) throw new UsageError(`NegativeSampler: count ${c} of item ${i} is not a finite number >= 0`);
      cdf[i + 1] = cdf[i] + (c > 0 ? Math.pow(c, this.beta) : this.beta === 0 ? 1 : 0);
    }
    if (!(cdf[n] > 0)) throw new UsageError('NegativeSampler: every item has popularity 0');
  }

  /** Restarts the draws from `seed` (the sampler then repeats the draws of a fresh one with that seed). */
  reseed(seed: number): void {
    this.rng = createRng(seed);
    this.exhaustedDraws = 0;
  }

  /** Draws that had to return an interacted item because the user had no alternative. */
  get exhausted(): number {
    return this.exhaustedDraws;
  }

  /** Number of distinct items user `u` interacted with. */
  degree(u: number): number {
    return this.offsets[u + 1] - this.offsets[u];
  }

  /** Whether user `u` interacted with `item` (binary search of the sorted row). */
  isPositive(u: number, item: number): boolean {
    const idx = this.indices;
    let lo = this.offsets[u];
    let hi = this.offsets[u + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = idx[mid];
      if (v === item) return true;
      if (v < item) lo = mid + 1;
      else hi = mid;
    }
    return false;
  }

  /**
   * The proposal probability of every item (before excluding a user's items): uniform, or `count ** beta`
   * normalised.
   */
  probabilities(): Float64Array {
    const n = this.nItems;
    const p = new Float64Array(n);
    if (this.distribution === 'uniform') return p.fill(1 / n);
    const total = this.cdf[n];
    for (let i = 0; i < n; i++) p[i] = (this.cdf[i + 1] - this.cdf[i]) / total;
    return p;
  }

  /**
   * A negative item for user `u` (a valid user index; not checked, this is the hot path).
   * Allocates nothing.
   */
  sample(u: number): number {
    const a = this.offsets[u];
    const deg = this.offsets[u + 1] - a;
    if (deg >= this.nItems) {
      this.exhaustedDraws++;
      return this.rng.int(this.nItems);
    }
    if (this.distribution === 'uniform') return this.nthNegative(a, deg, this.rng.int(this.nItems - deg));
    const cdf = this.cdf;
    const total = cdf[this.nItems];
    for (let t = 0; t < this.maxRetries; t++) {
      const item = this.invert(this.rng.next() * total, 0, this.nItems);
      if (deg === 0 || !this.isPositive(u, item)) return item;
    }
    return this.restrictedDraw(u, a, deg);
  }

  /** One negative per user: `out[k] = sample(users[from + k])` for `k < count` (default: all of `users`). */
  fill(users: ArrayLike<number>, out: Int32Array, from = 0, count = users.length - from): Int32Array {
    if (out.length < count) throw new UsageError(`NegativeSampler.fill: out holds ${out.length} items, ${count} needed`);
    for (let k = 0; k < count; k++) out[k] = this.sample(users[from + k]);
    return out;
  }

  /** The `r`-th (0-based) item absent from the sorted row `indices[a .. a + deg)`. */
  private nthNegative(a: number, deg: number, r: number): number {
    const idx = this.indices;
    // the number of row entries at positions k with idx[a + k] - k <= r (non-decreasing in k) is how many
    // interacted items lie below the answer
    let lo = 0;
    let hi = deg;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (idx[a + mid] - mid <= r) lo = mid + 1;
      else hi = mid;
    }
    return r + lo;
  }

  /** The item `i` in `[lo, hi)` with `cdf[i] <= t < cdf[i + 1]` (the last positive-weight item if rounding overshoots). */
  private invert(t: number, lo: number, hi: number): number {
    const cdf = this.cdf;
    const end = hi;
    // smallest i in [lo, hi) with cdf[i + 1] > t
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid + 1] > t) hi = mid;
      else lo = mid + 1;
    }
    if (lo < end) return lo;
    let i = end - 1;
    while (i > 0 && !(cdf[i + 1] > cdf[i])) i--;
    return i;
  }

  /**
   * One draw from the popularity weights restricted to the items absent from the sorted row
   * `indices[a .. a + deg)`: walks the gaps between interacted items, O(deg + log nItems).
   */
  private restrictedDraw(u: number, a: number, deg: number): number {
    const idx = this.indices;
    const cdf = this.cdf;
    let inside = 0;
    for (let k = a; k < a + deg; k++) inside += cdf[idx[k] + 1] - cdf[idx[k]];
    const rest = cdf[this.nItems] - inside;
    const r = this.rng.next();
    if (!(rest > 1e-12 * cdf[this.nItems])) {
      // every non-interacted item has weight 0: uniform over them
      return this.nthNegative(a, deg, Math.floor(r * (this.nItems - deg)));
    }
    const t = r * rest;
    let acc = 0;
    let start = 0;
    let lastGap = -1;
    for (let k = a; k <= a + deg; k++) {
      const stop = k < a + deg ? idx[k] : this.nItems;
      const mass = cdf[stop] - cdf[start];
      if (mass > 0) {
        if (acc + mass > t) return this.invert(cdf[start] + (t - acc), start, stop);
        lastGap = start;
      }
      acc += mass;
      start = stop + 1;
    }
    // rounding left t at the very end: the last non-interacted item with weight
    let i = this.nItems - 1;
    while (i > lastGap && (this.isPositive(u, i) || !(cdf[i + 1] > cdf[i]))) i--;
    return i;
  }
}

/** Each row's distinct columns (the matrix's own arrays when it has no repeated entries). */
function distinctRows(m: CsrMatrix): [Int32Array, Int32Array] {
  const { offsets, indices, nRows } = m;
  let repeats = 0;
  for (let r = 0; r < nRows; r++) for (let k = offsets[r] + 1; k < offsets[r + 1]; k++) if (indices[k] === indices[k - 1]) repeats++;
  if (repeats === 0) return [offsets, indices];
  const off = new Int32Array(nRows + 1);
  const idx = new Int32Array(indices.length - repeats);
  let p = 0;
  for (let r = 0; r < nRows; r++) {
    for (let k = offsets[r]; k < offsets[r + 1]; k++) if (k === offsets[r] || indices[k] !== indices[k - 1]) idx[p++] = indices[k];
    off[r + 1] = p;
  }
  return [off, idx];
}
