import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '@collab-ts/core';
import type { RatingColumns } from '@collab-ts/core';
import { kFoldSplits, leaveLastOut, randomSplit, userHoldout } from '@collab-ts/data';
import type { RatingsDataset, Split } from '@collab-ts/data';
import { findDataset, movieLens100kFold } from '@collab-ts/data/node';

/** The held-out protocols of `tune` (and of each `cv --folds` that holds out once). */
export const HOLDOUT_PROTOCOLS = ['leave-last-out', 'user-holdout', 'random'] as const;
export type HoldoutProtocol = (typeof HOLDOUT_PROTOCOLS)[number];

/**
 * One held-out split of `cols`: `leave-last-out` (each user's latest rating), `user-holdout` (a seeded
 * `testPct` of each user's ratings) or `random` (a seeded `testPct` of all ratings).
 */
export function holdout(cols: RatingColumns, protocol: HoldoutProtocol, o: { testPct: number; seed: number }): Split {
  if (protocol === 'leave-last-out') {
    if (!cols.timestamps) throw new UsageError('leave-last-out needs timestamps, and this dataset has none (use user-holdout)');
    return leaveLastOut(cols, { k: 1 });
  }
  if (protocol === 'user-holdout') return userHoldout(cols, { testPct: o.testPct, seed: o.seed });
  return randomSplit(cols, { validPct: o.testPct, seed: o.seed });
}

/**
 * The splits of `cv --folds`: `k` random folds, `ml-100k` (GroupLens' u1..u5), `leave-last-out` or
 * `user-holdout` (one split each).
 */
export function makeFolds(ds: RatingsDataset, folds: string, o: { seed: number; testPct: number }): Split[] {
  if (folds === 'ml-100k') {
    const dir = existsSync(ds.source) ? ds.source : (findDataset(ds.source) ?? ds.source);
    if (!existsSync(join(dir, 'u1.base'))) throw new UsageError(`--folds ml-100k needs the MovieLens 100k directory (with u1.base ... u5.test); ${dir} is not one`);
    return (['u1', 'u2', 'u3', 'u4', 'u5'] as const).map((name) => movieLens100kFold(dir, ds, name));
  }
  if (folds === 'leave-last-out' || folds === 'user-holdout') return [holdout(ds.ratings, folds, o)];
  const k = Number(folds);
  if (!Number.isInteger(k) || k < 2) throw new UsageError(`--folds must be an integer >= 2, ml-100k, leave-last-out or user-holdout, got ${JSON.stringify(folds)}`);
  return kFoldSplits(ds.ratings, { k, seed: o.seed });
}
