import { describe, expect, it } from 'vitest';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { fitRecommender } from '../../registry/fit.js';

function rmse(p: Float32Array, r: Float32Array): number {
  let s = 0;
  for (let j = 0; j < p.length; j++) s += (p[j] - r[j]) ** 2;
  return Math.sqrt(s / p.length);
}

describe('svd on worker threads', () => {
  const { dataset } = generateSynthetic({ users: 300, items: 200, ratings: 20000, factors: 4, seed: 11, noise: 0.2 });
  const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 2 });
  const data = { train, nUsers: 300, nItems: 200 };

  it('one thread gives the same digits for a seed; two threads reach the same quality band', async () => {
    const opts = { factors: 16, epochs: 15, seed: 4 };
    const a = await fitRecommender('svd', data, { ...opts, threads: 1 });
    const b = await fitRecommender('svd', data, { ...opts, threads: 1 });
    const pa = a.predict(valid.users, valid.items);
    expect(Array.from(pa)).toEqual(Array.from(b.predict(valid.users, valid.items)));
    const epochs: number[] = [];
    const c = await fitRecommender('svd', data, { ...opts, threads: 2 }, { epoch: (e) => epochs.push(e.epoch) });
    expect(epochs).toEqual(Array.from({ length: 15 }, (_, k) => k + 1));
    expect((c.state().config as { options: { threads: number } }).options.threads).toBe(2);
    const one = rmse(pa, valid.ratings);
    const two = rmse(c.predict(valid.users, valid.items), valid.ratings);
    expect(one).toBeLessThan(0.5);
    expect(Math.abs(two - one)).toBeLessThan(0.02);
  });
});
