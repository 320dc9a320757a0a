import type { RatingBatch } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import { formatTable } from '../internal/format-table.js';
import { BatchLoader } from './batch-loader.js';

/** Options of {@link showBatch}. */
export interface ShowBatchOptions {
  /** Rows to show (default 10). */
  rows?: number;
  /** Seed of the loader used when no batch is given (default 0). */
  seed?: number;
}

/**
 * A text table of a batch with raw user ids, item titles (or ids when there are no titles) and ratings,
 * like fastai's `show_batch`. Without a batch, shows the first shuffled batch of the whole dataset.
 *
 * @example
 * ```ts
 * console.log(showBatch(ds, undefined, { rows: 5 }));
 * ```
 */
export function showBatch(dataset: RatingsDataset, batch?: RatingBatch, options: ShowBatchOptions = {}): string {
  const rows = options.rows ?? 10;
  const b = batch ?? new BatchLoader(dataset, { bs: rows, seed: options.seed ?? 0 }).oneBatch(0);
  const n = Math.min(rows, b.ratings.length);
  const out: (string | number)[][] = [];
  for (let k = 0; k < n; k++) {
    out.push([dataset.users.decode(b.users[k]), dataset.items.title(b.items[k]), b.ratings[k]]);
  }
  return formatTable(['user', dataset.items.hasTitles ? 'title' : 'item', 'rating'], out);
}
