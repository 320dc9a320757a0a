import { UsageError, weightedHistory } from '@collab-ts/core';
import type { FamilySpec } from '../../registry/family.js';
import { popularityScores } from '../popularity/counts.js';
import { savedTensor } from '../saved-tensor.js';
import { summedInteractions } from '../summed-interactions.js';
import { ItemKnnRecommender } from './recommender.js';
import type { ItemKnnConfig } from './recommender.js';
import { itemNeighbours, weightedItemUsers } from './similarity.js';
import type { KnnWeighting } from './similarity.js';

/**
 * The `item-knn` family: item-item nearest neighbours on co-occurrence, as implicit's `CosineRecommender`
 * (`weighting: 'none'`), `TFIDFRecommender` and `BM25Recommender`. Each item keeps its `k` most similar
 * items (a sparse neighbour table); a user's scores sum the neighbour lists of their history items weighted
 * by strength, so a new user is scored from their items without retraining (`foldIn`), and a user with no
 * usable history gets the popularity ranking. Unlike implicit, an item is not its own neighbour.
 *
 * @example
 * const rec = await fitRecommender('item-knn', { train, nUsers, nItems }, { k: 100, weighting: 'bm25' });
 * rec.recommend(0, { k: 10 });
 * rec.similarItems(42, 5); // item 42's five nearest neighbours
 * rec.recommendNew([3, 17, 42]); // a new user who liked items 3, 17 and 42
 */
export const ITEM_KNN_FAMILY: FamilySpec = {
  kind: 'item-knn',
  summary: 'item-item nearest neighbours (cosine, TF-IDF or BM25 weighted co-occurrence), scored from the user history',
  peerName: 'implicit CosineRecommender / TFIDFRecommender / BM25Recommender',
  tasks: ['ranking'],
  method: 'counting',
  options: [
    {
      name: 'recencyHalfLife',
      type: 'number',
      min: 0,
      default: 10,
      help: "weight of a user's history items when scoring: 0.5^(later interactions / half-life), from the timestamps (0: all equal; no effect without timestamps)",
    },
    { name: 'k', type: 'int', min: 1, default: 10, help: 'neighbours kept per item' },
    { name: 'weighting', type: 'string', choices: ['none', 'bm25', 'tfidf'], default: 'tfidf', help: 'weighting of the item vectors: none (cosine), bm25 or tfidf' },
    { name: 'bm25K1', type: 'number', min: 0, default: 1.2, help: 'BM25 K1: how fast the weight of a strength saturates' },
    { name: 'bm25B', type: 'number', min: 0, max: 1, default: 0.75, help: 'BM25 B: how much an item\'s total strength normalises its weights' },
    { name: 'shrink', type: 'number', min: 0, default: 0, help: 'shrinkage: a similarity is multiplied by c / (c + shrink), c the number of users the two items share' },
  ],
  backends: ['fused'],
  async fit(data, options) {
    const config: ItemKnnConfig = {
      nUsers: data.nUsers,
      nItems: data.nItems,
      k: options.k as number,
      weighting: options.weighting as KnnWeighting,
      bm25K1: options.bm25K1 as number,
      bm25B: options.bm25B as number,
      shrink: options.shrink as number,
    };
    const x = summedInteractions(data.train, data.nUsers, data.nItems);
    if (config.weighting !== 'none') {
      for (const v of x.values) {
        if (!(v >= 0)) throw new UsageError(`item-knn: ${config.weighting} weighting needs non-negative interaction strengths, got ${v}`);
      }
    }
    const neighbours = itemNeighbours(weightedItemUsers(x, config.weighting, config.bm25K1, config.bm25B), config.k, config.shrink);
    const rec = new ItemKnnRecommender(config, neighbours, popularityScores(data.train, data.nItems));
    rec.history = weightedHistory(data.train, data.nUsers, data.nItems, options.recencyHalfLife as number);
    return rec;
  },
  async load(state) {
    const c = state.config as unknown as ItemKnnConfig;
    if (!Number.isInteger(c.nUsers) || !Number.isInteger(c.nItems)) throw new Error('item-knn config needs integer nUsers and nItems');
    const t = state.tensors;
    const offsets = savedTensor(t, 'neighbourOffsets', Int32Array, [c.nItems + 1]);
    const nnz = offsets[c.nItems];
    const items = savedTensor(t, 'neighbourItems', Int32Array, [nnz]);
    const scores = savedTensor(t, 'neighbourScores', Float32Array, [nnz]);
    const popularity = savedTensor(t, 'popularity', Float32Array, [c.nItems]);
    for (let i = 0; i < c.nItems; i++) if (offsets[i + 1] < offsets[i]) throw new Error('tensor neighbourOffsets is not non-decreasing');
    for (const j of items) if (!(j >= 0 && j < c.nItems)) throw new Error(`tensor neighbourItems holds item ${j} outside 0..${c.nItems - 1}`);
    for (const name of Object.keys(t)) if (!['neighbourOffsets', 'neighbourItems', 'neighbourScores', 'popularity'].includes(name)) throw new Error(`unexpected tensor ${name} for an item-knn model`);
    return new ItemKnnRecommender({ ...c }, { offsets, items, scores }, popularity);
  },
};
