import { join } from 'node:path';
import type { RatingsDataset, Split } from '../dataset.js';
import { checkFoldName, encodeFoldRatings, type MovieLens100kFoldName } from '../splits/movielens-folds.js';
import { scanMovieLens100kRatings } from './read-movielens-100k.js';

/**
 * One of MovieLens 100k's predefined splits: reads `<name>.base` (train) and `<name>.test` (valid) from
 * `dir` and encodes them with the full dataset's vocabularies (from `readMovieLens100k`), so the
 * indices agree with the dataset and with each other.
 */
export function movieLens100kFold(dir: string, dataset: RatingsDataset, name: MovieLens100kFoldName): Split {
  checkFoldName(name);
  const read = (file: string): ReturnType<typeof encodeFoldRatings> => encodeFoldRatings(scanMovieLens100kRatings(file, false), file, dataset);
  return { name, train: read(join(dir, `${name}.base`)), valid: read(join(dir, `${name}.test`)) };
}
