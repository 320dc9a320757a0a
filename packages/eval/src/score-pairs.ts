import type { Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';

/**
 * Predicted scores for explicit (user, item) pairs, validated and passed to `scorer.predict` in one batch
 * (the values are on the rating scale, `yRange` applied).
 * @throws UsageError when the lengths differ or an index is out of range.
 */
export function scorePairs(scorer: Scorer, users: ArrayLike<number>, items: ArrayLike<number>): Float32Array {
  if (users.length !== items.length) throw new UsageError(`scorePairs: ${users.length} users but ${items.length} items`);
  const u = Int32Array.from(users);
  const i = Int32Array.from(items);
  for (let j = 0; j < u.length; j++) {
    if (u[j] !== users[j] || u[j] < 0 || u[j] >= scorer.nUsers) throw new UsageError(`scorePairs: user index ${users[j]} outside 0..${scorer.nUsers - 1}`);
    if (i[j] !== items[j] || i[j] < 0 || i[j] >= scorer.nItems) throw new UsageError(`scorePairs: item index ${items[j]} outside 0..${scorer.nItems - 1}`);
  }
  return scorer.predict(u, i);
}
