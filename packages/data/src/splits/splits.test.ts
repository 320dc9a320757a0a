import { describe, expect, it } from 'vitest';
import type { RatingColumns } from '@collab-ts/core';
import { generateSynthetic } from '../synthetic/generate.js';
import { randomSplit } from './random-split.js';
import { kFoldSplits } from './k-fold.js';
import { leaveLastOut } from './leave-last-out.js';

const { dataset } = generateSynthetic({ users: 200, items: 150, ratings: 5000, seed: 3 });
const cols = dataset.ratings;
const n = cols.ratings.length;

/** Each row as a key that identifies it uniquely (user, item pairs are distinct in synthetic data). */
function keys(r: RatingColumns): string[] {
  return Array.from(r.users, (u, i) => `${u}:${r.items[i]}:${r.ratings[i]}:${r.timestamps?.[i]}`);
}
const all = new Set(keys(cols));

function expectPartition(train: RatingColumns, valid: RatingColumns): void {
  const t = keys(train);
  const v = keys(valid);
  expect(t.length + v.length).toBe(n);
  const vs = new Set(v);
  expect(t.some((k) => vs.has(k))).toBe(false);
  expect(new Set([...t, ...v])).toEqual(all);
}

describe('randomSplit', () => {
  it('holds out floor(validPct * n) rows, disjoint, covering everything', () => {
    const s = randomSplit(dataset, { validPct: 0.2, seed: 1 });
    expect(s.valid.ratings.length).toBe(Math.floor(0.2 * n));
    expectPartition(s.train, s.valid);
  });

  it('is deterministic by seed and differs between seeds', () => {
    const a = keys(randomSplit(cols, { seed: 1 }).valid);
    expect(keys(randomSplit(cols, { seed: 1 }).valid)).toEqual(a);
    expect(keys(randomSplit(cols, { seed: 2 }).valid)).not.toEqual(a);
  });

  it('rejects a bad validPct', () => {
    expect(() => randomSplit(cols, { validPct: 1.5 })).toThrow(/validPct/);
  });
});

describe('kFoldSplits', () => {
  it('gives k partitions whose validation folds tile the data', () => {
    const folds = kFoldSplits(dataset, { k: 5, seed: 7 });
    expect(folds).toHaveLength(5);
    const seen: string[] = [];
    for (const f of folds) {
      expect(f.valid.ratings.length).toBe(n / 5);
      expectPartition(f.train, f.valid);
      seen.push(...keys(f.valid));
    }
    expect(seen.length).toBe(n);
    expect(new Set(seen)).toEqual(all);
  });

  it('is deterministic by seed and differs between seeds', () => {
    const a = keys(kFoldSplits(cols, { k: 3, seed: 1 })[0].valid);
    expect(keys(kFoldSplits(cols, { k: 3, seed: 1 })[0].valid)).toEqual(a);
    expect(keys(kFoldSplits(cols, { k: 3, seed: 9 })[0].valid)).not.toEqual(a);
  });
});

describe('leaveLastOut', () => {
  it("holds out each user's latest k ratings and keeps at least one in training", () => {
    const s = leaveLastOut(dataset, { k: 2 });
    expectPartition(s.train, s.valid);
    const count = new Map<number, number>();
    for (const u of cols.users) count.set(u, (count.get(u) ?? 0) + 1);
    let expected = 0;
    for (const c of count.values()) expected += Math.max(0, Math.min(2, c - 1));
    expect(s.valid.ratings.length).toBe(expected);
    const latestTrain = new Map<number, number>();
    s.train.users.forEach((u, i) => latestTrain.set(u, Math.max(latestTrain.get(u) ?? -Infinity, s.train.timestamps![i])));
    s.valid.users.forEach((u, i) => expect(s.valid.timestamps![i]).toBeGreaterThanOrEqual(latestTrain.get(u)!));
  });

  it('breaks timestamp ties by position (the later row is held out)', () => {
    const c: RatingColumns = {
      users: Int32Array.from([0, 0, 0, 1, 1]),
      items: Int32Array.from([0, 1, 2, 0, 1]),
      ratings: Float32Array.from([1, 2, 3, 4, 5]),
      timestamps: Float64Array.from([5, 9, 9, 1, 1]),
    };
    const s = leaveLastOut(c);
    expect(Array.from(s.valid.items)).toEqual([2, 1]);
    expect(Array.from(s.valid.users)).toEqual([0, 1]);
    expect(s.train.ratings.length).toBe(3);
  });

  it('is deterministic and needs timestamps', () => {
    expect(keys(leaveLastOut(cols).valid)).toEqual(keys(leaveLastOut(cols).valid));
    expect(() => leaveLastOut({ ...cols, timestamps: null })).toThrow(/timestamps/);
  });
});
