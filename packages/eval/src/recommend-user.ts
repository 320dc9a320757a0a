import type { Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { recommendationRows, recommendationTable, recommendInto } from './recommend-all.js';
import { checkK } from './validate.js';

/** Options of {@link recommendForUser}. */
export interface RecommendOptions {
  /** How many items (default 10). */
  k?: number;
  /** Items never to recommend, typically the ones the user rated in train. */
  exclude?: ArrayLike<number>;
  /** Use the factor fast path for ranking (default `true`). */
  useFactors?: boolean;
}

/**
 * The top-`k` items for one user, best first, as `{ item, score }` with scores from `predict` (on the
 * rating scale). Ties are broken by lower item index.
 * @throws UsageError on a bad user index, `k` or excluded item.
 */
export function recommendForUser(scorer: Scorer, userIndex: number, options: RecommendOptions = {}): { item: number; score: number }[] {
  const k = options.k ?? 10;
  checkK(k);
  const ex = options.exclude ?? [];
  for (let j = 0; j < ex.length; j++) {
    if (!Number.isInteger(ex[j]) || ex[j] < 0 || ex[j] >= scorer.nItems) throw new UsageError(`recommendForUser: excluded item ${ex[j]} outside 0..${scorer.nItems - 1}`);
  }
  if (!Number.isInteger(userIndex) || userIndex < 0 || userIndex >= scorer.nUsers) throw new UsageError(`user index ${userIndex} outside 0..${scorer.nUsers - 1}`);
  // the excluded items as the one non-empty row of a CSR over users
  const items = Int32Array.from(ex).sort();
  const offsets = new Int32Array(userIndex + 2);
  offsets[userIndex + 1] = items.length;
  const table = recommendationTable([userIndex], k);
  recommendInto(scorer, table, 0, 1, { offsets, items }, options.useFactors ?? true);
  return recommendationRows(table).map((r) => ({ item: r.item, score: r.score }));
}
