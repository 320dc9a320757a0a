import { UsageError, checkIndexRange } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';

/** Throws a {@link UsageError} unless `k` is a positive integer. @internal */
export function checkK(k: number, what = 'k'): void {
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`${what} must be a positive integer, got ${String(k)}`);
}

/**
 * Throws unless every column has the same length and every index lies in [0, nUsers) x [0, nItems): the
 * length check here, the index check core's one `checkIndexRange` (an `IndexRangeError`, a usage error). @internal
 */
export function checkColumns(r: RatingColumns, nUsers: number, nItems: number, what: string): void {
  const n = r.ratings.length;
  if (r.users.length !== n || r.items.length !== n) {
    throw new UsageError(`${what}: users, items and ratings must have equal lengths (${r.users.length}, ${r.items.length}, ${n})`);
  }
  checkIndexRange(r.users, r.items, nUsers, nItems, what);
}

/** Largest index + 1 in a column (0 when empty). @internal */
export function countFromIndex(index: Int32Array): number {
  let m = -1;
  for (let i = 0; i < index.length; i++) if (index[i] > m) m = index[i];
  return m + 1;
}
