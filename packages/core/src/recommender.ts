import type { CsrMatrix } from './csr.js';
import type { NamedTensor } from './safetensors.js';
import type { FactorTables, Scorer } from './scoring.js';

/** What a model family is meant for: predicting ratings (RMSE) or ranking items (NDCG, hit rate). */
export type RecommenderTask = 'rating' | 'ranking';

/** An item index and its score. */
export interface ScoredItem {
  readonly item: number;
  readonly score: number;
}

/** Options of {@link Recommender.recommend}. */
export interface RecommendQuery {
  /** How many items (default 10). */
  k?: number;
  /** Items never to recommend, besides the user's own history. */
  exclude?: ArrayLike<number>;
  /** Recommend items the user already interacted with (default false: they are filtered out). */
  includeSeen?: boolean;
}

/**
 * What a model saves: a JSON-able configuration and named tensors. With the family's `load`, the two rebuild
 * a recommender that gives identical scores.
 */
export interface RecommenderState {
  readonly config: Record<string, unknown>;
  readonly tensors: Record<string, NamedTensor>;
}

/**
 * The contract every model family implements, gradient-trained or not: the scoring, ranking, similarity,
 * fold-in and persistence operations that the CLI, `serve`, the evaluation package and the docs use.
 *
 * Indices are the contiguous user and item indices of the vocabularies the model was trained with.
 * Scores from {@link scoreUsers} rank items; they may be on a different, monotone scale from
 * {@link predict} (a `yRange` sigmoid is skipped), and for ranking families they are not ratings at all.
 *
 * @example
 * const rec = await fitRecommender('ials', { train, nUsers, nItems }, { factors: 64 });
 * rec.recommend(17, { k: 10 }); // [{ item, score }, ...], items user 17 interacted with filtered out
 */
export interface Recommender extends Scorer {
  /** The family's registered kind (`ials`, `dot-bias`, ...). */
  readonly kind: string;
  readonly nUsers: number;
  readonly nItems: number;
  /**
   * Each user's training interactions (users x items), for seen-item filtering and history-based scoring;
   * saved with the model so serving needs no data file. `null` when the model was built without it.
   */
  history: CsrMatrix | null;
  /** Scores for (user, item) pairs. @throws IndexRangeError for an index outside the tables. */
  predict(users: Int32Array, items: Int32Array): Float32Array;
  /**
   * The fast path for ranking: scores of `users[from .. from + count)` against every item, written row-major
   * into `out` (`count * nItems` values; row `b` is user `users[from + b]`).
   */
  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void;
  /** The factor tables when scores are (biased) dot products of them, else `null`. */
  factors(): FactorTables | null;
  /** The top items for a known user, best first, the user's history filtered out (unless `includeSeen`). */
  recommend(user: number, query?: RecommendQuery): ScoredItem[];
  /** The `k` items most similar to `item` under the family's own notion of similarity, best first. */
  similarItems(item: number, k: number): ScoredItem[];
  /** Whether {@link foldIn} works for this family. */
  readonly canFoldIn: boolean;
  /**
   * Scores of every item for a user the model has not seen, from their interactions (items and optional
   * values: ratings or confidences), without retraining. @throws UsageError when the family cannot.
   */
  foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array;
  /** The top items for a new user from their interactions, best first, those items filtered out. */
  recommendNew(items: ArrayLike<number>, values?: ArrayLike<number>, query?: RecommendQuery): ScoredItem[];
  /** The configuration and tensors to save. */
  state(): RecommenderState;
  /** Releases engine resources (tfjs memory). */
  dispose(): void;
}
