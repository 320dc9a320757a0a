/**
 * Ratings as columns of typed arrays, the form every kernel reads. `users[i]`, `items[i]` are contiguous
 * indices (see the data package's vocabularies), `ratings[i]` the rating, `timestamps[i]` seconds since the
 * epoch when the source has them.
 */
export interface RatingColumns {
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
  readonly timestamps: Float64Array | null;
}

/** Number of ratings in a set of columns. */
export function ratingCount(r: RatingColumns): number {
  return r.ratings.length;
}

/** Copies the rows named by `index` into new columns. */
export function takeRows(r: RatingColumns, index: ArrayLike<number>): RatingColumns {
  const n = index.length;
  const users = new Int32Array(n);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  const timestamps = r.timestamps ? new Float64Array(n) : null;
  for (let k = 0; k < n; k++) {
    const i = index[k];
    users[k] = r.users[i];
    items[k] = r.items[i];
    ratings[k] = r.ratings[i];
    if (timestamps) timestamps[k] = r.timestamps![i];
  }
  return { users, items, ratings, timestamps };
}
