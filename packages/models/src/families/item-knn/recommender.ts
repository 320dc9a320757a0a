import { checkIndex } from '@collab-ts/core';
import type { RecommenderState, ScoredItem } from '@collab-ts/core';
import { HistoryRecommender } from '../history-recommender.js';
import type { ItemNeighbours, KnnWeighting } from './similarity.js';

/** The configuration an item-KNN model saves. */
export interface ItemKnnConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly k: number;
  readonly weighting: KnnWeighting;
  readonly bm25K1: number;
  readonly bm25B: number;
  readonly shrink: number;
}

/**
 * Item-item nearest neighbours: a user's score for item j is the sum, over the items i of their history,
 * of the strength of i times the similarity of j to i when j is among i's `k` neighbours.
 */
export class ItemKnnRecommender extends HistoryRecommender {
  readonly kind = 'item-knn';
  readonly nUsers: number;
  readonly nItems: number;
  readonly config: ItemKnnConfig;
  readonly neighbours: ItemNeighbours;
  protected readonly popularity: Float32Array;

  constructor(config: ItemKnnConfig, neighbours: ItemNeighbours, popularity: Float32Array) {
    super();
    this.config = config;
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    this.neighbours = neighbours;
    this.popularity = popularity;
  }

  protected scoreHistory(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): boolean {
    const { offsets, items: nb, scores } = this.neighbours;
    out.fill(0);
    let used = false;
    // each history item adds its neighbour list, weighted by its strength, into the row
    for (let h = 0; h < items.length; h++) {
      const i = items[h];
      const x = values[h];
      const end = offsets[i + 1];
      if (offsets[i] < end) used = true;
      for (let p = offsets[i]; p < end; p++) out[nb[p]] += x * scores[p];
    }
    return used;
  }

  /** The item's stored neighbours, best first (fewer than `k` when it has fewer with a positive similarity). */
  override similarItems(item: number, k: number): ScoredItem[] {
    checkIndex(item, this.nItems, 'item-knn similar items');
    const { offsets, items, scores } = this.neighbours;
    const end = Math.min(offsets[item + 1], offsets[item] + Math.max(0, k));
    const out: ScoredItem[] = [];
    for (let p = offsets[item]; p < end; p++) out.push({ item: items[p], score: scores[p] });
    return out;
  }

  state(): RecommenderState {
    const { offsets, items, scores } = this.neighbours;
    return {
      config: { ...this.config },
      tensors: {
        neighbourOffsets: { shape: [offsets.length], data: offsets },
        neighbourItems: { shape: [items.length], data: items },
        neighbourScores: { shape: [scores.length], data: scores },
        popularity: { shape: [this.nItems], data: this.popularity },
      },
    };
  }
}
