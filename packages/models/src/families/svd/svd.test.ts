import { describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { blockRatings, chooseGrid } from './rating-blocks.js';
import { sizeDefaults } from './svd-settings.js';
import { fitRecommender } from '../../registry/fit.js';
import { sgdBlock } from './sgd-block.js';
import type { SvdTables } from './sgd-block.js';

describe('svd', () => {
  it('one per-rating update is a step of -lr times the finite-difference gradient of the penalised squared error', () => {
    const d = 4;
    const rng = createRng(3);
    const mk = (n: number) => Float32Array.from({ length: n }, () => rng.normal(0, 0.5));
    const ones = (n: number) => new Float32Array(n).fill(1);
    const t: SvdTables = { dim: d, userFactors: mk(2 * d), itemFactors: mk(3 * d), userBias: mk(2), itemBias: mk(3), userFactorsG: ones(2), itemFactorsG: ones(3), userBiasG: ones(2), itemBiasG: ones(3) };
    const mean = 3.2;
    const reg = 0.3;
    const regBias = 0.2;
    const u = 1;
    const i = 2;
    const r = 4.5;
    const loss = (P: Float32Array, Q: Float32Array, bu: Float32Array, bi: Float32Array) => {
      let dot = 0;
      for (let k = 0; k < d; k++) dot += P[u * d + k] * Q[i * d + k];
      const err = r - (mean + bu[u] + bi[i] + dot);
      let pq = 0;
      for (let k = 0; k < d; k++) pq += P[u * d + k] ** 2 + Q[i * d + k] ** 2;
      return 0.5 * err * err + 0.5 * reg * pq + 0.5 * regBias * (bu[u] ** 2 + bi[i] ** 2);
    };
    const fd = (arr: Float32Array, j: number) => {
      const h = 1e-2;
      const keep = arr[j];
      arr[j] = keep + h;
      const a = loss(t.userFactors, t.itemFactors, t.userBias, t.itemBias);
      arr[j] = keep - h;
      const b = loss(t.userFactors, t.itemFactors, t.userBias, t.itemBias);
      arr[j] = keep;
      return (a - b) / (2 * h);
    };
    const grads = [
      ...Array.from({ length: d }, (_, k) => ({ arr: 'userFactors' as const, j: u * d + k })),
      ...Array.from({ length: d }, (_, k) => ({ arr: 'itemFactors' as const, j: i * d + k })),
      { arr: 'userBias' as const, j: u },
      { arr: 'itemBias' as const, j: i },
    ].map((g) => ({ ...g, grad: fd(t[g.arr], g.j), before: t[g.arr][g.j] }));
    const lr = 1e-3;
    sgdBlock(t, { users: Int32Array.of(u), items: Int32Array.of(i), ratings: Float32Array.of(r) }, 0, 1, { lr, reg, lrBias: lr, regBias, mean, adaptive: false });
    for (const g of grads) expect((t[g.arr][g.j] - g.before) / lr).toBeCloseTo(-g.grad, 2);
  });

  it('learns planted factors: validation RMSE well below the bias-free mean predictor, deterministic for a seed', async () => {
    const { dataset } = generateSynthetic({ users: 200, items: 150, ratings: 12000, factors: 4, seed: 5, noise: 0.2 });
    const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 1 });
    const data = { train, nUsers: 200, nItems: 150 };
    const a = await fitRecommender('svd', data, { factors: 16, epochs: 30, lr: 0.01, adaptive: false, seed: 9 });
    const b = await fitRecommender('svd', data, { factors: 16, epochs: 30, lr: 0.01, adaptive: false, seed: 9 });
    const pa = a.predict(valid.users, valid.items);
    expect(Array.from(pa)).toEqual(Array.from(b.predict(valid.users, valid.items)));
    let mean = 0;
    for (const r of train.ratings) mean += r / train.ratings.length;
    let sse = 0;
    let sseMean = 0;
    for (let j = 0; j < pa.length; j++) {
      sse += (pa[j] - valid.ratings[j]) ** 2;
      sseMean += (mean - valid.ratings[j]) ** 2;
    }
    expect(Math.sqrt(sse / pa.length)).toBeLessThan(0.8 * Math.sqrt(sseMean / pa.length));
  });

  it('the adaptive update steps each row by lr / sqrt(G) along minus the gradient, and grows G by the mean squared gradient', () => {
    const d = 3;
    const rng = createRng(8);
    const mk = (n: number) => Float32Array.from({ length: n }, () => rng.normal(0, 0.5));
    const G = (n: number) => Float32Array.from({ length: n }, () => 1 + 3 * rng.next());
    const t: SvdTables = { dim: d, userFactors: mk(2 * d), itemFactors: mk(2 * d), userBias: mk(2), itemBias: mk(2), userFactorsG: G(2), itemFactorsG: G(2), userBiasG: G(2), itemBiasG: G(2) };
    const [u, i, r, mean, reg, regBias, lr] = [0, 1, 2, 3.5, 0.1, 0.05, 0.02];
    // closed form of the penalised squared error's gradient, written out independently of the kernel
    let dot = 0;
    for (let k = 0; k < d; k++) dot += t.userFactors[u * d + k] * t.itemFactors[i * d + k];
    const err = r - (mean + t.userBias[u] + t.itemBias[i] + dot);
    const gradP = Array.from({ length: d }, (_, k) => -err * t.itemFactors[i * d + k] + reg * t.userFactors[u * d + k]);
    const gradQ = Array.from({ length: d }, (_, k) => -err * t.userFactors[u * d + k] + reg * t.itemFactors[i * d + k]);
    const gradBu = -err + regBias * t.userBias[u];
    const gradBi = -err + regBias * t.itemBias[i];
    const before = { P: Array.from(t.userFactors), Q: Array.from(t.itemFactors), bu: Array.from(t.userBias), bi: Array.from(t.itemBias) };
    const g0 = { P: t.userFactorsG[u], Q: t.itemFactorsG[i], bu: t.userBiasG[u], bi: t.itemBiasG[i] };
    const sse = sgdBlock(t, { users: Int32Array.of(u), items: Int32Array.of(i), ratings: Float32Array.of(r) }, 0, 1, { lr, reg, lrBias: 2 * lr, regBias, mean, adaptive: true });
    expect(sse).toBeCloseTo(err * err, 5);
    for (let k = 0; k < d; k++) {
      expect(t.userFactors[u * d + k]).toBeCloseTo(before.P[u * d + k] - (lr / Math.sqrt(g0.P)) * gradP[k], 6);
      expect(t.itemFactors[i * d + k]).toBeCloseTo(before.Q[i * d + k] - (lr / Math.sqrt(g0.Q)) * gradQ[k], 6);
    }
    expect(t.userBias[u]).toBeCloseTo(before.bu[u] - ((2 * lr) / Math.sqrt(g0.bu)) * gradBu, 6);
    expect(t.itemBias[i]).toBeCloseTo(before.bi[i] - ((2 * lr) / Math.sqrt(g0.bi)) * gradBi, 6);
    const meanSq = (g: number[]) => g.reduce((a, x) => a + x * x, 0) / g.length;
    expect(t.userFactorsG[u]).toBeCloseTo(g0.P + meanSq(gradP), 5);
    expect(t.itemFactorsG[i]).toBeCloseTo(g0.Q + meanSq(gradQ), 5);
    expect(t.userBiasG[u]).toBeCloseTo(g0.bu + gradBu * gradBu, 5);
    expect(t.itemBiasG[i]).toBeCloseTo(g0.bi + gradBi * gradBi, 5);
    // the rows the rating does not touch keep their values
    expect(t.userFactors[(1 - u) * d]).toBe(before.P[(1 - u) * d]);
    expect(t.itemBias[1 - i]).toBe(before.bi[1 - i]);
  });

  it('blocks hold every rating once, each block one user group by one item group, in a seeded order', () => {
    const { dataset } = generateSynthetic({ users: 50, items: 40, ratings: 900, seed: 3 });
    const r = dataset.ratings;
    const a = blockRatings(r, 50, 40, 3, createRng(5));
    const b = blockRatings(r, 50, 40, 3, createRng(5));
    expect(Array.from(a.users)).toEqual(Array.from(b.users));
    expect(a.offsets[9]).toBe(900);
    const key = (u: number, i: number, x: number) => `${u}/${i}/${x}`;
    const given = Array.from({ length: 900 }, (_, j) => key(r.users[j], r.items[j], r.ratings[j])).sort();
    expect(Array.from({ length: 900 }, (_, j) => key(a.users[j], a.items[j], a.ratings[j])).sort()).toEqual(given);
    const userGroup = new Map<number, number>();
    const itemGroup = new Map<number, number>();
    for (let blk = 0; blk < 9; blk++) {
      for (let j = a.offsets[blk]; j < a.offsets[blk + 1]; j++) {
        expect(userGroup.get(a.users[j]) ?? Math.floor(blk / 3)).toBe(Math.floor(blk / 3));
        expect(itemGroup.get(a.items[j]) ?? blk % 3).toBe(blk % 3);
        userGroup.set(a.users[j], Math.floor(blk / 3));
        itemGroup.set(a.items[j], blk % 3);
      }
    }
  });

  it('chooses reg and lr by data size within the measured range, and a grid that keeps a block\'s rows near 1 MB', () => {
    const at = (ratings: number) => sizeDefaults({ ratings, users: 1, items: 1 }, true);
    expect(at(80_000).reg).toBeCloseTo(0.07, 3);
    expect(at(800_000).reg).toBeCloseTo(0.06 * Math.pow(8, -0.8), 6);
    expect(at(20_000_000).reg).toBe(0.01);
    expect(at(1_000).reg).toBe(0.07);
    expect(at(80_000).lr).toBeCloseTo(0.06, 2);
    expect(at(20_000_000).lr).toBe(0.1);
    expect(sizeDefaults({ ratings: 80_000, users: 1, items: 1 }, false)).toMatchObject({ lr: 0.01, reg: 0.05, lrDecay: 0.96 });
    expect(chooseGrid(943, 1682, 50, 1)).toBe(1);
    expect(chooseGrid(943, 1682, 50, 2)).toBe(4);
    expect(chooseGrid(162_541, 59_047, 50, 2)).toBe(46);
  });
});
