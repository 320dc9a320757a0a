import { afterAll, describe, expect, it } from 'vitest';
import { makeTmp } from '../test-helpers.js';
import { generateSynthetic } from './generate.js';
import { writeRatingsCsv } from '../node/write-csv.js';
import { loadRatings } from '../node/load-ratings.js';
import { AliasTable } from './alias-table.js';
import { createRng } from '@collab-ts/core';

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

describe('generateSynthetic', () => {
  const opts = { users: 300, items: 400, ratings: 20_000, seed: 11, step: 0.5, popularity: 1.1, clusters: 4 };

  it('is deterministic by seed', () => {
    const a = generateSynthetic(opts);
    const b = generateSynthetic(opts);
    expect(Array.from(a.dataset.ratings.ratings)).toEqual(Array.from(b.dataset.ratings.ratings));
    expect(Array.from(a.dataset.ratings.items)).toEqual(Array.from(b.dataset.ratings.items));
    expect(Array.from(a.planted.itemFactors)).toEqual(Array.from(b.planted.itemFactors));
    const c = generateSynthetic({ ...opts, seed: 12 });
    expect(Array.from(c.dataset.ratings.items)).not.toEqual(Array.from(a.dataset.ratings.items));
  });

  it('respects the rating scale and step, and makes distinct user/item pairs', () => {
    const { dataset } = generateSynthetic(opts);
    const r = dataset.ratings;
    expect(r.ratings.length).toBe(20_000);
    for (const v of r.ratings) {
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(5);
      expect(Number.isInteger(v * 2)).toBe(true);
    }
    const pairs = new Set(Array.from(r.users, (u, i) => u * 1000 + r.items[i]));
    expect(pairs.size).toBe(20_000);
    expect(dataset.ratingRange[0]).toBeGreaterThanOrEqual(1);
    expect(dataset.items.hasTitles).toBe(true);
  });

  it('has a long-tail item popularity', () => {
    const { dataset } = generateSynthetic({ users: 2000, items: 1000, ratings: 40_000, seed: 2, popularity: 1 });
    const count = new Array(1000).fill(0);
    for (const i of dataset.ratings.items) count[i]++;
    count.sort((a, b) => b - a);
    const top10 = count.slice(0, 100).reduce((s, c) => s + c, 0);
    expect(top10 / 40_000).toBeGreaterThan(0.4); // the top 10% of items get well over 10% of ratings
    expect(count[999]).toBeLessThan(count[0] / 20);
    const flat = generateSynthetic({ users: 2000, items: 1000, ratings: 40_000, seed: 2, popularity: 0 });
    const fc = new Array(1000).fill(0);
    for (const i of flat.dataset.ratings.items) fc[i]++;
    expect(Math.max(...fc)).toBeLessThan(80);
  });

  it('plants the model it says it does (noise-free ratings follow the formula)', () => {
    const { dataset, planted } = generateSynthetic({ users: 20, items: 30, ratings: 200, seed: 4, noise: 0, factors: 3, scale: [0, 100], step: 0.001 });
    const r = dataset.ratings;
    for (let k = 0; k < 20; k++) {
      const u = r.users[k];
      const i = r.items[k];
      let x = planted.globalMean + planted.userBias[u] + planted.itemBias[i];
      for (let d = 0; d < 3; d++) x += planted.userFactors[u * 3 + d] * planted.itemFactors[i * 3 + d];
      expect(r.ratings[k]).toBeCloseTo(x, 2);
    }
  });

  it('rejects impossible requests', () => {
    expect(() => generateSynthetic({ users: 2, items: 2, ratings: 5 })).toThrow(/distinct/);
  });
});

describe('AliasTable', () => {
  it('samples in proportion to the weights', () => {
    const t = new AliasTable([1, 2, 7]);
    const rng = createRng(1);
    const c = [0, 0, 0];
    for (let k = 0; k < 100_000; k++) c[t.sample(rng)]++;
    expect(c[0] / 1e5).toBeCloseTo(0.1, 1);
    expect(c[2] / 1e5).toBeCloseTo(0.7, 1);
  });
});

describe('writeRatingsCsv', () => {
  it('writes a ratings.csv that reads back to the same data', () => {
    const { dataset } = generateSynthetic({ users: 100, items: 80, ratings: 3000, seed: 9, step: 0.5 });
    const path = `${tmp.dir}/syn.csv`;
    writeRatingsCsv(dataset.ratings, dataset, path);
    const back = loadRatings(path).dataset;
    expect(back.ratings.ratings.length).toBe(3000);
    for (let k = 0; k < 3000; k += 97) {
      expect(back.users.decode(back.ratings.users[k])).toBe(dataset.users.decode(dataset.ratings.users[k]));
      expect(back.items.decode(back.ratings.items[k])).toBe(dataset.items.decode(dataset.ratings.items[k]));
      expect(back.ratings.ratings[k]).toBe(dataset.ratings.ratings[k]);
      expect(back.ratings.timestamps![k]).toBe(dataset.ratings.timestamps![k]);
    }
  });
});
