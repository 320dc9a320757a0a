import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DataError, UsageError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import type { DelimitedOptions } from '../readers/layout.js';
import type { DuplicateReport } from '../readers/dedupe.js';
import type { RatingsFormat } from '../readers/ratings-format.js';
import type { MovieLensOptions } from '../readers/movielens-100k.js';
import { readDelimited } from './read-delimited.js';
import { readMovieLens100k } from './read-movielens-100k.js';
import { readMovieLensCsv } from './read-movielens-csv.js';
import { readMovieLensDat } from './read-movielens-dat.js';

export type { RatingsFormat } from '../readers/ratings-format.js';

/** Options of {@link loadRatings}: a format plus the delimited-reader options. */
export interface LoadRatingsOptions extends DelimitedOptions {
  /** `'auto'` (default) recognises MovieLens directories and files, else reads a delimited file. */
  format?: RatingsFormat;
}

/** What {@link loadRatings} returns. */
export interface LoadedRatings {
  dataset: RatingsDataset;
  /** The format actually used (never `'auto'`). */
  format: Exclude<RatingsFormat, 'auto'>;
  /** Number of malformed rows skipped (only non-zero with `skipBadRows`). */
  skipped: number;
  /** The first skipped rows as `file:line:column: reason`. */
  skippedExamples: string[];
  /** Repeated (user, item) pairs found and the policy applied (also `dataset.duplicates`). */
  duplicates: DuplicateReport;
}

/**
 * Works out the layout of a ratings path: a MovieLens directory (`u.data`, `ratings.dat`, `ratings.csv`), one
 * of those files, or any other delimited file.
 */
export function detectFormat(path: string): { format: Exclude<RatingsFormat, 'auto'>; dir: string | null } {
  if (!existsSync(path)) throw new DataError('no such file or directory', { file: path });
  if (statSync(path).isDirectory()) {
    if (existsSync(join(path, 'u.data'))) return { format: 'ml-100k', dir: path };
    if (existsSync(join(path, 'ratings.dat'))) return { format: 'ml-1m', dir: path };
    if (existsSync(join(path, 'ratings.csv'))) return { format: 'ml-latest', dir: path };
    throw new DataError('directory holds no known ratings file (u.data, ratings.dat or ratings.csv)', { file: path });
  }
  const name = basename(path);
  if (name === 'u.data') return { format: 'ml-100k', dir: dirname(path) };
  if (name === 'ratings.dat') return { format: 'ml-1m', dir: dirname(path) };
  if (name === 'ratings.csv') return { format: 'ml-latest', dir: dirname(path) };
  return { format: 'delimited', dir: null };
}

/**
 * Loads ratings from a file or a dataset directory, detecting MovieLens layouts (`format: 'auto'`), and
 * reports skipped rows. This is the one-call entry point the CLI uses.
 *
 * @example
 * ```ts
 * const { dataset, skipped } = loadRatings(process.env.COLLAB_DATA_DIR + '/ml-100k');
 * ```
 */
export function loadRatings(path: string, options: LoadRatingsOptions = {}): LoadedRatings {
  const wanted = options.format ?? 'auto';
  const valid: RatingsFormat[] = ['auto', 'ml-100k', 'ml-1m', 'ml-10m', 'ml-latest', 'delimited'];
  if (!valid.includes(wanted)) throw new UsageError(`unknown ratings format ${JSON.stringify(wanted)} (expected one of ${valid.join(', ')})`);
  let format: Exclude<RatingsFormat, 'auto'>;
  let dir: string | null;
  if (wanted === 'auto') ({ format, dir } = detectFormat(path));
  else {
    format = wanted;
    const isDir = existsSync(path) && statSync(path).isDirectory();
    dir = isDir ? path : format === 'delimited' ? null : dirname(path);
  }
  const ml: MovieLensOptions = { skipBadRows: options.skipBadRows ?? false, duplicates: options.duplicates, maxLineBytes: options.maxLineBytes };
  let dataset: RatingsDataset;
  switch (format) {
    case 'ml-100k':
      dataset = readMovieLens100k(dir!, ml);
      break;
    case 'ml-1m':
    case 'ml-10m':
      dataset = readMovieLensDat(dir!, { ...ml, encoding: format === 'ml-1m' && wanted !== 'auto' ? 'latin1' : 'auto' });
      break;
    case 'ml-latest':
      dataset = readMovieLensCsv(dir!, ml);
      break;
    case 'delimited':
      dataset = readDelimited(path, options);
      break;
  }
  return {
    dataset,
    format,
    skipped: dataset.skipped?.count ?? 0,
    skippedExamples: [...(dataset.skipped?.examples ?? [])],
    duplicates: dataset.duplicates ?? { pairs: 0, dropped: 0, policy: options.duplicates ?? 'last' },
  };
}
