import type { RatingColumns } from '@collab-ts/core';
import { userItemMatrix } from '@collab-ts/core';
import { countFromIndex } from './validate.js';

/**
 * The items each user rated, in compressed sparse row form: user `u`'s items are
 * `items[offsets[u] .. offsets[u + 1])`, sorted ascending, with their ratings beside them in `ratings`.
 * A view of core's `CsrMatrix` under the names ranking code reads best with.
 */
export interface UserItemIndex {
  readonly nUsers: number;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/** Groups rating columns by user (core's `userItemMatrix`). Indices must already lie in [0, nUsers). */
export function userItemIndex(r: RatingColumns, nUsers: number): UserItemIndex {
  const m = userItemMatrix(r, nUsers, countFromIndex(r.items));
  return { nUsers, offsets: m.offsets, items: m.indices, ratings: m.values };
}
