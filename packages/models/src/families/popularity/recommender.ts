import { UsageError, checkIndex, checkIndexRange } from '@collab-ts/core';
import type { RecommenderState } from '@collab-ts/core';
import { RecommenderBase } from '../../registry/recommender-base.js';

/** The configuration a popularity model saves. */
export interface PopularityConfig {
  readonly nUsers: number;
  readonly nItems: number;
  readonly sumStrengths: boolean;
}

/**
 * Ranks items by their popularity in the training data, the same list for every user (minus each user's
 * own items). Ties go to the lower item index.
 */
export class PopularityRecommender extends RecommenderBase {
  readonly kind = 'popularity';
  readonly nUsers: number;
  readonly nItems: number;
  readonly config: PopularityConfig;
  /** The score of each item: its interaction count (or strength sum). */
  readonly popularity: Float32Array;

  constructor(config: PopularityConfig, popularity: Float32Array) {
    super();
    this.config = config;
    this.nUsers = config.nUsers;
    this.nItems = config.nItems;
    this.popularity = popularity;
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, 'popularity predict');
    const out = new Float32Array(items.length);
    for (let b = 0; b < items.length; b++) out[b] = this.popularity[items[b]];
    return out;
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    for (let b = 0; b < count; b++) {
      checkIndex(users[from + b], this.nUsers, 'popularity scoreUsers', 'user');
      out.set(this.popularity, b * this.nItems);
    }
  }

  override get canFoldIn(): boolean {
    return true;
  }

  /** The popularity vector: a new user gets the popular items (their own filtered out by `recommendNew`). */
  override foldIn(items: ArrayLike<number>, _values?: ArrayLike<number>): Float32Array {
    for (let j = 0; j < items.length; j++) checkIndex(items[j], this.nItems, 'popularity foldIn');
    return this.popularity.slice();
  }

  override similarItems(_item: number, _k: number): never {
    throw new UsageError('popularity has no notion of item similarity: it ranks items the same way for everyone (try item-knn or ease)');
  }

  state(): RecommenderState {
    return { config: { ...this.config }, tensors: { popularity: { shape: [this.nItems], data: this.popularity } } };
  }
}
