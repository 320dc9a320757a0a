import { userItemMatrix } from '@collab-ts/core';
import type { FamilySpec } from '../../registry/family.js';
import { savedTensor } from '../saved-tensor.js';
import { popularityScores } from './counts.js';
import { PopularityRecommender } from './recommender.js';
import type { PopularityConfig } from './recommender.js';

/**
 * The `popularity` family: every user gets the items with the most training interactions (or the largest
 * sum of strengths with `sumStrengths`), their own items filtered out; ties go to the lower item index.
 * It is the baseline every ranking family must beat, and the fallback for a user with no history: a new
 * user's `recommendNew` with no items is the popularity list, and the history-based families (item-knn,
 * ease) score an empty history by the same counts.
 *
 * @example
 * const rec = await fitRecommender('popularity', { train, nUsers, nItems });
 * rec.recommend(0, { k: 10 }); // the 10 most popular items user 0 has not interacted with
 * rec.recommendNew([], undefined, { k: 10 }); // the 10 most popular items
 */
export const POPULARITY_FAMILY: FamilySpec = {
  kind: 'popularity',
  summary: 'most-interacted items first, the same list for everyone (the ranking baseline and the cold-start fallback)',
  tasks: ['ranking'],
  method: 'counting',
  options: [{ name: 'sumStrengths', type: 'boolean', default: false, help: 'score an item by the sum of its interaction strengths instead of the number of interactions' }],
  backends: ['fused'],
  async fit(data, options) {
    const config: PopularityConfig = { nUsers: data.nUsers, nItems: data.nItems, sumStrengths: options.sumStrengths as boolean };
    const rec = new PopularityRecommender(config, popularityScores(data.train, data.nItems, config.sumStrengths));
    rec.history = userItemMatrix(data.train, data.nUsers, data.nItems);
    return rec;
  },
  async load(state) {
    const c = state.config as unknown as PopularityConfig;
    if (!Number.isInteger(c.nUsers) || !Number.isInteger(c.nItems)) throw new Error('popularity config needs integer nUsers and nItems');
    const popularity = savedTensor(state.tensors, 'popularity', Float32Array, [c.nItems]);
    for (const name of Object.keys(state.tensors)) if (name !== 'popularity') throw new Error(`unexpected tensor ${name} for a popularity model`);
    return new PopularityRecommender({ nUsers: c.nUsers, nItems: c.nItems, sumStrengths: Boolean(c.sumStrengths) }, popularity);
  },
};
