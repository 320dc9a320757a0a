import { createRng, groupRows, UsageError, type RatingColumns } from '@collab-ts/core';
import { columnsOf, type RatingsDataset, type Split } from '../dataset.js';
import { splitByMask } from './mask-split.js';

/** Options of {@link userHoldout}. */
export interface UserHoldoutOptions {
  /** Fraction of each user's ratings held out for testing (default 0.2). */
  testPct?: number;
  /** Seed of the per-user draws (default 42). */
  seed?: number;
}

/**
 * Per-user random holdout (LensKit's `partition_users` with `SampleFrac`, the "user holdout" protocol of
 * ranking studies): for every user, `round(testPct * n)` of their `n` ratings, drawn at random without
 * replacement, go to validation; a user always keeps at least one rating in training. Users are visited in
 * index order with one seeded generator, so the same seed gives the same split. No timestamps are needed.
 * Both sides keep the source order of rows.
 *
 * @example
 * const { train, valid } = userHoldout(ds, { testPct: 0.2, seed: 42 });
 * @throws UsageError when `testPct` is not in [0, 1).
 */
export function userHoldout(data: RatingsDataset | RatingColumns, options: UserHoldoutOptions = {}): Split {
  const testPct = options.testPct ?? 0.2;
  const seed = options.seed ?? 42;
  if (!(testPct >= 0 && testPct < 1)) throw new UsageError(`testPct must be in [0, 1), got ${testPct}`);
  const r = columnsOf(data);
  return splitByMask(r, _userHoldoutMask(r.users, testPct, seed), `user-holdout(testPct=${testPct},seed=${seed})`);
}

/** The row mask of {@link userHoldout} (1: held out), for already-checked arguments. @internal */
export function _userHoldoutMask(users: Int32Array, testPct: number, seed: number): Uint8Array {
  const n = users.length;
  const { start, rows: byUser } = groupRows(users);
  const nUsers = start.length - 1;
  const rng = createRng(seed);
  const isValid = new Uint8Array(n);
  for (let u = 0; u < nUsers; u++) {
    const lo = start[u];
    const m = start[u + 1] - lo;
    const take = Math.min(Math.round(testPct * m), m - 1);
    // partial Fisher-Yates inside the user's group: a uniform sample without replacement
    for (let j = 0; j < take; j++) {
      const p = lo + j + rng.int(m - j);
      const row = byUser[p];
      byUser[p] = byUser[lo + j];
      byUser[lo + j] = row;
      isValid[row] = 1;
    }
  }
  return isValid;
}
