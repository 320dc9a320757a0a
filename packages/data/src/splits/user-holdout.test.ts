import { describe, expect, it } from 'vitest';
import type { RatingColumns } from '@collab-ts/core';
import { generateSynthetic } from '../synthetic/generate.js';
import { userHoldout } from './user-holdout.js';

const { dataset } = generateSynthetic({ users: 120, items: 90, ratings: 3000, seed: 5 });
const cols = dataset.ratings;

function keys(r: RatingColumns): string[] {
  return Array.from(r.users, (u, i) => `${u}:${r.items[i]}:${r.ratings[i]}`);
}

function perUser(r: RatingColumns): Map<number, number> {
  const m = new Map<number, number>();
  for (const u of r.users) m.set(u, (m.get(u) ?? 0) + 1);
  return m;
}

describe('userHoldout', () => {
  it("holds out round(testPct * n) of each user's ratings, keeping at least one in training", () => {
    const s = userHoldout(dataset, { testPct: 0.2, seed: 1 });
    const all = perUser(cols);
    const test = perUser(s.valid);
    const train = perUser(s.train);
    for (const [u, n] of all) {
      expect(test.get(u) ?? 0).toBe(Math.min(Math.round(0.2 * n), n - 1));
      expect(train.get(u)).toBeGreaterThanOrEqual(1);
    }
    expect(s.train.ratings.length + s.valid.ratings.length).toBe(cols.ratings.length);
    const t = new Set(keys(s.train));
    expect(keys(s.valid).some((k) => t.has(k))).toBe(false);
    expect(new Set([...keys(s.train), ...keys(s.valid)])).toEqual(new Set(keys(cols)));
    expect(s.name).toBe('user-holdout(testPct=0.2,seed=1)');
  });

  it('is deterministic by seed and differs between seeds; needs no timestamps', () => {
    const a = keys(userHoldout(cols, { seed: 3 }).valid);
    expect(keys(userHoldout(cols, { seed: 3 }).valid)).toEqual(a);
    expect(keys(userHoldout(cols, { seed: 4 }).valid)).not.toEqual(a);
    expect(userHoldout({ ...cols, timestamps: null }, { seed: 3 }).valid.ratings.length).toBe(a.length);
  });

  it('keeps a lone rating in training and rejects a bad testPct', () => {
    const one: RatingColumns = { users: Int32Array.from([0, 1, 1]), items: Int32Array.from([0, 0, 1]), ratings: Float32Array.from([5, 4, 3]), timestamps: null };
    const s = userHoldout(one, { testPct: 0.5, seed: 0 });
    expect(Array.from(s.train.users).sort()).toEqual([0, 1]);
    expect(Array.from(s.valid.users)).toEqual([1]);
    expect(() => userHoldout(cols, { testPct: 1 })).toThrow(/testPct/);
    expect(() => userHoldout(cols, { testPct: -0.1 })).toThrow(/testPct/);
  });
});
