import type { Scorer } from '@collab-ts/core';
import { UsageError } from '@collab-ts/core';
import { BlockScorer } from './block-scorer.js';

/** Options of {@link scoreUsers}. */
export interface ScoreUsersOptions {
  /**
   * Use the factor tables when `scorer.factors()` returns them (default `true`). The fast path scores
   * `dot + userBias + itemBias` and skips `yRange`'s sigmoid (monotone: the ranking is the same, the values
   * are on the logit scale). Set `false` to score through `predict` instead.
   */
  useFactors?: boolean;
  /** Users scored per block (default 64). */
  blockSize?: number;
}

/**
 * Scores each user in `users` against every item: a `users.length x nItems` row-major matrix. This is the
 * kernel that ranking metrics and recommendations share.
 * @throws UsageError when a user index is out of range.
 */
export function scoreUsers(scorer: Scorer, users: ArrayLike<number>, options: ScoreUsersOptions = {}): Float32Array {
  for (let b = 0; b < users.length; b++) {
    const u = users[b];
    if (!Number.isInteger(u) || u < 0 || u >= scorer.nUsers) {
      throw new UsageError(`scoreUsers: user index ${u} outside 0..${scorer.nUsers - 1}`);
    }
  }
  const block = Math.max(1, Math.min(options.blockSize ?? 64, users.length));
  const bs = new BlockScorer(scorer, block, options.useFactors ?? true);
  const nI = scorer.nItems;
  const out = new Float32Array(users.length * nI);
  for (let from = 0; from < users.length; from += block) {
    const count = Math.min(block, users.length - from);
    out.set(bs.score(users, from, count), from * nI);
  }
  return out;
}
