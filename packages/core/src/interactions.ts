import { UsageError } from './errors.js';
import type { RatingColumns } from './ratings.js';
import { takeRows } from './ratings.js';

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
