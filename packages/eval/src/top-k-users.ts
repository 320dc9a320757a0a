import { TopKHeap } from '@collab-ts/core';
import type { BlockScorer } from './block-scorer.js';

/** Items to leave out per user, as CSR rows sorted ascending (a `UserItemIndex` or a `CsrMatrix`'s fields). */
export interface ExcludedItems {
  readonly offsets: Int32Array;
  /** Item indices; each user's run is sorted ascending (repeats allowed). */
  readonly items: Int32Array;
}

/**
 * The top `k` items of each user in `users[from .. to)`, best first (ties by lower item index, NaN as
 * `-Infinity`), leaving out each user's `excluded` items: user `users[j]`'s items go to
 * `outItems[j * k ..]` and their number to `outCounts[j]`. The same lists as one heap per user over every
 * item, computed as blocked matrix products: a block of users is scored against a tile of items at a time
 * and each user's heap skips, without a push, every score not above its current k-th best. On the factor path
 * the tiles are fast float32 sums: a score is skipped only when it is below the k-th best by more than its
 * error bound, and the few that are not are re-scored exactly before they reach the heap, so the lists are
 * those of exact scores.
 * @internal
 */
export function _topKUsers(
  bs: BlockScorer,
  users: ArrayLike<number>,
  from: number,
  to: number,
  k: number,
  excluded: ExcludedItems | null,
  outItems: Int32Array,
  outCounts: Int32Array,
): void {
  const nI = bs.nItems;
  const width = bs.tileWidth;
  const block = bs.maxBlock;
  const heaps = Array.from({ length: Math.min(block, Math.max(1, to - from)) }, () => new TopKHeap(Math.min(k, nI)));
  const bar = new Float64Array(heaps.length);
  const slack = new Float64Array(heaps.length);
  const approximate = bs.approximateTiles;
  const cursor = new Int32Array(heaps.length);
  const exItems = excluded ? excluded.items : new Int32Array(0);
  for (let bf = from; bf < to; bf += block) {
    const count = Math.min(block, to - bf);
    for (let b = 0; b < count; b++) {
      heaps[b].reset(k);
      bar[b] = NaN;
      cursor[b] = excluded ? excluded.offsets[users[bf + b]] : 0;
      slack[b] = bs.slack(users[bf + b]);
    }
    for (let i0 = 0; i0 < nI; i0 += width) {
      const i1 = Math.min(nI, i0 + width);
      const w = i1 - i0;
      const tile = bs.scoreTile(users, bf, count, i0, i1);
      for (let b = 0; b < count; b++) {
        const heap = heaps[b];
        const u = users[bf + b];
        const end = excluded ? excluded.offsets[u + 1] : 0;
        const sl = slack[b];
        let t = bar[b];
        // the bar for the tile's scores: the k-th best less their error bound (NaN, so nothing is skipped,
        // while the heap has room or when the bound is not finite)
        let tl = t - sl;
        let c = cursor[b];
        const o = b * w;
        // hot loop: most scores fall below the user's k-th best; the inner scan passes over them with one
        // comparison each (NaN never compares below, so it reaches the heap, which ranks it last)
        for (let x = 0; x < w; x++) {
          // four at a time while all four fall below, then one at a time up to the next candidate
          while (x + 3 < w && tile[o + x] <= tl && tile[o + x + 1] <= tl && tile[o + x + 2] <= tl && tile[o + x + 3] <= tl) x += 4;
          while (x < w && tile[o + x] <= tl) x++;
          if (x === w) break;
          const i = i0 + x;
          while (c < end && exItems[c] < i) c++;
          if (c < end && exItems[c] === i) continue;
          const s = approximate ? bs.exactScore(u, i) : tile[o + x];
          if (s <= t) continue;
          heap.push(s, i);
          t = heap.threshold;
          tl = t - sl;
        }
        bar[b] = t;
        cursor[b] = c;
      }
    }
    for (let b = 0; b < count; b++) outCounts[bf + b] = heaps[b].drain(outItems, null, (bf + b) * k);
  }
}
