import { UsageError, checkIndex, checkIndexRange } from '@collab-ts/core';
import { RecommenderBase } from '../registry/recommender-base.js';

/**
 * The base of the families that score a user from their interaction history alone (item-KNN, EASE): the
 * scores of a known user and of a new user (fold-in) come from the same function of the history, so
 * `foldIn` needs no retraining and gives exactly the trained user's scores for the same history.
 *
 * A history that gives the model nothing to go on (no items, or none the model kept) falls back to
 * item popularity: the counts of the training interactions, the `popularity` family's scores.
 */
export abstract class HistoryRecommender extends RecommenderBase {
  /** Interactions per item in the training data: the fallback scores for an empty history. */
  protected abstract readonly popularity: Float32Array;

  /**
   * Writes the scores of every item for a history (item indices, strengths) into `out` (length `nItems`).
   * Returns `false`, leaving `out` to the caller, when no history item contributes to the scores.
   */
  protected abstract scoreHistory(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): boolean;

  override get canFoldIn(): boolean {
    return true;
  }

  private scoreInto(items: ArrayLike<number>, values: ArrayLike<number>, out: Float32Array): void {
    if (items.length === 0 || !this.scoreHistory(items, values, out)) out.set(this.popularity);
  }

  private historyOf(u: number): { items: Int32Array; values: Float32Array } {
    const h = this.history;
    if (!h) throw new UsageError(`${this.kind} scores users from their training history, and this model has none`);
    return { items: h.indices.subarray(h.offsets[u], h.offsets[u + 1]), values: h.values.subarray(h.offsets[u], h.offsets[u + 1]) };
  }

  scoreUsers(users: ArrayLike<number>, from: number, count: number, out: Float32Array): void {
    const n = this.nItems;
    for (let b = 0; b < count; b++) {
      const u = users[from + b];
      checkIndex(u, this.nUsers, `${this.kind} scoreUsers`, 'user');
      const { items, values } = this.historyOf(u);
      this.scoreInto(items, values, out.subarray(b * n, (b + 1) * n));
    }
  }

  predict(users: Int32Array, items: Int32Array): Float32Array {
    checkIndexRange(users, items, this.nUsers, this.nItems, `${this.kind} predict`);
    const out = new Float32Array(users.length);
    // pairs grouped by user (a stable counting sort), so each user's row is scored once
    const start = new Int32Array(this.nUsers + 1);
    for (let b = 0; b < users.length; b++) start[users[b] + 1]++;
    for (let u = 0; u < this.nUsers; u++) start[u + 1] += start[u];
    const order = new Int32Array(users.length);
    const fill = start.slice(0, this.nUsers);
    for (let b = 0; b < users.length; b++) order[fill[users[b]]++] = b;
    const row = new Float32Array(this.nItems);
    for (let p = 0; p < order.length; ) {
      const u = users[order[p]];
      const { items: seen, values } = this.historyOf(u);
      this.scoreInto(seen, values, row);
      for (; p < order.length && users[order[p]] === u; p++) out[order[p]] = row[items[order[p]]];
    }
    return out;
  }

  override foldIn(items: ArrayLike<number>, values?: ArrayLike<number>): Float32Array {
    for (let j = 0; j < items.length; j++) checkIndex(items[j], this.nItems, `${this.kind} foldIn`);
    if (values && values.length !== items.length) throw new UsageError(`${this.kind} foldIn: ${items.length} items but ${values.length} values`);
    const v = values ?? new Float32Array(items.length).fill(1);
    for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) throw new UsageError(`${this.kind} foldIn: value ${v[j]} for item ${items[j]} is not a finite number`);
    const out = new Float32Array(this.nItems);
    this.scoreInto(items, v, out);
    return out;
  }
}
