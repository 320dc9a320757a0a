import { describe, expect, it } from 'vitest';
import { createRng } from '@collab-ts/core';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { fitRecommender } from '../../registry/fit.js';
import { svdEpoch } from './sgd-epoch.js';

describe('svd', () => {
  it('one per-rating update is a step of -lr times the finite-difference gradient of the penalised squared error', () => {
    const d = 4;
    const rng = createRng(3);
    const mk = (n: number) => Float32Array.from({ length: n }, () => rng.normal(0, 0.5));
    const t = { dim: d, userFactors: mk(2 * d), itemFactors: mk(3 * d), userBias: mk(2), itemBias: mk(3) };
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
    svdEpoch(t, Int32Array.of(u), Int32Array.of(i), Float32Array.of(r), Int32Array.of(0), { lr, reg, lrBias: lr, regBias, mean });
    for (const g of grads) expect((t[g.arr][g.j] - g.before) / lr).toBeCloseTo(-g.grad, 2);
  });

  it('learns planted factors: validation RMSE well below the bias-free mean predictor, deterministic for a seed', async () => {
    const { dataset } = generateSynthetic({ users: 200, items: 150, ratings: 12000, factors: 4, seed: 5, noise: 0.2 });
    const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 1 });
    const data = { train, nUsers: 200, nItems: 150 };
    const a = await fitRecommender('svd', data, { factors: 16, epochs: 30, lr: 0.01, seed: 9 });
    const b = await fitRecommender('svd', data, { factors: 16, epochs: 30, lr: 0.01, seed: 9 });
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
});
