import { DataError, UsageError, type RatingColumns } from '@collab-ts/core';
import type { RatingsDataset, Split } from '../dataset.js';
import type { Vocabulary } from '../vocabulary.js';
import { movieLens100kScanOptions } from '../readers/movielens-100k.js';
import { scanBytes, type ScanResult } from '../readers/scan.js';

/** Names of the predefined MovieLens 100k splits (`u1`..`u5`: 5-fold 80/20; `ua`, `ub`: 10 ratings per user held out). */
export type MovieLens100kFoldName = 'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'ua' | 'ub';

const FOLDS: readonly string[] = ['u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub'];

/** Throws a {@link UsageError} unless `name` is one of the predefined folds. @internal */
export function checkFoldName(name: string): void {
  if (!FOLDS.includes(name)) throw new UsageError(`unknown MovieLens 100k fold ${JSON.stringify(name)} (expected ${FOLDS.join(', ')})`);
}

/** Re-encodes a kernel result of a fold file with the full dataset's vocabularies. @internal */
export function encodeFoldRatings(r: ScanResult, file: string, dataset: RatingsDataset): RatingColumns {
  const translate = (ids: string[], vocab: Vocabulary): Int32Array => {
    const map = new Int32Array(ids.length);
    for (let k = 0; k < ids.length; k++) {
      map[k] = vocab.tryEncode(ids[k]);
      if (map[k] < 0) throw new DataError(`${vocab.kind} id ${ids[k]} is not in the dataset ${dataset.source}`, { file });
    }
    return map;
  };
  const um = translate(r.userIds, dataset.users);
  const im = translate(r.itemIds, dataset.items);
  for (let i = 0; i < r.users.length; i++) {
    r.users[i] = um[r.users[i]];
    r.items[i] = im[r.items[i]];
  }
  return { users: r.users, items: r.items, ratings: r.ratings, timestamps: r.timestamps };
}

/**
 * The in-memory form of `movieLens100kFold` (from `@collab-ts/data/node`): one of MovieLens 100k's
 * predefined splits from the bytes of `<name>.base` (train) and `<name>.test` (valid), encoded with the
 * full dataset's vocabularies (e.g. from {@link parseMovieLens100k}) so the indices agree.
 */
export function parseMovieLens100kFold(files: { base: Uint8Array; test: Uint8Array }, dataset: RatingsDataset, name: MovieLens100kFoldName): Split {
  checkFoldName(name);
  const read = (bytes: Uint8Array, file: string): RatingColumns => encodeFoldRatings(scanBytes(bytes, movieLens100kScanOptions(file, false)), file, dataset);
  return { name, train: read(files.base, `${name}.base`), valid: read(files.test, `${name}.test`) };
}
