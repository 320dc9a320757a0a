import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { fitRecommender } from '../../registry/fit.js';
import { randomInteractions as sharedRandomInteractions } from '../../testing/random-interactions.js';
import { summedInteractions } from '../summed-interactions.js';
import type { ItemKnnRecommender } from './recommender.js';
import { itemNeighbours, weightedItemUsers } from './similarity.js';
import type { KnnWeighting } from './similarity.js';

const N_USERS = 40;
const N_ITEMS = 30;

/** The fixture of these tests (see testing/random-interactions.ts). */
function randomInteractions(seed: number): RatingColumns {
  return sharedRandomInteractions({ seed, users: N_USERS, items: N_ITEMS, density: 0.5, tail: 8, repeats: 10, repeatValue: 1 });
}

/** Dense users x items strengths, repeated pairs summed. */
function dense(train: RatingColumns): Float64Array[] {
  const x = Array.from({ length: N_USERS }, () => new Float64Array(N_ITEMS));
  train.users.forEach((u, k) => (x[u][train.items[k]] += train.ratings[k]));
  return x;
}

/** Item vectors (over users) weighted the direct way, from the formulas of implicit's weightings. */
function directWeights(x: Float64Array[], weighting: KnnWeighting, k1: number, b: number): Float64Array[] {
  const w = Array.from({ length: N_ITEMS }, (_, i) => Float64Array.from(x, (row) => row[i]));
  const nOfUser = x.map((row) => row.filter((v) => v !== 0).length);
  const idf = nOfUser.map((n) => Math.log(N_ITEMS) - Math.log(1 + n));
  if (weighting === 'bm25') {
    const len = w.map((v) => v.reduce((a, c) => a + c, 0));
    const avg = len.reduce((a, c) => a + c, 0) / N_ITEMS;
    return w.map((v, i) => v.map((xv, u) => (xv === 0 ? 0 : ((xv * (k1 + 1)) / (k1 * (1 - b + (b * len[i]) / avg) + xv)) * idf[u])));
  }
  const t = weighting === 'tfidf' ? w.map((v) => v.map((xv, u) => Math.sqrt(xv) * idf[u])) : w;
  return t.map((v) => {
    const n = Math.sqrt(v.reduce((a, c) => a + c * c, 0));
    return v.map((c) => (n > 0 ? c / n : 0));
  });
}

/** Brute-force neighbours: every pair's dot product (shrunk by co-support), the top k positive, ties to the lower index. */
function bruteNeighbours(w: Float64Array[], k: number, shrink: number): { item: number; score: number }[][] {
  return w.map((vi, i) => {
    const all: { item: number; score: number }[] = [];
    w.forEach((vj, j) => {
      if (j === i) return;
      let dot = 0;
      let common = 0;
      for (let u = 0; u < vi.length; u++) {
        dot += vi[u] * vj[u];
        if (vi[u] !== 0 && vj[u] !== 0) common++;
      }
      const s = shrink > 0 ? (dot * common) / (common + shrink) : dot;
      if (s > 0) all.push({ item: j, score: s });
    });
    all.sort((a, b) => b.score - a.score || a.item - b.item);
    return all.slice(0, k);
  });
}

describe('item-knn', () => {
  const train = randomInteractions(3);
  const x = summedInteractions(train, N_USERS, N_ITEMS);
  const xd = dense(train);

  it('sums repeated (user, item) pairs into one interaction', () => {
    for (let u = 0; u < N_USERS; u++) {
      const row = new Float64Array(N_ITEMS);
      for (let p = x.offsets[u]; p < x.offsets[u + 1]; p++) {
        expect(row[x.indices[p]]).toBe(0);
        row[x.indices[p]] = x.values[p];
      }
      expect(Array.from(row)).toEqual(Array.from(xd[u]));
    }
  });

  it('weights item vectors as the direct BM25, TF-IDF and cosine formulas', () => {
    for (const weighting of ['bm25', 'tfidf', 'none'] as const) {
      const w = weightedItemUsers(x, weighting, 1.5, 0.6);
      const ref = directWeights(xd, weighting, 1.5, 0.6);
      for (let i = 0; i < N_ITEMS; i++) {
        const got = new Float64Array(N_USERS);
        for (let p = w.offsets[i]; p < w.offsets[i + 1]; p++) got[w.indices[p]] = w.values[p];
        for (let u = 0; u < N_USERS; u++) expect(got[u]).toBeCloseTo(ref[i][u], 5);
      }
    }
  });

  it('keeps the same neighbours, with the same similarities, as a brute-force search', () => {
    for (const [weighting, k, shrink] of [['none', 5, 0], ['tfidf', 8, 0], ['bm25', 4, 0], ['none', 6, 3]] as const) {
      const nb = itemNeighbours(weightedItemUsers(x, weighting), k, shrink);
      const ref = bruteNeighbours(directWeights(xd, weighting, 1.2, 0.75), k, shrink);
      for (let i = 0; i < N_ITEMS; i++) {
        const got = [];
        for (let p = nb.offsets[i]; p < nb.offsets[i + 1]; p++) got.push({ item: nb.items[p], score: nb.scores[p] });
        expect(got.map((g) => g.item)).toEqual(ref[i].map((r) => r.item));
        got.forEach((g, j) => expect(g.score).toBeCloseTo(ref[i][j].score, 5));
      }
    }
  });

  it('scores a user by the sum of their items\' neighbour similarities times strength, for trained and new users alike', async () => {
    const rec = (await fitRecommender('item-knn', { train, nUsers: N_USERS, nItems: N_ITEMS }, { k: 6, weighting: 'none' })) as ItemKnnRecommender;
    const sims = bruteNeighbours(directWeights(xd, 'none', 1.2, 0.75), 6, 0);
    for (const u of [0, 5, 17]) {
      const expected = new Float64Array(N_ITEMS);
      xd[u].forEach((v, i) => {
        if (v !== 0) for (const s of sims[i]) expected[s.item] += v * s.score;
      });
      const row = new Float32Array(N_ITEMS);
      rec.scoreUsers([u], 0, 1, row);
      for (let j = 0; j < N_ITEMS; j++) expect(row[j]).toBeCloseTo(expected[j], 4);
      const items = Array.from(xd[u]).flatMap((v, i) => (v !== 0 ? [i] : []));
      const folded = rec.foldIn(items, items.map((i) => xd[u][i]));
      for (let j = 0; j < N_ITEMS; j++) expect(folded[j]).toBeCloseTo(expected[j], 4);
    }
    expect(rec.similarItems(0, 3)).toEqual(sims[0].slice(0, 3).map((s) => ({ item: s.item, score: expect.closeTo(s.score, 5) })));
  });

  it('falls back to popularity for an empty history, and rejects bad input', async () => {
    const rec = await fitRecommender('item-knn', { train, nUsers: N_USERS, nItems: N_ITEMS });
    const counts = new Float32Array(N_ITEMS);
    train.items.forEach((i) => counts[i]++);
    expect(Array.from(rec.foldIn([]))).toEqual(Array.from(counts));
    expect(() => rec.foldIn([0, 1], [1])).toThrow(UsageError);
    expect(() => rec.foldIn([N_ITEMS])).toThrow(/out of range/);
    const negative = { ...train, ratings: train.ratings.map((v, k) => (k === 0 ? -1 : v)) };
    await expect(fitRecommender('item-knn', { train: negative, nUsers: N_USERS, nItems: N_ITEMS }, { weighting: 'bm25' })).rejects.toThrow(/non-negative/);
  });
});
