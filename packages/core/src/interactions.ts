import { UsageError } from './errors.js';
import type { RatingColumns } from './ratings.js';
import { takeRows } from './ratings.js';
import { groupRows } from './group-rows.js';
import { csrFromCoordinates } from './csr.js';
import type { CsrMatrix } from './csr.js';

/** Options of {@link toInteractions}. */
export interface InteractionOptions {
  /** Keep only ratings at or above this value as positives (default: every rating counts). */
  minRating?: number;
  /**
   * The strength of each interaction: `binary` (default) makes every kept rating a 1, as implicit feedback;
   * `rating` keeps the rating value, so ranking families weight confidence by it.
   */
  strength?: 'binary' | 'rating';
}

/**
 * Turns ratings into implicit-feedback interactions for the ranking families: filters by `minRating` and
 * sets each value to 1 or keeps the rating. The result is new columns; the input is not modified.
 * @throws UsageError for a non-finite `minRating` or, with `strength: 'rating'`, a non-positive rating.
 */
export function toInteractions(r: RatingColumns, options: InteractionOptions = {}): RatingColumns {
  const { minRating, strength = 'binary' } = options;
  if (minRating !== undefined && !Number.isFinite(minRating)) throw new UsageError(`minRating must be a finite number, got ${minRating}`);
  const keep: number[] = [];
  for (let i = 0; i < r.ratings.length; i++) if (minRating === undefined || r.ratings[i] >= minRating) keep.push(i);
  const out = takeRows(r, keep);
  if (strength === 'binary') out.ratings.fill(1);
  else {
    for (let i = 0; i < out.ratings.length; i++) {
      if (!(out.ratings[i] > 0)) throw new UsageError(`interaction strength must be positive: rating ${out.ratings[i]} at row ${keep[i]} (use --min-rating or binary strength)`);
    }
  }
  return out;
}

/**
 * Recency weights for a user's interactions: `0.5^(r / halfLife)` where `r` counts the same user's
 * interactions that are later (by timestamp; on equal timestamps, later in the columns), so the latest
 * interaction weighs 1 and one `halfLife` interactions back weighs 1/2. Without timestamps, or with a
 * half-life of 0, every weight is 1. Aligned with the input rows.
 */
export function recencyWeights(r: RatingColumns, nUsers: number, halfLife: number): Float32Array {
  const n = r.users.length;
  const w = new Float32Array(n).fill(1);
  const ts = r.timestamps;
  if (!ts || !(halfLife > 0)) return w;
  // rows grouped by user, then each user's rows ordered latest first
  const { start, rows } = groupRows(r.users, nUsers);
  for (let u = 0; u < nUsers; u++) {
    const mine = rows.subarray(start[u], start[u + 1]);
    mine.sort((a, b) => ts[b] - ts[a] || b - a);
    for (let k = 0; k < mine.length; k++) w[mine[k]] = Math.pow(0.5, k / halfLife);
  }
  return w;
}

/**
 * The user x item history a history-scored family keeps: strengths times {@link recencyWeights}, so a
 * user's recent interactions count more when their scores are summed.
 */
export function weightedHistory(r: RatingColumns, nUsers: number, nItems: number, halfLife: number): CsrMatrix {
  const w = recencyWeights(r, nUsers, halfLife);
  for (let i = 0; i < w.length; i++) w[i] *= r.ratings[i];
  return csrFromCoordinates(r.users, r.items, w, nUsers, nItems);
}
