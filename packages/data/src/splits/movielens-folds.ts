import { join } from 'node:path';
import { DataError, UsageError, type RatingColumns } from '@collab-ts/core';
import type { RatingsDataset, Split } from '../dataset.js';
import type { Vocabulary } from '../vocabulary.js';
import { scanMovieLens100kRatings } from '../readers/movielens-100k.js';

/** Names of the predefined MovieLens 100k splits (`u1`..`u5`: 5-fold 80/20; `ua`, `ub`: 10 ratings per user held out). */
export type MovieLens100kFoldName = 'u1' | 'u2' | 'u3' | 'u4' | 'u5' | 'ua' | 'ub';

const FOLDS: readonly string[] = ['u1', 'u2', 'u3', 'u4', 'u5', 'ua', 'ub'];

function readEncoded(file: string, dataset: RatingsDataset): RatingColumns {
  const r = scanMovieLens100kRatings(file, false);
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
 * One of MovieLens 100k's predefined splits: reads `<name>.base` (train) and `<name>.test` (valid) from
 * `dir` and encodes them with the full dataset's vocabularies (from {@link readMovieLens100k}), so the
 * indices agree with the dataset and with each other.
 */
export function movieLens100kFold(dir: string, dataset: RatingsDataset, name: MovieLens100kFoldName): Split {
  if (!FOLDS.includes(name)) throw new UsageError(`unknown MovieLens 100k fold ${JSON.stringify(name)} (expected ${FOLDS.join(', ')})`);
  return {
    name,
    train: readEncoded(join(dir, `${name}.base`), dataset),
    valid: readEncoded(join(dir, `${name}.test`), dataset),
  };
}
