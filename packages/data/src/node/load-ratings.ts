import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError, UsageError } from '@collab-ts/core';
import type { RatingsDataset } from '../dataset.js';
import type { DelimitedOptions } from '../readers/layout.js';
import type { DuplicateReport } from '../readers/dedupe.js';
import type { RatingsFormat } from '../readers/ratings-format.js';
import { RATINGS_FORMATS, formatNamed, type ConcreteFormat, type RatingsFileFormat } from './formats.js';

export type { RatingsFormat } from '../readers/ratings-format.js';

/** Options of {@link loadRatings}: a format plus the delimited-reader options (Parquet takes the column ones). */
export interface LoadRatingsOptions extends DelimitedOptions {
  /** `'auto'` (default) recognises MovieLens directories and files and Parquet, else reads a delimited file. */
  format?: RatingsFormat;
}

/** What {@link loadRatings} returns. */
export interface LoadedRatings {
  dataset: RatingsDataset;
  /** The format actually used (never `'auto'`). */
  format: ConcreteFormat;
  /** Number of malformed rows skipped (only non-zero with `skipBadRows`). */
  skipped: number;
  /** The first skipped rows as `file:line:column: reason` (Parquet: `file: row N, column "c": reason`). */
  skippedExamples: string[];
  /** Repeated (user, item) pairs found and the policy applied (also `dataset.duplicates`). */
  duplicates: DuplicateReport;
}

const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * Works out the layout of a ratings path: a MovieLens directory (`u.data`, `ratings.dat`, `ratings.csv`) or
 * one of those files, a Parquet file (`.parquet`, or starting with Parquet's magic bytes) or a folder of
 * Parquet part files, or any other delimited file. `dir` is the folder a MovieLens reader reads, else null.
 */
export function detectFormat(path: string): { format: ConcreteFormat; dir: string | null } {
  if (!existsSync(path)) throw new DataError('no such file or directory', { file: path });
  if (statSync(path).isDirectory()) {
    const f = RATINGS_FORMATS.find((x) => x.matchDir?.(path));
    if (f) return { format: f.name, dir: f.readsFolder ? path : null };
    throw new DataError('directory holds no known ratings file (u.data, ratings.dat, ratings.csv or Parquet part files)', { file: path });
  }
  const f = RATINGS_FORMATS.find((x) => x.matchFile?.(path));
  if (f) return { format: f.name, dir: f.readsFolder ? dirname(path) : null };
  return { format: 'delimited', dir: null };
}

/** The format to use and the path its reader takes. */
function resolve(path: string, options: LoadRatingsOptions): { entry: RatingsFileFormat; target: string; detected: boolean } {
  const wanted = options.format ?? 'auto';
  if (wanted === 'auto') {
    const { format, dir } = detectFormat(path);
    return { entry: formatNamed(format)!, target: dir ?? path, detected: true };
  }
  const entry = formatNamed(wanted);
  if (!entry) {
    const valid = ['auto', ...RATINGS_FORMATS.map((f) => f.name)];
    throw new UsageError(`unknown ratings format ${JSON.stringify(wanted)} (expected one of ${valid.join(', ')})`);
  }
  return { entry, target: entry.readsFolder && !isDirectory(path) ? dirname(path) : path, detected: false };
}

function loaded(dataset: RatingsDataset, format: ConcreteFormat, options: LoadRatingsOptions): LoadedRatings {
  return {
    dataset,
    format,
    skipped: dataset.skipped?.count ?? 0,
    skippedExamples: [...(dataset.skipped?.examples ?? [])],
    duplicates: dataset.duplicates ?? { pairs: 0, dropped: 0, policy: options.duplicates ?? 'last' },
  };
}

/**
 * Loads ratings from a file or a dataset directory in one of the text layouts, detecting MovieLens layouts
 * (`format: 'auto'`), and reports skipped rows. Synchronous: Parquet, which is read asynchronously, goes
 * through {@link loadRatingsAsync} or `openRatings`, which read every format.
 *
 * @example
 * ```ts
 * const { dataset, skipped } = loadRatings(process.env.COLLAB_DATA_DIR + '/ml-100k');
 * ```
 */
export function loadRatings(path: string, options: LoadRatingsOptions = {}): LoadedRatings {
  const { entry, target, detected } = resolve(path, options);
  if (!entry.read) throw new UsageError(`${path}: ${entry.name} is read asynchronously: use loadRatingsAsync or openRatings`);
  return loaded(entry.read({ target, options, detected }), entry.name, options);
}

/**
 * {@link loadRatings} for every format, Parquet files and folders of Parquet part files included (the same
 * column options apply; other text-only options are ignored for Parquet). The CLI reads `--data` this way
 * (through `openRatings`).
 *
 * @example
 * ```ts
 * const { dataset } = await loadRatingsAsync('ratings.parquet', { user: 'customer_id' });
 * ```
 */
export async function loadRatingsAsync(path: string, options: LoadRatingsOptions = {}): Promise<LoadedRatings> {
  const { entry, target, detected } = resolve(path, options);
  const dataset = entry.read ? entry.read({ target, options, detected }) : await entry.readAsync!({ target, options, detected });
  return loaded(dataset, entry.name, options);
}
