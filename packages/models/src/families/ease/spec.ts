import { weightedHistory } from '@collab-ts/core';
import type { FamilySpec } from '../../registry/family.js';
import { popularityScores } from '../popularity/counts.js';
import { savedTensor } from '../saved-tensor.js';
import { summedInteractions } from '../summed-interactions.js';
import { EaseRecommender } from './recommender.js';
import type { EaseConfig } from './recommender.js';
import { easeWeights } from './weights.js';

/** A byte count for people (MB/GB, decimal). */
function bytes(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`;
}

/** The `maxItems` items with the most interactions (ties to the lower index), ascending. */
function mostInteracted(popularity: Float32Array, maxItems: number): Int32Array {
  const order = Int32Array.from(popularity.keys()).sort((a, b) => popularity[b] - popularity[a] || a - b);
  return order.slice(0, maxItems).sort();
}

/**
 * The `ease` family: Steck's EASE, a closed-form item-item linear model. With `X` the users x items
 * strengths, `G = X'X + lambda I` and `P = G^-1` (Cholesky, double precision), the weights are
 * `B = I - P diag(1 / diag P)` (zero diagonal) and a user's scores are `x_u B`. Scoring needs only the
 * history, so `foldIn` scores a new user without retraining; an empty history gets the popularity ranking.
 *
 * `B` is dense: `4 m^2` bytes for `m` items, and fitting takes `12 m^2` bytes and about `m^3` flops. A
 * catalogue larger than `maxItems` is cut to its `maxItems` most-interacted items (`ctx.log` says how many
 * and how much memory); the other items score below every kept item, in popularity order, and have no
 * similar items.
 *
 * @example
 * const rec = await fitRecommender('ease', { train, nUsers, nItems }, { lambda: 200 });
 * rec.recommend(0, { k: 10 });
 * rec.recommendNew([3, 17, 42], undefined, { k: 10 }); // a new user, no retraining
 */
export const EASE_FAMILY: FamilySpec = {
  kind: 'ease',
  summary: 'EASE: closed-form item-item linear model (Steck 2019), scored from the user history',
  peerName: 'EASE^R (Steck 2019)',
  tasks: ['ranking'],
  method: 'closed-form',
  options: [
    {
      name: 'recencyHalfLife',
      type: 'number',
      min: 0,
      default: 10,
      help: "weight of a user's history items when scoring: 0.5^(later interactions / half-life), from the timestamps (0: all equal; no effect without timestamps)",
    },
    { name: 'lambda', type: 'number', min: 0, default: 200, help: 'L2 regularisation of the item-item weights (added to the diagonal of X\'X)' },
    {
      name: 'maxItems',
      type: 'int',
      min: 1,
      default: 10000,
      help: 'largest catalogue kept (the most-interacted items): B takes 4 x maxItems^2 bytes and the fit about maxItems^3 flops',
    },
  ],
  backends: ['fused'],
  async fit(data, options, ctx) {
    const config: EaseConfig = { nUsers: data.nUsers, nItems: data.nItems, lambda: options.lambda as number, maxItems: options.maxItems as number };
    const popularity = popularityScores(data.train, data.nItems);
    const kept = data.nItems > config.maxItems ? mostInteracted(popularity, config.maxItems) : Int32Array.from(popularity.keys());
    const m = kept.length;
    const size = `B takes ${bytes(4 * m * m)} (${bytes(12 * m * m)} while fitting)`;
    if (m < data.nItems) {
      ctx.log?.(`ease: keeping the ${m} most-interacted of ${data.nItems} items (maxItems ${config.maxItems}); the others rank below them by popularity; ${size}`);
    } else {
      ctx.log?.(`ease: ${m} items, ${size}`);
    }
    const keptPos = new Int32Array(data.nItems).fill(-1);
    kept.forEach((item, p) => (keptPos[item] = p));
    const weights = easeWeights(summedInteractions(data.train, data.nUsers, data.nItems), keptPos, m, config.lambda);
    const rec = new EaseRecommender(config, weights, kept, popularity);
    rec.history = weightedHistory(data.train, data.nUsers, data.nItems, options.recencyHalfLife as number);
    return rec;
  },
  async load(state) {
    const c = state.config as unknown as EaseConfig;
    if (!Number.isInteger(c.nUsers) || !Number.isInteger(c.nItems)) throw new Error('ease config needs integer nUsers and nItems');
    const t = state.tensors;
    const kept = t.keptItems;
    if (!kept || kept.shape.length !== 1) throw new Error('tensor keptItems is missing or not one-dimensional');
    const m = kept.shape[0];
    const keptItems = savedTensor(t, 'keptItems', Int32Array, [m]);
    for (let p = 0; p < m; p++) {
      if (!(keptItems[p] >= 0 && keptItems[p] < c.nItems) || (p > 0 && keptItems[p] <= keptItems[p - 1])) throw new Error('tensor keptItems must hold ascending item indices');
    }
    const weights = savedTensor(t, 'weights', Float32Array, [m, m]);
    const popularity = savedTensor(t, 'popularity', Float32Array, [c.nItems]);
    for (const name of Object.keys(t)) if (!['weights', 'keptItems', 'popularity'].includes(name)) throw new Error(`unexpected tensor ${name} for an ease model`);
    return new EaseRecommender({ ...c }, weights, keptItems, popularity);
  },
};
