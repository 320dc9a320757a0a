import { UsageError } from '@collab-ts/core';
import type { RatingsFormat } from '../readers/ratings-format.js';
import { ML_100K_SHA256 } from './ml-100k-checksums.js';

/** The environment variable that overrides the download cache directory (see `defaultCacheDir`). */
export const CACHE_DIR_ENV = 'COLLAB_CACHE_DIR';

/** Where the GroupLens MovieLens archives live. */
export const GROUPLENS_BASE_URL = 'https://files.grouplens.org/datasets/movielens';

/** A downloadable dataset. */
export interface DatasetInfo {
  /** Registry name, also the cache folder name and the archive name (`<name>.zip`). */
  readonly name: string;
  /** Archive URL (under {@link GROUPLENS_BASE_URL}). */
  readonly url: string;
  /** Top folder inside the archive (stripped on extraction). */
  readonly folder: string;
  /** The file whose presence marks a complete dataset folder. */
  readonly ratingsFile: string;
  /** Reader format for `loadRatings` (from `@collab-ts/data/node`). */
  readonly format: Exclude<RatingsFormat, 'auto' | 'delimited'>;
  /** SHA-256 of the archive, when pinned. */
  readonly sha256: string | null;
  /** SHA-256 of extracted files, when pinned (checked after extraction). */
  readonly fileSha256: Readonly<Record<string, string>> | null;
  /** Approximate archive size in bytes (for messages). */
  readonly approxBytes: number;
  readonly description: string;
}

function entry(name: string, rest: Omit<DatasetInfo, 'name' | 'url' | 'folder'>): DatasetInfo {
  return { name, url: `${GROUPLENS_BASE_URL}/${name}.zip`, folder: name, ...rest };
}

/**
 * The datasets `ensureDataset` (from `@collab-ts/data/node`) can fetch by name. MovieLens may not be redistributed: they are
 * downloaded from GroupLens into the user's cache, never bundled.
 */
export const DATASETS: Readonly<Record<string, DatasetInfo>> = {
  'ml-100k': entry('ml-100k', {
    ratingsFile: 'u.data',
    format: 'ml-100k',
    sha256: null,
    fileSha256: ML_100K_SHA256,
    approxBytes: 4_924_029,
    description: 'MovieLens 100k: 100,000 ratings (1-5) from 943 users on 1,682 movies (1998), with u1-u5/ua/ub splits',
  }),
  'ml-1m': entry('ml-1m', {
    ratingsFile: 'ratings.dat',
    format: 'ml-1m',
    sha256: null,
    fileSha256: null,
    approxBytes: 5_917_549,
    description: 'MovieLens 1M: 1,000,209 ratings (1-5) from 6,040 users on 3,706 movies (2003)',
  }),
  'ml-latest-small': entry('ml-latest-small', {
    ratingsFile: 'ratings.csv',
    format: 'ml-latest',
    sha256: null,
    fileSha256: null,
    approxBytes: 978_202,
    description: 'MovieLens latest small: about 100,000 half-star ratings from 610 users on 9,700 movies',
  }),
  'ml-25m': entry('ml-25m', {
    ratingsFile: 'ratings.csv',
    format: 'ml-latest',
    sha256: null,
    fileSha256: null,
    approxBytes: 261_978_986,
    description: 'MovieLens 25M: 25,000,095 half-star ratings from 162,541 users on 59,047 movies (2019)',
  }),
};

/** Registry names, for help texts. */
export const DATASET_NAMES: readonly string[] = Object.keys(DATASETS);

/** The registry entry of `name`; a {@link UsageError} listing the known names otherwise. */
export function datasetInfo(name: string): DatasetInfo {
  const info = Object.prototype.hasOwnProperty.call(DATASETS, name) ? DATASETS[name] : undefined;
  if (!info) throw new UsageError(`unknown dataset ${JSON.stringify(name)} (known: ${DATASET_NAMES.join(', ')})`);
  return info;
}
