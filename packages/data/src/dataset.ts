import type { RatingColumns } from '@collab-ts/core';
import type { Vocabulary } from './vocabulary.js';
import type { DuplicateReport } from './readers/dedupe.js';

/** Rows a reader skipped (with `skipBadRows`), counted and described, never dropped silently. */
export interface SkippedRows {
  /** Number of rows skipped. */
  readonly count: number;
  /** The first few problems as `file:line:column: reason`. */
  readonly examples: readonly string[];
}

/**
 * A ratings dataset ready for modelling: rating columns with contiguous user and item indices, the
 * vocabularies that map them back to raw ids (and item titles), and where it came from.
 */
export interface RatingsDataset {
  /** Human-readable source (file or directory path, or dataset name). */
  readonly source: string;
  readonly ratings: RatingColumns;
  readonly users: Vocabulary;
  readonly items: Vocabulary;
  /** Smallest and largest rating present. */
  readonly ratingRange: readonly [number, number];
  /** Rows the reader skipped; absent for datasets not read from a file. */
  readonly skipped?: SkippedRows;
  /**
   * Repeated (user, item) pairs the reader (or `dedupeRatings`) found, and the policy that left one row per
   * pair; absent for datasets that were never checked.
   */
  readonly duplicates?: DuplicateReport;
}

/** A train/validation split (the type lives in `@collab-ts/core`). */
export type { Split } from '@collab-ts/core';

/** Accepts either a dataset or bare rating columns and returns the columns. */
export function columnsOf(data: RatingsDataset | RatingColumns): RatingColumns {
  return 'source' in data ? data.ratings : data;
}
