import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng, type RatingColumns } from '@collab-ts/core';
import { testDataset } from '@collab-ts/tooling/test/data';
import { biasBaseline, evaluateRatings, globalMeanBaseline, popularityRanker, rankingMetrics } from './index.js';
import { factorScorer, randomTables } from './test-helpers.js';

const ml100k = testDataset('ml-100k', { files: ['u1.base', 'u1.test'], what: 'the MovieLens 100k u1 evaluation tests' });
const present = ml100k.present;
const ml = ml100k.dir;

/** u.data-style lines: user, item, rating, timestamp; ids are 1-based. */
function readU(file: string): RatingColumns {
  const lines = readFileSync(file, 'latin1').split('\n').filter((l) => l.trim() !== '');
  const parts = lines.map((l) => l.split('\t').map(Number));
  return {
    users: Int32Array.from(parts, (p) => p[0] - 1),
    items: Int32Array.from(parts, (p) => p[1] - 1),
    ratings: Float32Array.from(parts, (p) => p[2]),
    timestamps: Float64Array.from(parts, (p) => p[3]),
  };
}

describe.skipIf(!present)('MovieLens 100k u1 split', () => {
  const train = present ? readU(join(ml, 'u1.base')) : null!;
  const test = present ? readU(join(ml, 'u1.test')) : null!;
  const shape = { nUsers: 943, nItems: 1682 };

  it('bias baseline beats the global mean, with Surprise-like RMSE', () => {
    const bias = evaluateRatings(biasBaseline(train, shape), test);
    const mean = evaluateRatings(globalMeanBaseline(train, shape), test);
    expect(bias.n).toBe(20000);
    expect(bias.rmse).toBeGreaterThan(0.93);
    expect(bias.rmse).toBeLessThan(0.98);
    expect(bias.rmse).toBeLessThan(mean.rmse - 0.1);
  });

  it('popularity is a strong top-k baseline; a random factor model is near chance', () => {
    const pop = rankingMetrics(popularityRanker(train, shape), { train, test, k: 10 });
    const rng = createRng(5);
    const rand = rankingMetrics(factorScorer(randomTables(rng, 943, 1682, 16), 943, 1682), { train, test, k: 10 });
    expect(pop.users).toBe(rand.users);
    expect(pop['precision@10']).toBeGreaterThan(0.15);
    expect(rand['precision@10']).toBeLessThan(0.05);
  });
});
