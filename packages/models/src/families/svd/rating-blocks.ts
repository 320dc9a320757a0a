import type { RatingColumns, Rng } from '@collab-ts/core';
import type { RatingRows } from './sgd-block.js';

/**
 * Training ratings cut into a `grid` x `grid` table of blocks (LibMF's layout): users are dealt at random
 * into `grid` groups, items too, and block `(a, b)` holds the ratings of user group `a` on item group `b`,
 * in a random order. Two blocks in different rows and columns touch disjoint factor rows, so threads can
 * train them at once without locks, and one block's rows are a `1 / grid` share of the tables, which is what
 * keeps them in cache while the block is trained.
 */
export interface RatingBlocks extends RatingRows {
  readonly grid: number;
  /** Block `b = a * grid + c` is the index range `offsets[b] .. offsets[b + 1] - 1`. */
  readonly offsets: Int32Array;
}

/** Allocates the typed arrays' memory: plain `ArrayBuffer`s, or `SharedArrayBuffer`s for worker threads. */
export type Allocate = (bytes: number) => ArrayBuffer | SharedArrayBuffer;

export const plainMemory: Allocate = (bytes) => new ArrayBuffer(bytes);

/** A random balanced assignment of `n` rows to `grid` groups. */
function groupsOf(n: number, grid: number, rng: Rng): Uint16Array {
  const rank = rng.permutation(n);
  const g = new Uint16Array(n);
  for (let x = 0; x < n; x++) g[x] = Math.floor((rank[x] * grid) / n);
  return g;
}

/**
 * The blocked copy of `train` (seeded: the groups and the order inside each block come from `rng`). One
 * counting-sort pass, then a Fisher-Yates shuffle inside each block; memory is the copy plus two small group
 * tables.
 */
export function blockRatings(train: RatingColumns, nUsers: number, nItems: number, grid: number, rng: Rng, allocate: Allocate = plainMemory): RatingBlocks {
  const n = train.ratings.length;
  const ug = groupsOf(nUsers, grid, rng.fork(1));
  const ig = groupsOf(nItems, grid, rng.fork(2));
  const nb = grid * grid;
  const offsets = new Int32Array(nb + 1);
  const tu = train.users;
  const ti = train.items;
  const tr = train.ratings;
  for (let j = 0; j < n; j++) offsets[ug[tu[j]] * grid + ig[ti[j]] + 1]++;
  for (let b = 0; b < nb; b++) offsets[b + 1] += offsets[b];
  const users = new Int32Array(allocate(4 * n));
  const items = new Int32Array(allocate(4 * n));
  const ratings = new Float32Array(allocate(4 * n));
  const fill = offsets.slice(0, nb);
  for (let j = 0; j < n; j++) {
    const k = fill[ug[tu[j]] * grid + ig[ti[j]]]++;
    users[k] = tu[j];
    items[k] = ti[j];
    ratings[k] = tr[j];
  }
  const shuffle = rng.fork(3);
  for (let b = 0; b < nb; b++) {
    const start = offsets[b];
    for (let k = offsets[b + 1] - 1; k > start; k--) {
      const m = start + shuffle.int(k - start + 1);
      const u = users[k];
      users[k] = users[m];
      users[m] = u;
      const i = items[k];
      items[k] = items[m];
      items[m] = i;
      const r = ratings[k];
      ratings[k] = ratings[m];
      ratings[m] = r;
    }
  }
  return { grid, offsets, users, items, ratings };
}

/** Bytes of factor rows (with their bias and accumulators) that one block's rows may take to stay in cache. */
const CACHE_BYTES = 1 << 20;

/**
 * The grid side: enough blocks that one block's user and item rows fit in about 1 MB (a core's L2 cache),
 * at least `2 * threads` so a thread always finds a free block, at most 64, and 1 for one thread on data
 * whose tables fit in cache anyway.
 */
export function chooseGrid(nUsers: number, nItems: number, dim: number, threads: number): number {
  const bytes = (nUsers + nItems) * (dim + 4) * 4;
  const forCache = Math.ceil(bytes / CACHE_BYTES);
  return Math.max(1, Math.min(64, Math.max(forCache, threads > 1 ? 2 * threads : 1)));
}
