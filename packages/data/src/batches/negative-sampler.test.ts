import { describe, expect, it } from 'vitest';
import { generateSynthetic } from '../synthetic/generate.js';
import { BatchLoader } from './batch-loader.js';
import { negativeSampler } from './negative-sampler.js';

const { dataset } = generateSynthetic({ users: 30, items: 60, ratings: 400, seed: 8 });

describe('negativeSampler (the core NegativeSampler over a dataset)', () => {
  it('pairs every positive of a batch with an item its user has not rated, reproducibly', () => {
    const loader = new BatchLoader(dataset, { bs: 64, seed: 1 });
    const rated = new Set(Array.from(dataset.ratings.users, (u, k) => `${u}:${dataset.ratings.items[k]}`));
    const run = (): number[] => {
      const sampler = negativeSampler(dataset, { distribution: 'popularity', seed: 3 });
      const negatives = new Int32Array(64);
      const all: number[] = [];
      for (const batch of loader.epoch(0)) {
        sampler.fill(batch.users, negatives);
        for (let k = 0; k < batch.users.length; k++) {
          expect(rated.has(`${batch.users[k]}:${negatives[k]}`)).toBe(false);
          all.push(negatives[k]);
        }
      }
      return all;
    };
    const first = run();
    expect(first.length).toBe(400);
    expect(run()).toEqual(first);
  });

  it('takes its sizes from the vocabularies or from the columns', () => {
    expect(negativeSampler(dataset).nItems).toBe(dataset.items.size);
    expect(negativeSampler(dataset.ratings, { nItems: 70 }).nItems).toBe(70);
    expect(() => negativeSampler(dataset.ratings, { nItems: 3 })).toThrow(/out of range|outside/);
  });
});
