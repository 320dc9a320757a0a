import { UsageError } from './errors.js';
import { scoreFactorBlock } from './score-block.js';
import type { FactorTables } from './scoring.js';
import { TopKHeap } from './top-k-heap.js';

/** Options of {@link scanFactorTopK}. */
export interface FactorScanOptions {
  /** Items never returned to the `b`-th user of the list (their history, items asked to hide); any order, repeats allowed. */
  exclude?: (b: number) => ArrayLike<number> | undefined;
  /** Items scored per block (default 4096: a block of scores stays in the L1/L2 cache). */
  blockItems?: number;
  /** Users scored together against each item block (default 32; they share each item-factor load). */
  blockUsers?: number;
}

/** One user's exact top-k: items best first, their block scores, and the first item whose score was NaN (-1: none). */
export interface FactorTopK {
  readonly items: Int32Array;
  readonly scores: Float32Array;
  readonly nanItem: number;
}

const EMPTY = new Int32Array(0);

/** The excluded items, sorted and deduplicated, for a binary search. */
function sortedSet(items: ArrayLike<number> | undefined): Int32Array {
  if (!items || items.length === 0) return EMPTY;
  const s = Int32Array.from(items).sort();
  let m = 0;
  for (let j = 0; j < s.length; j++) if (j === 0 || s[j] !== s[m - 1]) s[m++] = s[j];
  return s.subarray(0, m);
}

function contains(sorted: Int32Array, item: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < item) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === item;
}

/**
 * The exact top-`k` items of each user in `users` under the factor tables' scores (what
 * {@link scoreFactorBlock} computes: the biased dot product, `yRange`'s monotone sigmoid skipped), best first,
 * ties by lower item index, excluded items skipped: the same answer as scoring every item and selecting with
 * {@link selectTopK}, without ever holding a score per item. Items are scored a block at a time and only
 * scores above the heap's threshold reach it, so memory is O(blockUsers x blockItems + k) however many items
 * there are, and the scan costs little beyond the dot products themselves. Excluded items are looked up only
 * for scores that pass the threshold. When fewer than `k` items remain, all of them are returned.
 *
 * @example
 * const [top] = scanFactorTopK(model.factors()!, [17], 10, { exclude: () => history(17) });
 * top.items; // the 10 best unseen items of user 17
 * @throws UsageError on a bad `k` or a user index outside the user table.
 */
export function scanFactorTopK(t: FactorTables, users: ArrayLike<number>, k: number, options: FactorScanOptions = {}): FactorTopK[] {
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`k must be a positive integer, got ${String(k)}`);
  const d = t.dim;
  const nItems = d > 0 ? Math.floor(t.itemFactors.length / d) : (t.itemBias?.length ?? 0);
  const nUsers = d > 0 ? Math.floor(t.userFactors.length / d) : (t.userBias?.length ?? 0);
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    if (!Number.isInteger(u) || u < 0 || u >= nUsers) throw new UsageError(`user index ${u} outside 0..${nUsers - 1}`);
  }
  const blockItems = Math.max(1, Math.min(options.blockItems ?? 4096, nItems || 1));
  const blockUsers = Math.max(1, Math.min(options.blockUsers ?? 32, users.length || 1));
  const buf = new Float32Array(blockUsers * blockItems);
  const cap = Math.min(k, nItems);
  const heaps = Array.from({ length: blockUsers }, () => new TopKHeap(cap));
  const results: FactorTopK[] = [];
  for (let from = 0; from < users.length; from += blockUsers) {
    const count = Math.min(blockUsers, users.length - from);
    const excluded: Int32Array[] = [];
    const nan = new Int32Array(count).fill(-1);
    for (let b = 0; b < count; b++) {
      heaps[b].reset(k);
      excluded.push(sortedSet(options.exclude?.(from + b)));
    }
    for (let start = 0; start < nItems; start += blockItems) {
      const n = Math.min(blockItems, nItems - start);
      // a view of the item tables from `start`: scoreFactorBlock scores items 0..n of it
      const view: FactorTables = { ...t, itemFactors: t.itemFactors.subarray(start * d, (start + n) * d), itemBias: t.itemBias ? t.itemBias.subarray(start, start + n) : null };
      scoreFactorBlock(view, users, from, count, n, buf);
      for (let b = 0; b < count; b++) {
        const heap = heaps[b];
        const ex = excluded[b];
        const o = b * n;
        let thr = heap.threshold;
        // the hot loop: one compare per item; NaN thresholds and NaN scores both fall through to the check
        for (let i = 0; i < n; i++) {
          const s = buf[o + i];
          if (s <= thr) continue;
          const item = start + i;
          if (s !== s && nan[b] < 0) nan[b] = item;
          if (ex.length > 0 && contains(ex, item)) continue;
          heap.push(s, item);
          thr = heap.threshold;
        }
      }
    }
    for (let b = 0; b < count; b++) {
      const items = new Int32Array(heaps[b].size);
      const scores = new Float32Array(items.length);
      heaps[b].drain(items, scores);
      results.push({ items, scores, nanItem: nan[b] });
    }
  }
  return results;
}
