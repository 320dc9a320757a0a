import { CollabError, UsageError, checkIndex, cosineToRow, scanFactorTopK, selectTopK } from '@collab-ts/core';
import type { CsrMatrix, FactorTables, Recommender, RecommenderState, RecommendQuery, ScoredItem } from '@collab-ts/core';

const EMPTY = new Int32Array(0);

/**
 * What every family shares: recommendations with seen-item filtering, new-user recommendations through
 * `foldIn`, and cosine similarity of item factors when the family has them. A family implements the
 * scoring (`predict`, `scoreUsers`), optionally `foldIn` and `similarItems`, and `state`.
 */
export abstract class RecommenderBase implements Recommender {
  abstract readonly kind: string;
  abstract readonly nUsers: number;
  abstract readonly nItems: number;
  history: CsrMatrix | null = null;

  abstract predict(users: Int32Array, items: Int32Array): Float32Array;
  abstract scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void;
  abstract state(): RecommenderState;

  factors(): FactorTables | null {
    return null;
  }

  get canFoldIn(): boolean {
    return false;
  }

  foldIn(_items: ArrayLike<number>, _values?: ArrayLike<number>): Float32Array {
    throw new UsageError(`${this.kind} cannot score a new user without retraining`);
  }

  /** Maps a ranking score to the score reported to people (a rating model puts it back on the rating scale). */
  protected reportScore(score: number): number {
    return score;
  }

  /** The history items of user `u` (empty when no history is kept). */
  protected seen(u: number): Int32Array {
    const h = this.history;
    if (!h || u >= h.nRows) return EMPTY;
    return h.indices.subarray(h.offsets[u], h.offsets[u + 1]);
  }

  recommend(user: number, query: RecommendQuery = {}): ScoredItem[] {
    checkIndex(user, this.nUsers, `${this.kind} recommend`, 'user');
    const f = this.factors();
    if (f) return this.scanItems(f, user, query);
    const scores = new Float32Array(this.nItems);
    this.scoreUsers([user], 0, 1, scores);
    return this.topItems(scores, query, query.includeSeen ? EMPTY : this.seen(user));
  }

  recommendNew(items: ArrayLike<number>, values?: ArrayLike<number>, query: RecommendQuery = {}): ScoredItem[] {
    const scores = this.foldIn(items, values);
    return this.topItems(scores, query, query.includeSeen ? EMPTY : items);
  }

  similarItems(item: number, k: number): ScoredItem[] {
    const f = this.factors();
    if (!f) throw new UsageError(`${this.kind} has no notion of item similarity`);
    return cosineNeighbours(f.itemFactors, f.dim, this.nItems, item, k, this.kind);
  }

  /**
   * `recommend` for a factor model: core's exact blocked scan of the item table, the same items and scores as
   * scoring every item then {@link topItems}, without a score per item (what a million-item model needs).
   */
  private scanItems(f: FactorTables, user: number, query: RecommendQuery): ScoredItem[] {
    const k = query.k ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got ${String(k)}`);
    const ex = query.exclude ?? EMPTY;
    for (let j = 0; j < ex.length; j++) checkIndex(ex[j], this.nItems, `${this.kind} recommend exclude`);
    const seen = query.includeSeen ? EMPTY : this.seen(user);
    const hidden = ex.length === 0 ? seen : seen.length === 0 ? ex : [...Array.from(seen), ...Array.from(ex)];
    const [top] = scanFactorTopK(f, [user], k, { exclude: () => hidden });
    if (top.nanItem >= 0) throw new CollabError(`${this.kind} produced a non-finite score (NaN) for item index ${top.nanItem}: the model is damaged or diverged`);
    const out = Array.from(top.items, (item, j) => ({ item, score: this.reportScore(top.scores[j]) }));
    const bad = out.find((s) => !Number.isFinite(s.score));
    if (bad) throw new CollabError(`${this.kind} produced a non-finite score (${bad.score}) for item index ${bad.item}: the model is damaged or diverged`);
    return out;
  }

  /** The best `query.k` items of `scores`, skipping `seen` and `query.exclude`; ties by lower index. */
  protected topItems(scores: ArrayLike<number>, query: RecommendQuery, seen: ArrayLike<number>): ScoredItem[] {
    const k = query.k ?? 10;
    if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got ${String(k)}`);
    const mask = new Uint8Array(this.nItems);
    for (let j = 0; j < seen.length; j++) mask[seen[j]] = 1;
    const ex = query.exclude ?? EMPTY;
    for (let j = 0; j < ex.length; j++) {
      checkIndex(ex[j], this.nItems, `${this.kind} recommend exclude`);
      mask[ex[j]] = 1;
    }
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] !== scores[i]) throw new CollabError(`${this.kind} produced a non-finite score (NaN) for item index ${i}: the model is damaged or diverged`);
    }
    const top = topOfScores(scores, k, mask).map((s) => ({ item: s.item, score: this.reportScore(s.score) }));
    // a NaN or infinite score is a damaged or diverged model: an error, never a silent null in JSON output
    const bad = top.find((s) => !Number.isFinite(s.score));
    if (bad) throw new CollabError(`${this.kind} produced a non-finite score (${bad.score}) for item index ${bad.item}: the model is damaged or diverged`);
    return top;
  }

  dispose(): void {}
}

/** The top `k` entries of `scores` not masked, best first, ties by lower index. */
export function topOfScores(scores: ArrayLike<number>, k: number, mask: Uint8Array | null): ScoredItem[] {
  const top = selectTopK(scores, k, mask);
  return Array.from(top.indices, (item, j) => ({ item, score: top.scores[j] }));
}

/** The `k` items whose rows of `v` (n x d) have the highest cosine with row `item`, itself excluded. */
export function cosineNeighbours(v: Float32Array, d: number, n: number, item: number, k: number, what: string): ScoredItem[] {
  checkIndex(item, n, `${what} similar items`);
  const scores = cosineToRow(v, d, n, item);
  const mask = new Uint8Array(n);
  mask[item] = 1;
  return topOfScores(scores, k, mask);
}
