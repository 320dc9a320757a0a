import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';

/** Throws a {@link UsageError} unless `k` is a positive integer. @internal */
export function checkK(k: number, what = 'k'): void {
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`${what} must be a positive integer, got ${String(k)}`);
}

/** Throws unless every column has the same length and every index lies in [0, nUsers) x [0, nItems). @internal */
export function checkColumns(r: RatingColumns, nUsers: number, nItems: number, what: string): void {
  const n = r.ratings.length;
  if (r.users.length !== n || r.items.length !== n) {
    throw new UsageError(`${what}: users, items and ratings must have equal lengths (${r.users.length}, ${r.items.length}, ${n})`);
  }
  for (let i = 0; i < n; i++) {
    const u = r.users[i];
    const it = r.items[i];
    if (u < 0 || u >= nUsers) throw new UsageError(`${what}: user index ${u} at row ${i} is outside 0..${nUsers - 1}`);
    if (it < 0 || it >= nItems) throw new UsageError(`${what}: item index ${it} at row ${i} is outside 0..${nItems - 1}`);
  }
}

/** Largest index + 1 in a column (0 when empty). @internal */
export function countFromIndex(index: Int32Array): number {
  let m = -1;
  for (let i = 0; i < index.length; i++) if (index[i] > m) m = index[i];
  return m + 1;
}
