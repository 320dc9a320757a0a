import type { RatingColumns } from '@collab-ts/core';

/**
 * The items each user rated, in compressed sparse row form: user `u`'s items are
 * `items[offsets[u] .. offsets[u + 1])`, sorted ascending, with their ratings beside them in `ratings`.
 */
export interface UserItemIndex {
  readonly nUsers: number;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly ratings: Float32Array;
}

/**
 * Groups rating columns by user (a counting sort, O(n + nUsers) plus the per-user item sort).
 * Indices must already lie in [0, nUsers).
 */
export function userItemIndex(r: RatingColumns, nUsers: number): UserItemIndex {
  const n = r.ratings.length;
  const offsets = new Int32Array(nUsers + 1);
  for (let i = 0; i < n; i++) offsets[r.users[i] + 1]++;
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, nUsers);
  const items = new Int32Array(n);
  const ratings = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const p = fill[r.users[i]]++;
    items[p] = r.items[i];
    ratings[p] = r.ratings[i];
  }
  // sort each user's row by item: insertion sort for short rows, an index sort for long ones
  for (let u = 0; u < nUsers; u++) {
    const a = offsets[u];
    const b = offsets[u + 1];
    if (b - a > 64) {
      sortLongRow(items, ratings, a, b);
      continue;
    }
    for (let i = a + 1; i < b; i++) {
      const it = items[i];
      const rt = ratings[i];
      let j = i - 1;
      while (j >= a && items[j] > it) {
        items[j + 1] = items[j];
        ratings[j + 1] = ratings[j];
        j--;
      }
      items[j + 1] = it;
      ratings[j + 1] = rt;
    }
  }
  return { nUsers, offsets, items, ratings };
}

function sortLongRow(items: Int32Array, ratings: Float32Array, a: number, b: number): void {
  const its = items.slice(a, b);
  const rts = ratings.slice(a, b);
  const order = Array.from({ length: b - a }, (_, i) => i).sort((x, y) => its[x] - its[y]);
  for (let i = 0; i < order.length; i++) {
    items[a + i] = its[order[i]];
    ratings[a + i] = rts[order[i]];
  }
}
