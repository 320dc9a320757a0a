import { createRng, UsageError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { Vocabulary } from '../vocabulary.js';
import { AliasTable } from './alias-table.js';
import { syntheticTitles } from './titles.js';

/** Options of {@link generateSynthetic}. */
export interface SyntheticOptions {
  /** Number of users (ids "1".."users"). */
  users: number;
  /** Number of items (ids "1".."items"). */
  items: number;
  /** Number of ratings (distinct user/item pairs). */
  ratings: number;
  /** Latent dimension of the planted factors (default 8). */
  factors?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Rating scale [min, max] (default [1, 5]). */
  scale?: readonly [number, number];
  /** Rating step: 1 for whole stars, 0.5 for half stars (default 1). */
  step?: number;
  /** Zipf-like exponent of item popularity: item of rank r is drawn with weight 1/r^popularity (default 1). */
  popularity?: number;
  /** Zipf-like exponent of user activity (default 0.5). */
  userActivity?: number;
  /** Ratings each user gets at least (default `min(1, floor(ratings / users))`). */
  minPerUser?: number;
  /** Standard deviation of the Gaussian noise, in rating units (default 0.3). */
  noise?: number;
  /** Number of item clusters: items share a cluster's factor centre (default none). */
  clusters?: number;
  /** Attach made-up titles to items (default true). */
  titles?: boolean;
}

/** The ground truth a synthetic dataset was generated from. */
export interface PlantedModel {
  factors: number;
  globalMean: number;
  /** Row-major users x factors. */
  userFactors: Float32Array;
  /** Row-major items x factors. */
  itemFactors: Float32Array;
  userBias: Float32Array;
  itemBias: Float32Array;
  /** Cluster of each item (all 0 without `clusters`). */
  itemCluster: Int32Array;
  /** Sampling probability of each item (the popularity curve). */
  itemPopularity: Float64Array;
}

/** What {@link generateSynthetic} returns. */
export interface SyntheticData {
  dataset: RatingsDataset;
  planted: PlantedModel;
}

/** Per-user rating counts: a base for everyone, the rest split by long-tailed weights, capped at `cap`. */
function userCounts(nUsers: number, total: number, base: number, cap: number, exponent: number, rank: Uint32Array): Int32Array {
  const counts = new Int32Array(nUsers);
  const w = new Float64Array(nUsers);
  let sum = 0;
  for (let u = 0; u < nUsers; u++) {
    w[u] = 1 / Math.pow(rank[u] + 1, exponent);
    sum += w[u];
  }
  const rest = total - base * nUsers;
  let left = total;
  for (let u = 0; u < nUsers; u++) {
    counts[u] = Math.min(cap, base + Math.floor((rest * w[u]) / sum));
    left -= counts[u];
  }
  // hand out what rounding and capping left over, most active users first
  const byWeight = Array.from({ length: nUsers }, (_, u) => u).sort((a, b) => rank[a] - rank[b]);
  while (left > 0) {
    let gave = 0;
    for (const u of byWeight) {
      if (left === 0) break;
      if (counts[u] < cap) {
        counts[u]++;
        left--;
        gave++;
      }
    }
    if (gave === 0) break;
  }
  return counts;
}

/**
 * Generates a ratings dataset from a planted biased matrix-factorisation model:
 * `rating = clamp(roundToStep(global + bu + bi + <pu, qi> + noise))`, with long-tailed item popularity
 * (alias-table sampling), long-tailed user activity, distinct (user, item) pairs, timestamps and made-up
 * titles. Seeded: the same options give the same data. Scales to 25M ratings (typed arrays throughout).
 *
 * @example
 * ```ts
 * const { dataset, planted } = generateSynthetic({ users: 1000, items: 500, ratings: 50_000, seed: 1 });
 * ```
 */
export function generateSynthetic(options: SyntheticOptions): SyntheticData {
  const { users: nUsers, items: nItems, ratings: total } = options;
  const f = options.factors ?? 8;
  const seed = options.seed ?? 0;
  const [lo, hi] = options.scale ?? [1, 5];
  const step = options.step ?? 1;
  const popularity = options.popularity ?? 1;
  const noise = options.noise ?? 0.3;
  const nClusters = options.clusters ?? 0;
  for (const [k, v] of Object.entries({ users: nUsers, items: nItems, ratings: total, factors: f })) {
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`${k} must be a positive integer, got ${v}`);
  }
  if (total > nUsers * nItems) throw new UsageError(`cannot draw ${total} distinct ratings from ${nUsers} users x ${nItems} items`);
  if (!(hi > lo) || !(step > 0)) throw new UsageError(`bad rating scale [${lo}, ${hi}] or step ${step}`);
  if (!(popularity >= 0) || !(noise >= 0)) throw new UsageError('popularity and noise must be >= 0');
  if (!Number.isInteger(nClusters) || nClusters < 0) throw new UsageError(`clusters must be a non-negative integer, got ${nClusters}`);

  const rng = createRng(seed);
  const range = hi - lo;
  const globalMean = lo + 0.625 * range;
  const sigma = 0.15 * range;
  const s = Math.sqrt(sigma) / Math.pow(f, 0.25);
  const userFactors = new Float32Array(nUsers * f);
  const itemFactors = new Float32Array(nItems * f);
  const userBias = new Float32Array(nUsers);
  const itemBias = new Float32Array(nItems);
  const itemCluster = new Int32Array(nItems);
  const pr = rng.fork(1);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = pr.normal(0, s);
  for (let u = 0; u < nUsers; u++) userBias[u] = pr.normal(0, 0.1 * range);
  for (let i = 0; i < nItems; i++) itemBias[i] = pr.normal(0, 0.12 * range);
  if (nClusters > 0) {
    const centres = new Float32Array(nClusters * f);
    for (let k = 0; k < centres.length; k++) centres[k] = pr.normal(0, s);
    for (let i = 0; i < nItems; i++) {
      const c = pr.int(nClusters);
      itemCluster[i] = c;
      for (let k = 0; k < f; k++) itemFactors[i * f + k] = centres[c * f + k] + pr.normal(0, 0.35 * s);
    }
  } else {
    for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = pr.normal(0, s);
  }

  // long-tailed popularity over a random ranking of the items
  const itemRank = rng.fork(2).permutation(nItems);
  const weights = new Float64Array(nItems);
  let wsum = 0;
  for (let i = 0; i < nItems; i++) {
    weights[i] = 1 / Math.pow(itemRank[i] + 1, popularity);
    wsum += weights[i];
  }
  const itemPopularity = weights.map((w) => w / wsum);
  const alias = new AliasTable(weights);
  const base = Math.min(options.minPerUser ?? 1, Math.floor(total / nUsers));
  const counts = userCounts(nUsers, total, base, nItems, options.userActivity ?? 0.5, rng.fork(3).permutation(nUsers));

  const users = new Int32Array(total);
  const items = new Int32Array(total);
  const ratings = new Float32Array(total);
  const timestamps = new Float64Array(total);
  const mark = new Int32Array(nItems);
  const gen = rng.fork(4);
  let k = 0;
  let rmin = Infinity;
  let rmax = -Infinity;
  for (let u = 0; u < nUsers; u++) {
    const n = counts[u];
    const t0 = 900_000_000 + gen.int(300_000_000);
    const uo = u * f;
    for (let j = 0; j < n; j++) {
      let i = alias.sample(gen);
      let tries = 0;
      while (mark[i] === u + 1) {
        if (++tries < 32) i = alias.sample(gen);
        else {
          // the user's popular items are used up: take the next free item after a random start
          i = gen.int(nItems);
          while (mark[i] === u + 1) i = i + 1 === nItems ? 0 : i + 1;
        }
      }
      mark[i] = u + 1;
      let x = globalMean + userBias[u] + itemBias[i];
      const io = i * f;
      for (let d = 0; d < f; d++) x += userFactors[uo + d] * itemFactors[io + d];
      if (noise > 0) x += gen.normal(0, noise);
      let r = lo + Math.round((x - lo) / step) * step;
      if (r < lo) r = lo;
      else if (r > hi) r = hi;
      users[k] = u;
      items[k] = i;
      ratings[k] = r;
      timestamps[k] = t0 + gen.int(50_000_000);
      if (r < rmin) rmin = r;
      if (r > rmax) rmax = r;
      k++;
    }
  }
  const ids = (n: number): string[] => Array.from({ length: n }, (_, x) => String(x + 1));
  const titles = options.titles === false ? null : syntheticTitles(nItems, rng.fork(5));
  return {
    dataset: {
      source: `synthetic(users=${nUsers},items=${nItems},ratings=${total},seed=${seed})`,
      ratings: { users, items, ratings, timestamps },
      users: new Vocabulary('user', ids(nUsers)),
      items: new Vocabulary('item', ids(nItems), titles),
      ratingRange: [rmin, rmax],
    },
    planted: { factors: f, globalMean, userFactors, itemFactors, userBias, itemBias, itemCluster, itemPopularity },
  };
}
