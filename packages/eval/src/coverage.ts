import { checkK } from './validate.js';

/**
 * Catalogue coverage at `k`: the fraction of the `nItems` items that appear in the first `k` entries of at
 * least one of the ranked lists.
 * @throws UsageError when `k` is not a positive integer.
 */
export function catalogueCoverage(lists: Iterable<ArrayLike<number>>, nItems: number, k: number): number {
  checkK(k);
  if (nItems <= 0) return NaN;
  const seen = new Uint8Array(nItems);
  let count = 0;
  for (const list of lists) {
    const m = Math.min(k, list.length);
    for (let p = 0; p < m; p++) {
      const it = list[p];
      if (it >= 0 && it < nItems && seen[it] === 0) {
        seen[it] = 1;
        count++;
      }
    }
  }
  return count / nItems;
}
