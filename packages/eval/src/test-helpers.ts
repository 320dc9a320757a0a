// Shared fixtures for this package's tests (not exported from the package).
import type { FactorTables, RatingColumns, Rng, Scorer } from '@collab-ts/core';

/** Rating columns from [user, item, rating] triples. */
export function cols(rows: [number, number, number][]): RatingColumns {
  return {
    users: Int32Array.from(rows.map((r) => r[0])),
    items: Int32Array.from(rows.map((r) => r[1])),
    ratings: Float32Array.from(rows.map((r) => r[2])),
    timestamps: null,
  };
}

/** A scorer reading a dense nUsers x nItems score matrix (no factor tables). */
export function matrixScorer(matrix: number[][]): Scorer {
  const nUsers = matrix.length;
  const nItems = matrix[0].length;
  return {
    nUsers,
    nItems,
    predict(users, items) {
      const out = new Float32Array(users.length);
      for (let i = 0; i < users.length; i++) out[i] = matrix[users[i]][items[i]];
      return out;
    },
    factors: () => null,
  };
}

/** A scorer over factor tables whose predict sums in the same order as the package's fast path. */
export function factorScorer(t: FactorTables, nUsers: number, nItems: number): Scorer {
  return {
    nUsers,
    nItems,
    predict(users, items) {
      const out = new Float32Array(users.length);
      const d = t.dim;
      for (let n = 0; n < users.length; n++) {
        const u = users[n];
        const i = items[n];
        let s = 0;
        for (let k = 0; k < d; k++) s += t.userFactors[u * d + k] * t.itemFactors[i * d + k];
        s = s + (t.userBias ? t.userBias[u] : 0) + (t.itemBias ? t.itemBias[i] : 0);
        if (t.yRange) s = t.yRange[0] + (t.yRange[1] - t.yRange[0]) / (1 + Math.exp(-s));
        out[n] = s;
      }
      return out;
    },
    factors: () => t,
  };
}

/** Random factor tables with normal entries. */
export function randomTables(rng: Rng, nUsers: number, nItems: number, dim: number, biases = true): FactorTables {
  const fill = (n: number, std: number) => Float32Array.from({ length: n }, () => rng.normal(0, std));
  return {
    dim,
    userFactors: fill(nUsers * dim, 0.5),
    itemFactors: fill(nItems * dim, 0.5),
    userBias: biases ? fill(nUsers, 0.3) : null,
    itemBias: biases ? fill(nItems, 0.3) : null,
    yRange: null,
  };
}

/** Random ratings: each user rates `perUser` distinct items with ratings 1..5. */
export function randomRatings(rng: Rng, nUsers: number, nItems: number, perUser: number): RatingColumns {
  const rows: [number, number, number][] = [];
  for (let u = 0; u < nUsers; u++) {
    const perm = rng.permutation(nItems);
    for (let j = 0; j < perUser; j++) rows.push([u, perm[j], 1 + rng.int(5)]);
  }
  return cols(rows);
}
