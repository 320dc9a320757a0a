import { describe, expect, it } from 'vitest';
import { naiveInverse } from '@collab-ts/tooling/test/linalg';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { fitRecommender } from '../../registry/fit.js';
import { randomInteractions as sharedRandomInteractions } from '../../testing/random-interactions.js';
import type { EaseRecommender } from './recommender.js';

const N_USERS = 50;
const N_ITEMS = 24;

/** The fixture of these tests (see testing/random-interactions.ts). */
function randomInteractions(seed: number): RatingColumns {
  return sharedRandomInteractions({ seed, users: N_USERS, items: N_ITEMS, density: 0.6, tail: 6, repeats: 8, repeatValue: 2 });
}

/** EASE the naive way over the columns `cols` of the dense X: G = X'X + lambda I, P = G^-1, B_ij = -P_ij / P_jj. */
function naiveEase(x: Float64Array[], cols: number[], lambda: number): Float64Array {
  const m = cols.length;
  const g = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let s = a === b ? lambda : 0;
      for (const row of x) s += row[cols[a]] * row[cols[b]];
      g[a * m + b] = s;
    }
  }
  const p = naiveInverse(g, m);
  return p.map((v, k) => (k % m === Math.floor(k / m) ? 0 : -v / p[(k % m) * m + (k % m)]));
}

function dense(train: RatingColumns): Float64Array[] {
  const x = Array.from({ length: N_USERS }, () => new Float64Array(N_ITEMS));
  train.users.forEach((u, k) => (x[u][train.items[k]] += train.ratings[k]));
  return x;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  let scale = 0;
  for (let k = 0; k < want.length; k++) scale = Math.max(scale, Math.abs(want[k]));
  for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(1e-5 * scale);
}

describe('ease', () => {
  const train = randomInteractions(9);
  const x = dense(train);
  const all = Array.from({ length: N_ITEMS }, (_, i) => i);

  it('computes B as the closed form with a naive Gauss-Jordan inverse does, and scores x_u B', async () => {
    for (const lambda of [0.5, 30]) {
      const rec = (await fitRecommender('ease', { train, nUsers: N_USERS, nItems: N_ITEMS }, { lambda })) as EaseRecommender;
      const b = naiveEase(x, all, lambda);
      expectClose(rec.weights, b);
      for (const u of [0, 13, 49]) {
        const want = all.map((j) => x[u].reduce((s, v, i) => s + v * b[i * N_ITEMS + j], 0));
        const row = new Float32Array(N_ITEMS);
        rec.scoreUsers([u], 0, 1, row);
        expectClose(row, want);
        const items = all.filter((i) => x[u][i] !== 0);
        expectClose(rec.foldIn(items, items.map((i) => x[u][i])), want);
      }
    }
  });

  it('ranks similar items by the item\'s row of B, as recommendNew of that one item does', async () => {
    const rec = (await fitRecommender('ease', { train, nUsers: N_USERS, nItems: N_ITEMS }, { lambda: 10 })) as EaseRecommender;
    for (const item of [0, 7, 20]) {
      const sims = rec.similarItems(item, 5);
      expect(sims.map((s) => s.item)).toEqual(rec.recommendNew([item], undefined, { k: 5 }).map((s) => s.item));
      for (const s of sims) expect(s.score).toBe(rec.weights[item * N_ITEMS + s.item]);
    }
  });

  it('keeps the maxItems most-interacted items, says so, and ranks the others below them by popularity', async () => {
    const lines: string[] = [];
    const rec = (await fitRecommender('ease', { train, nUsers: N_USERS, nItems: N_ITEMS }, { lambda: 20, maxItems: 15 }, { log: (l) => lines.push(l) })) as EaseRecommender;
    expect(lines.join('\n')).toMatch(/keeping the 15 most-interacted of 24 items .*B takes 0\.0 MB/);
    const counts = new Float64Array(N_ITEMS);
    train.items.forEach((i) => counts[i]++);
    const kept = [...all].sort((a, b) => counts[b] - counts[a] || a - b).slice(0, 15).sort((a, b) => a - b);
    expect(Array.from(rec.keptItems)).toEqual(kept);
    const b = naiveEase(x, kept, 20);
    expectClose(rec.weights, b);
    const u = 3;
    const row = new Float32Array(N_ITEMS);
    rec.scoreUsers([u], 0, 1, row);
    const keptScores = kept.map((j, c) => kept.reduce((s, i, r) => s + x[u][i] * b[r * 15 + c], 0));
    expectClose(kept.map((j) => row[j]), keptScores);
    const dropped = all.filter((j) => !kept.includes(j));
    const lowestKept = Math.min(...kept.map((j) => row[j]));
    for (const j of dropped) expect(row[j]).toBeLessThan(lowestKept);
    const byScore = [...dropped].sort((p, q) => row[q] - row[p] || p - q);
    expect(byScore).toEqual([...dropped].sort((p, q) => counts[q] - counts[p] || p - q));
    expect(() => rec.similarItems(dropped[0], 3)).toThrow(/not among the 15 most-interacted items/);
  });

  it('falls back to popularity for an empty history, and reports a singular Gram matrix as a usage error', async () => {
    const rec = await fitRecommender('ease', { train, nUsers: N_USERS, nItems: N_ITEMS }, { lambda: 5 });
    const counts = new Float32Array(N_ITEMS);
    train.items.forEach((i) => counts[i]++);
    expect(Array.from(rec.foldIn([]))).toEqual(Array.from(counts));
    // an item nobody interacted with makes X'X singular when lambda is 0
    await expect(fitRecommender('ease', { train, nUsers: N_USERS, nItems: N_ITEMS + 1 }, { lambda: 0 })).rejects.toThrow(UsageError);
  });
});
