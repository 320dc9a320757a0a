import { describe, expect, it } from 'vitest';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { fitRecommender } from '../../registry/fit.js';
import { fixtureColumns } from '../../testing/contract.js';

function columns(pairs: [number, number, number][]): RatingColumns {
  return {
    users: Int32Array.from(pairs, (p) => p[0]),
    items: Int32Array.from(pairs, (p) => p[1]),
    ratings: Float32Array.from(pairs, (p) => p[2]),
    timestamps: null,
  };
}

describe('popularity', () => {
  const train = fixtureColumns();
  const nUsers = 60;
  const nItems = 80;

  it('scores each item by its interaction count, or by its strength sum, against a direct count', async () => {
    const counts = new Map<number, number>();
    const sums = new Map<number, number>();
    train.items.forEach((i, k) => {
      counts.set(i, (counts.get(i) ?? 0) + 1);
      sums.set(i, (sums.get(i) ?? 0) + train.ratings[k]);
    });
    const byCount = await fitRecommender('popularity', { train, nUsers, nItems });
    const bySum = await fitRecommender('popularity', { train, nUsers, nItems }, { sumStrengths: true });
    const items = Int32Array.from({ length: nItems }, (_, i) => i);
    const users = new Int32Array(nItems);
    const c = byCount.predict(users, items);
    const s = bySum.predict(users, items);
    for (let i = 0; i < nItems; i++) {
      expect(c[i]).toBe(counts.get(i) ?? 0);
      expect(s[i]).toBeCloseTo(sums.get(i) ?? 0, 3);
    }
  });

  it('ranks the same list for everyone, ties to the lower item index, the user\'s items filtered', async () => {
    // items 2 and 1 have 3 interactions each, item 0 has 2, item 3 has 1
    const data = columns([
      [0, 2, 1], [1, 2, 1], [2, 2, 1],
      [0, 1, 1], [1, 1, 1], [3, 1, 1],
      [1, 0, 1], [2, 0, 1],
      [3, 3, 1],
    ]);
    const rec = await fitRecommender('popularity', { train: data, nUsers: 4, nItems: 4 });
    expect(rec.recommend(3, { k: 4 }).map((r) => r.item)).toEqual([2, 0]);
    expect(rec.recommend(0, { k: 4, includeSeen: true }).map((r) => r.item)).toEqual([1, 2, 0, 3]);
    // a new user: the popular items, their own filtered out; no history at all: the whole list
    expect(rec.canFoldIn).toBe(true);
    expect(Array.from(rec.foldIn([3]))).toEqual([2, 3, 3, 1]);
    expect(rec.recommendNew([1], undefined, { k: 2 }).map((r) => r.item)).toEqual([2, 0]);
    expect(rec.recommendNew([], undefined, { k: 4 }).map((r) => r.item)).toEqual([1, 2, 0, 3]);
    expect(() => rec.foldIn([4])).toThrow(/out of range/);
  });

  it('has no item similarity', async () => {
    const rec = await fitRecommender('popularity', { train, nUsers, nItems });
    expect(() => rec.similarItems(0, 5)).toThrow(UsageError);
    expect(() => rec.similarItems(0, 5)).toThrow(/no notion of item similarity/);
  });
});
