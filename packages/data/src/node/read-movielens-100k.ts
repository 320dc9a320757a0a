import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ColumnTable } from 'arquero';
import type { RatingsDataset } from '../dataset.js';
import { duplicatesOption, toDataset } from '../readers/delimited.js';
import {
  movieLens100kItemsTable,
  movieLens100kScanOptions,
  parseMovieLens100kItems,
  parseMovieLens100kUsers,
  withMovieLens100kTitles,
  type MovieLensOptions,
} from '../readers/movielens-100k.js';
import type { ScanResult } from '../readers/scan.js';
import { fileLocator, scanFile } from './file-scan.js';

/**
 * Reads MovieLens 100k from its directory: ratings from `u.data` (tab-separated user, item, rating,
 * timestamp: exactly 4 fields) and, when `u.item` is present, movie titles attached to the item vocabulary.
 *
 * @example
 * ```ts
 * const ds = readMovieLens100k('/data/ml-100k');
 * ds.items.title(ds.items.encode(1)); // 'Toy Story (1995)'
 * ```
 */
export function readMovieLens100k(dir: string, options: MovieLensOptions = {}): RatingsDataset {
  const file = join(dir, 'u.data');
  const policy = duplicatesOption(options);
  const scan = movieLens100kScanOptions(file, options.skipBadRows ?? false, options.maxLineBytes);
  const ds = toDataset(dir, scanFile(file, scan), policy, fileLocator(file, scan, 0));
  const itemFile = join(dir, 'u.item');
  if (!existsSync(itemFile)) return ds;
  return withMovieLens100kTitles(ds, readFileSync(itemFile), itemFile);
}

/** The numeric kernel over a `u.data`-shaped file (also `u1.base`, `ua.test`, ...). @internal */
export function scanMovieLens100kRatings(file: string, skipBadRows: boolean): ScanResult {
  return scanFile(file, movieLens100kScanOptions(file, skipBadRows));
}

/**
 * The movies of MovieLens 100k as an arquero table with columns `id` (number), `title`, `release_date`,
 * `genres` (`|`-joined genre names) and `url`.
 */
export function movieLens100kItems(dir: string): ColumnTable {
  const file = join(dir, 'u.item');
  return movieLens100kItemsTable(parseMovieLens100kItems(readFileSync(file), file));
}

/**
 * The users of MovieLens 100k (`u.user`) as an arquero table with columns `id`, `age` (numbers),
 * `gender`, `occupation` and `zip`.
 */
export function readMovieLens100kUsers(dir: string): ColumnTable {
  const file = join(dir, 'u.user');
  return parseMovieLens100kUsers(readFileSync(file), file);
}
