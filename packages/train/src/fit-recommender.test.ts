import { describe, expect, it } from 'vitest';
import { generateSynthetic, randomSplit } from '@collab-ts/data';
import { createModel } from '@collab-ts/models';
import { evaluateRatings } from '@collab-ts/eval';
import { Learner } from './learner.js';
import { trainRecommender } from './fit-recommender.js';

describe('trainRecommender', () => {
  it('fits a gradient family exactly as a Learner with the same recipe does', async () => {
    const { dataset } = generateSynthetic({ users: 80, items: 90, ratings: 3000, factors: 4, seed: 2 });
    const { train, valid } = randomSplit(dataset.ratings, { validPct: 0.2, seed: 1 });
    const data = { train, valid, nUsers: 80, nItems: 90, ratingRange: dataset.ratingRange };
    const rec = await trainRecommender('dot-bias', data, { epochs: 2, factors: 8, seed: 3 });
    const model = await createModel('dot-bias', { nUsers: 80, nItems: 90, factors: 8, seed: 3, yRange: [0, 5.5] });
    await new Learner({ model, train, valid, bs: 64, seed: 3 }).fitOneCycle(2, 5e-3, { wd: 0.1 });
    expect(evaluateRatings(rec, valid).mse).toBe(evaluateRatings(model, valid).mse);
    expect(rec.history?.indices.length).toBe(train.ratings.length);
  });
});
