import { describe, expect, it } from 'vitest';
import { NegativeSampler, createRng, csrFromCoordinates, csrRow, takeRows } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { fitRecommender } from '../../registry/fit.js';
import { getFamily } from '../../registry/registry.js';
import { bprSgdPass } from './kernel.js';
import type { BprTables } from './kernel.js';
import type { BprRecommender } from './recommender.js';

/** The BPR loss of one triple in double precision, from plain arrays. */
function tripleLoss(p: number[], qi: number[], qj: number[], bi: number, bj: number, reg: number): number {
  let x = bi - bj;
  let sq = bi * bi + bj * bj;
  for (let f = 0; f < p.length; f++) {
    x += p[f] * (qi[f] - qj[f]);
    sq += p[f] * p[f] + qi[f] * qi[f] + qj[f] * qj[f];
  }
  return Math.log1p(Math.exp(-x)) + (reg / 2) * sq;
}

describe('bpr kernel', () => {
  it("takes a step of exactly -lr times the loss gradient (finite differences) on every parameter of the triple", () => {
    // user 1 interacted with items 0 and 2, so its only possible negative is item 1
    const history = csrFromCoordinates(Int32Array.of(0, 1, 1), Int32Array.of(1, 0, 2), new Float32Array(3), 2, 3);
    const d = 3;
    const rng = createRng(4);
    const reg = 0.05;
    for (let trial = 0; trial < 5; trial++) {
      const t: BprTables = {
        dim: d,
        userFactors: Float32Array.from({ length: 2 * d }, () => rng.normal(0, 0.7)),
        itemFactors: Float32Array.from({ length: 3 * d }, () => rng.normal(0, 0.7)),
        itemBias: Float32Array.from({ length: 3 }, () => rng.normal(0, 0.5)),
      };
      const before = { P: Array.from(t.userFactors), Q: Array.from(t.itemFactors), B: Array.from(t.itemBias) };
      const [u, i, j] = [1, trial % 2 === 0 ? 0 : 2, 1];
      const row = (a: number[], r: number) => a.slice(r * d, (r + 1) * d);
      const loss = (P: number[], Q: number[], B: number[]) => tripleLoss(row(P, u), row(Q, i), row(Q, j), B[i], B[j], reg);
      const lr = 1; // the step is linear in lr: with lr 1 it is minus the gradient
      bprSgdPass(t, Int32Array.of(0, u), Int32Array.of(0, i), [1], new NegativeSampler(history, { seed: trial }), lr, reg);
      const h = 1e-6;
      const fd = (which: 'P' | 'Q' | 'B', k: number): number => {
        const plus = { P: [...before.P], Q: [...before.Q], B: [...before.B] };
        const minus = { P: [...before.P], Q: [...before.Q], B: [...before.B] };
        plus[which][k] += h;
        minus[which][k] -= h;
        return (loss(plus.P, plus.Q, plus.B) - loss(minus.P, minus.Q, minus.B)) / (2 * h);
      };
      const after = { P: t.userFactors, Q: t.itemFactors, B: t.itemBias };
      const touched = { P: [u * d, u * d + 1, u * d + 2], Q: [i * d, i * d + 1, i * d + 2, j * d, j * d + 1, j * d + 2], B: [i, j] };
      for (const which of ['P', 'Q', 'B'] as const) {
        for (let k = 0; k < before[which].length; k++) {
          const step = (before[which][k] - after[which][k]) / lr;
          if (touched[which].includes(k)) expect(step).toBeCloseTo(fd(which, k), 5);
          else expect(step).toBe(0);
        }
      }
    }
  });
});

/**
 * Interactions with a planted taste structure: 4 groups of users and items; each of 160 users picks 24
 * distinct items, 80% from their own group, the rest from any group (lower item indices more popular).
 * Each user's last pick is held out.
 */
function fixture(): { train: RatingColumns; test: RatingColumns; nUsers: number; nItems: number } {
  const nUsers = 160;
  const nItems = 120;
  const rng = createRng(3);
  const users: number[] = [];
  const items: number[] = [];
  const pick = (group: number | null): number => {
    // squaring a uniform skews picks toward low indices: a long tail of popularity
    const r = Math.floor(rng.next() ** 2 * (group === null ? nItems : nItems / 4));
    return group === null ? r : r * 4 + group;
  };
  for (let u = 0; u < nUsers; u++) {
    const mine = new Set<number>();
    while (mine.size < 24) mine.add(pick(rng.next() < 0.8 ? u % 4 : null));
    for (const i of mine) {
      users.push(u);
      items.push(i);
    }
  }
  const all = { users: Int32Array.from(users), items: Int32Array.from(items), ratings: new Float32Array(users.length).fill(1), timestamps: null };
  const held = Array.from({ length: nUsers }, (_, u) => u * 24 + 23);
  const trainRows = Array.from({ length: users.length }, (_, k) => k).filter((k) => k % 24 !== 23);
  return { train: takeRows(all, trainRows), test: takeRows(all, held), nUsers, nItems };
}

/** Hit rate at 10 of the held-out items under the given per-user scores (seen items excluded). */
function hitRate(score: (u: number) => Float32Array, f: ReturnType<typeof fixture>, seen: (u: number) => Int32Array): number {
  let hits = 0;
  for (let k = 0; k < f.test.users.length; k++) {
    const u = f.test.users[k];
    const s = score(u);
    for (const i of seen(u)) s[i] = -Infinity;
    const target = s[f.test.items[k]];
    let better = 0;
    for (let i = 0; i < s.length; i++) if (s[i] > target) better++;
    if (better < 10) hits++;
  }
  return hits / f.test.users.length;
}

describe('bpr family', () => {
  const f = fixture();
  const data = { train: f.train, nUsers: f.nUsers, nItems: f.nItems };

  it('is deterministic for a seed, and another seed gives another model', async () => {
    const a = (await fitRecommender('bpr', data, { iterations: 3, seed: 7 })) as BprRecommender;
    const b = (await fitRecommender('bpr', data, { iterations: 3, seed: 7 })) as BprRecommender;
    const c = (await fitRecommender('bpr', data, { iterations: 3, seed: 8 })) as BprRecommender;
    expect(Array.from(b.tables.itemFactors)).toEqual(Array.from(a.tables.itemFactors));
    expect(Array.from(b.tables.itemBias)).toEqual(Array.from(a.tables.itemBias));
    expect(Array.from(c.tables.userFactors)).not.toEqual(Array.from(a.tables.userFactors));
    const p = (await fitRecommender('bpr', data, { iterations: 3, seed: 7, negatives: 'popularity', beta: 0.5 })) as BprRecommender;
    expect(Array.from(p.tables.itemFactors)).not.toEqual(Array.from(a.tables.itemFactors));
    expect(p.tables.itemFactors.every(Number.isFinite)).toBe(true);
  });

  it('ranks held-out items better than popularity on planted tastes', async () => {
    const rec = await fitRecommender('bpr', data, { factors: 16, iterations: 40, seed: 1 });
    const counts = new Float32Array(f.nItems);
    for (const i of f.train.items) counts[i]++;
    const seen = (u: number) => csrRow(rec.history!, u).indices;
    const bpr = hitRate((u) => {
      const s = new Float32Array(f.nItems);
      rec.scoreUsers([u], 0, 1, s);
      return s;
    }, f, seen);
    const pop = hitRate(() => counts.slice(), f, seen);
    expect(bpr).toBeGreaterThan(pop + 0.2);
  });

  it('folds in a new user deterministically, ignoring repeats, order and values, and ranks like the trained user', async () => {
    const rec = await fitRecommender('bpr', data, { factors: 16, iterations: 20, seed: 1 });
    const items = csrRow(rec.history!, 5).indices;
    const a = rec.foldIn(items);
    expect(Array.from(rec.foldIn(items))).toEqual(Array.from(a));
    const shuffled = createRng(2).shuffle(Int32Array.from([...items, ...items]));
    expect(Array.from(rec.foldIn(shuffled, new Float32Array(shuffled.length).fill(3)))).toEqual(Array.from(a));
    expect(rec.canFoldIn).toBe(true);
    expect(rec.foldIn([]).every((v, i) => v === (rec as BprRecommender).tables.itemBias[i])).toBe(true);
    expect(() => rec.foldIn([f.nItems])).toThrow(/out of range/);
  });

  it('exposes its factor tables without a user bias, and rejects saved states that do not fit', async () => {
    const rec = (await fitRecommender('bpr', data, { factors: 8, iterations: 1 })) as BprRecommender;
    const t = rec.factors();
    expect(t.userBias).toBeNull();
    expect(t.itemBias).toBe(rec.tables.itemBias);
    const state = rec.state();
    const family = getFamily('bpr');
    await expect(family.load({ ...state, config: { ...state.config, factors: 9 } }, {})).rejects.toThrow(/shape/);
    await expect(family.load({ ...state, config: { ...state.config, negatives: 'zipf' } }, {})).rejects.toThrow(/negatives/);
    await expect(family.load({ ...state, tensors: { ...state.tensors, extra: state.tensors.item_bias } }, {})).rejects.toThrow(/unexpected tensor extra/);
    const { item_bias: _, ...noBias } = state.tensors;
    await expect(family.load({ ...state, tensors: noBias }, {})).rejects.toThrow(/item_bias is missing/);
  });
});
