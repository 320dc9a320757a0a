import type { RatingColumns } from './ratings.js';

/** A train/validation split of one dataset's rating columns (indices share the dataset's vocabularies). */
export interface Split {
  readonly name: string;
  readonly train: RatingColumns;
  readonly valid: RatingColumns;
}
