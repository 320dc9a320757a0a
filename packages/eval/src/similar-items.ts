import type { FactorTables } from '@collab-ts/core';
import { UsageError, cosineToRow } from '@collab-ts/core';
import { topK } from './top-k.js';
import { checkK } from './validate.js';

/** An item and its similarity score. */
export interface ScoredIndex {
  index: number;
  score: number;
}

/**
 * The `k` items whose factor vectors have the highest cosine similarity with item `itemIndex` (the item
 * itself excluded), best first, ties by lower index. Biases are not used. An item with an all-zero vector
 * has similarity 0 with everything.
 * @throws UsageError when the index is out of range or `k` is not a positive integer.
 */
export function similarItems(factors: FactorTables, itemIndex: number, k: number): ScoredIndex[] {
  checkK(k);
  const d = factors.dim;
  const V = factors.itemFactors;
  const n = d > 0 ? V.length / d : 0;
  if (!Number.isInteger(itemIndex) || itemIndex < 0 || itemIndex >= n) throw new UsageError(`similarItems: item index ${itemIndex} outside 0..${n - 1}`);
  const scores = cosineToRow(V, d, n, itemIndex);
  const top = topK(scores, k, [itemIndex]);
  return Array.from(top.indices, (index) => ({ index, score: scores[index] }));
}
